import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { grpcClient, runSpans, testReceiver } from '../test-support/fixtures.js';
import { bearerTokenMatches } from './auth.js';

describe('bearerTokenMatches', () => {
  it('accepts exactly the token, with any case of "Bearer"', () => {
    expect(bearerTokenMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerTokenMatches('bearer s3cret', 's3cret')).toBe(true);
    expect(bearerTokenMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Bearer s3cretX', 's3cret')).toBe(false);
    expect(bearerTokenMatches('s3cret', 's3cret')).toBe(false);
    expect(bearerTokenMatches('Basic s3cret', 's3cret')).toBe(false);
    expect(bearerTokenMatches(undefined, 's3cret')).toBe(false);
    expect(bearerTokenMatches('Bearer ', 's3cret')).toBe(false);
  });
});

describe('token', () => {
  const token = 's3cret';
  const endpoints: [string, string, RequestInit?][] = [
    ['GET', '/healthz'],
    ['GET', '/api/runs'],
    ['GET', '/api/runs/r/spans'],
    ['DELETE', '/api/runs/r'],
    ['POST', '/v1/traces', { headers: { 'content-type': 'application/json' }, body: '{}' }],
    ['GET', '/no/such/path'],
  ];

  it.each(endpoints)('%s %s needs the bearer token', async (method, path, init) => {
    const r = await testReceiver({ token });
    r.store.add(runSpans('r'));
    const url = `${r.httpUrl}${path}`;
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, token]) {
      const headers = { ...(init?.headers as Record<string, string>), ...(authorization ? { authorization } : {}) };
      const res = await fetch(url, { ...init, method, headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    const ok = await fetch(url, { ...init, method, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    expect(ok.status).not.toBe(401);
    expect(r.store.runs().map((x) => x.id)).toEqual(method === 'DELETE' ? [] : ['r']);
  });

  it('needs the token on gRPC', async () => {
    const r = await testReceiver({ token });
    const call = grpcClient(r.grpcAddress!);
    const wrong = new grpc.Metadata();
    wrong.set('authorization', 'Bearer nope');
    for (const metadata of [undefined, wrong]) {
      const res = await call(new Uint8Array(0), metadata);
      expect(res.ok ? 'ok' : res.error.code).toBe(grpc.status.UNAUTHENTICATED);
    }
    const right = new grpc.Metadata();
    right.set('authorization', `Bearer ${token}`);
    expect(await call(new Uint8Array(0), right)).toMatchObject({ ok: true });
  });
});
