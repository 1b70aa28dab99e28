import { describe, expect, it } from 'vitest';
import { TempoHttp, TempoRequestError } from './http.js';
import { resolveTempoOptions } from './options.js';

/** A TempoHttp whose fetch answers `status` with `body` (and headers) to every request. */
function answering(status: number, body: string, headers: Record<string, string> = {}): TempoHttp {
  const fake: typeof fetch = async () => new Response(status === 204 ? null : body, { status, headers });
  return new TempoHttp(resolveTempoOptions({ url: 'http://tempo:3200', fetch: fake }));
}

async function problem(p: Promise<unknown>): Promise<TempoRequestError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TempoRequestError);
  return e as TempoRequestError;
}

describe("Tempo's answers, classified", () => {
  it('429 is rate-limited, with Retry-After in seconds or as a date', async () => {
    expect(await problem(answering(429, 'slow down', { 'retry-after': '2' }).search('{}', 1, 2, 10))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 2000, transient: true });
    const at = new Date(Date.now() + 5000).toUTCString();
    const e = await problem(answering(429, '', { 'retry-after': at }).search('{}', 1, 2, 10));
    expect(e.retryAfterMs).toBeGreaterThan(3000);
  });

  it('422 is too-large; a 5xx saying "cannot guarantee complete results" is lagging; other 5xx are server', async () => {
    expect((await problem(answering(422, 'trace exceeds max size').trace('ab'))).kind).toBe('too-large');
    expect((await problem(answering(500, 'Search: cannot guarantee complete results').search('{}', 1, 2, 10))).kind).toBe('lagging');
    expect((await problem(answering(503, 'upstream down').search('{}', 1, 2, 10))).kind).toBe('server');
  });

  it('400 "limit N exceeds max limit M" gives M; other 4xx are bad requests; 401/403 refused', async () => {
    expect(await problem(answering(400, 'limit 10000 exceeds max limit 500').search('{}', 1, 2, 10000))).toMatchObject({ kind: 'limit', maxLimit: 500, transient: false });
    expect((await problem(answering(400, 'invalid TraceQL query').search('{}', 1, 2, 10))).kind).toBe('bad-request');
    expect((await problem(answering(401, 'no org id').search('{}', 1, 2, 10))).kind).toBe('refused');
    expect((await problem(answering(403, 'forbidden').search('{}', 1, 2, 10))).kind).toBe('refused');
  });

  it('no answer is unreachable; an answer that is not JSON is bad-body', async () => {
    const down = new TempoHttp(resolveTempoOptions({ url: 'http://tempo:3200', fetch: async () => Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })) }));
    const e = await problem(down.search('{}', 1, 2, 10));
    expect(e).toMatchObject({ kind: 'unreachable' });
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect((await problem(answering(200, '<html>').search('{}', 1, 2, 10))).kind).toBe('bad-body');
  });

  it('search: pads ids, skips malformed ones, reads the start', async () => {
    const body = JSON.stringify({ traces: [{ traceID: 'abc', startTimeUnixNano: '1700000000000000000' }, { traceID: 'not hex' }, { traceID: 'f'.repeat(32) }] });
    const { traces } = await answering(200, body).search('{}', 1, 2, 10);
    expect(traces).toEqual([
      { traceId: `${'0'.repeat(29)}abc`, startMs: 1_700_000_000_000 },
      { traceId: 'f'.repeat(32), startMs: undefined },
    ]);
  });

  it('trace by id: 404 and an empty 200 are both "not found"', async () => {
    expect(await answering(404, 'trace not found').trace('ab')).toEqual({ found: false, status: 404 });
    expect(await answering(200, '{"trace":{}}', { 'content-type': 'application/json' }).trace('ab')).toEqual({ found: false, status: 200 });
    expect(await answering(200, '', { 'content-type': 'application/protobuf' }).trace('ab')).toEqual({ found: false, status: 200 });
  });
});
