import { request } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { createSpan, type Span } from '@tracecheck/model';
import { encodeJsonRequest, encodeProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it, vi } from 'vitest';
import type { Receiver } from './index.js';
import { gzipZeros, runSpans, spanNames, testReceiver } from '../test-support/fixtures.js';
import { readPartialSuccess, readRpcStatus } from '../test-support/wire.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

async function post(r: Receiver, body: string | Uint8Array, headers: Record<string, string>) {
  const res = await fetch(`${r.httpUrl}/v1/traces`, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Stores run `good` through the receiver, and returns a check that it is still whole and served. */
async function storeGoodRun(r: Receiver): Promise<() => Promise<void>> {
  expect((await post(r, encodeProtobufRequest(runSpans('good', 2)), PROTOBUF)).status).toBe(200);
  const count = r.store.spanCount;
  return async () => {
    expect(r.store.spanCount).toBe(count);
    expect(await spanNames(r, 'good')).toEqual(['op-0', 'op-1']);
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200);
  };
}

describe('POST /v1/traces, accepted', () => {
  it('stores protobuf and answers an empty protobuf response', async () => {
    const r = await testReceiver();
    const res = await post(r, encodeProtobufRequest(runSpans('run-1', 3)), PROTOBUF);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(res.bytes).toHaveLength(0);
    expect(await spanNames(r, 'run-1')).toEqual(['op-0', 'op-1', 'op-2']);
  });

  it('stores OTLP/JSON (charset allowed) and answers JSON', async () => {
    const r = await testReceiver();
    const res = await post(r, encodeJsonRequest(runSpans('run-1', 2)), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(text(res.bytes))).toEqual({});
    expect(await spanNames(r, 'run-1')).toEqual(['op-0', 'op-1']);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('accepts Content-Encoding: %s', async (coding, compress) => {
    const r = await testReceiver();
    const pb = await post(r, compress(encodeProtobufRequest(runSpans('pb', 2))), { ...PROTOBUF, 'content-encoding': coding });
    const json = await post(r, compress(encodeJsonRequest(runSpans('json', 1))), { ...JSON_TYPE, 'content-encoding': coding });
    expect([pb.status, json.status]).toEqual([200, 200]);
    expect(await spanNames(r, 'pb')).toEqual(['op-0', 'op-1']);
    expect(await spanNames(r, 'json')).toEqual(['op-0']);
  });

  it('takes a gzip body of two members, whose trailer gives only the last one\'s size', async () => {
    const r = await testReceiver();
    // Decompressed in 16 KiB chunks: the first ones fit in the buffer sized from the trailer, later ones do not.
    const bytes = encodeProtobufRequest(runSpans('members', 1000));
    const cut = bytes.length >> 2;
    const body = Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]);
    expect(body.readUInt32LE(body.length - 4)).toBe(bytes.length - cut);
    expect(bytes.length - cut).toBeGreaterThan(2 * 16384);
    expect((await post(r, body, { ...PROTOBUF, 'content-encoding': 'gzip' })).status).toBe(200);
    expect(await spanNames(r, 'members')).toHaveLength(1000);
  });

  it('answers a partial success for spans with unusable ids, storing the rest (protobuf)', async () => {
    const r = await testReceiver();
    const bad = createSpan({ traceId: 'abcd', spanId: '0102030405060708', name: 'bad', attributes: { 'test.run.id': 'run-1' } });
    const res = await post(r, encodeProtobufRequest([...runSpans('run-1', 2), bad]), PROTOBUF);
    expect(res.status).toBe(200);
    const partial = readPartialSuccess(res.bytes);
    expect(partial.rejectedSpans).toBe(1);
    expect(partial.errorMessage).toMatch(/traceId/);
    expect(await spanNames(r, 'run-1')).toEqual(['op-0', 'op-1']);
  });

  it('answers a partial success in OTLP/JSON', async () => {
    const r = await testReceiver();
    const request = JSON.parse(encodeJsonRequest(runSpans('run-1', 2))) as {
      resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[];
    };
    request.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.spanId = '00';
    const res = await post(r, JSON.stringify(request), JSON_TYPE);
    expect(res.status).toBe(200);
    expect(JSON.parse(text(res.bytes))).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringMatching(/spanId/) as unknown },
    });
    expect(await spanNames(r, 'run-1')).toEqual(['op-0']);
  });
});

describe('POST /v1/traces, when no buffer of the body\'s size can be made', () => {
  it('gathers the body from its chunks and stores every span, plain and gzip', async () => {
    const r = await testReceiver();
    const plain = encodeProtobufRequest(runSpans('plain', 400));
    const zipped = gzipSync(encodeProtobufRequest(runSpans('zipped', 400)));
    const unzipped = zipped.readUInt32LE(zipped.length - 4);
    const make = Buffer.allocUnsafeSlow;
    const refused: number[] = [];
    // As when the process cannot map more memory: the one buffer of each body's declared size fails.
    const spy = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((size) => {
      if (size !== plain.length && size !== unzipped) return make(size);
      refused.push(size);
      throw new RangeError('Array buffer allocation failed');
    });
    try {
      expect((await post(r, plain, PROTOBUF)).status).toBe(200);
      expect((await post(r, zipped, { ...PROTOBUF, 'content-encoding': 'gzip' })).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect(refused).toEqual([plain.length, unzipped]);
    const names = Array.from({ length: 400 }, (_, i) => `op-${i}`).sort();
    expect(await spanNames(r, 'plain')).toEqual(names);
    expect(await spanNames(r, 'zipped')).toEqual(names);
  });
});

describe('POST /v1/traces, bodies read into reused buffers', () => {
  /** 300 spans whose names and attribute values say which request and run they came in. */
  const spansOf = (run: string): Span[] =>
    runSpans(run, 300, `${run}-op`).map((s) => createSpan({ traceId: s.traceId, spanId: s.spanId, name: s.name, attributes: { 'test.run.id': run, note: `${run}:${'x'.repeat(20)}` } }));
  const body = (kind: string, spans: Span[]): Uint8Array =>
    kind === 'json' ? Buffer.from(encodeJsonRequest(spans)) : kind === 'gzip' ? gzipSync(encodeProtobufRequest(spans)) : encodeProtobufRequest(spans);
  const headersOf = (kind: string) => (kind === 'json' ? JSON_TYPE : kind === 'gzip' ? { ...PROTOBUF, 'content-encoding': 'gzip' } : PROTOBUF);

  /** What the query API serves of a run: each span's name and `note`, sorted by name. */
  async function served(r: Receiver, run: string): Promise<string[]> {
    const res = await fetch(`${r.httpUrl}/api/runs/${run}/spans`);
    const spans = ((await res.json()) as { spans: { name: string; attributes: { key: string; value: { stringValue?: string } }[] }[] }).spans;
    return spans.map((s) => `${s.name} ${s.attributes.find((a) => a.key === 'note')?.value.stringValue}`).sort();
  }

  it('keeps every stored span whole while later requests reuse the buffers (JSON, gzip, protobuf, concurrent)', async () => {
    const r = await testReceiver();
    const kinds = ['json', 'gzip', 'protobuf'];
    const expected = new Map<string, string[]>();
    const send = (run: string, i: number): Promise<number> => {
      const spans = spansOf(run);
      expected.set(run, spans.map((s) => `${s.name} ${run}:${'x'.repeat(20)}`).sort());
      return post(r, body(kinds[i % 3]!, spans), headersOf(kinds[i % 3]!)).then((res) => res.status);
    };
    // 12 concurrent requests, then 12 one at a time (each kind's body the same size as the one
    // before it of that kind: its buffer is the one to reuse), then 12 concurrent again.
    for (const wave of [0, 1, 2]) {
      const runs = Array.from({ length: 12 }, (_, i) => `w${wave}-${kinds[i % 3]}-${String(i).padStart(2, '0')}`);
      const statuses: number[] = [];
      if (wave === 1) for (const [i, run] of runs.entries()) statuses.push(await send(run, i));
      else statuses.push(...(await Promise.all(runs.map(send))));
      expect(statuses).toEqual(runs.map(() => 200));
    }
    for (const [run, lines] of expected) expect(await served(r, run)).toEqual(lines);
  });

  it('reads a body sent in chunks without Content-Length, and one shorter than any pooled buffer', async () => {
    const r = await testReceiver();
    expect((await post(r, body('json', spansOf('big')), JSON_TYPE)).status).toBe(200);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${r.httpUrl}/v1/traces`, { method: 'POST', headers: JSON_TYPE }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const bytes = body('json', spansOf('chunked'));
      for (let at = 0; at < bytes.length; at += 10_000) req.write(bytes.subarray(at, at + 10_000));
      req.end();
    });
    expect(chunked).toBe(200);
    expect((await post(r, encodeJsonRequest(runSpans('small', 1)), JSON_TYPE)).status).toBe(200);
    expect(await spanNames(r, 'small')).toEqual(['op-0']);
    expect((await served(r, 'chunked')).length).toBe(300);
    expect((await served(r, 'big'))[0]).toBe(`big-op-0 big:${'x'.repeat(20)}`);
  });
});

describe('POST /v1/traces, malformed: 400 and nothing stored', () => {
  const valid = encodeProtobufRequest(runSpans('bad', 5));
  const cases: [string, string | Uint8Array, Record<string, string>][] = [
    ['garbage bytes', Buffer.from('\xff\xff\xff\xff\x0f definitely not protobuf', 'latin1'), PROTOBUF],
    ['truncated protobuf', valid.subarray(0, valid.length - 7), PROTOBUF],
    ['invalid JSON', '{"resourceSpans": [', JSON_TYPE],
    ['wrong JSON types', '{"resourceSpans": "everything"}', JSON_TYPE],
    ['a JSON span with a numeric name', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 7 }] }] }] }), JSON_TYPE],
    ['corrupt gzip', Buffer.concat([gzipSync(valid).subarray(0, 20), Buffer.from('garbage')]), { ...PROTOBUF, 'content-encoding': 'gzip' }],
  ];

  it.each(cases)('%s', async (_name, body, headers) => {
    const r = await testReceiver();
    const intact = await storeGoodRun(r);
    const res = await post(r, body, headers);
    expect(res.status).toBe(400);
    const json = headers['content-type'] === JSON_TYPE['content-type'];
    expect(res.headers.get('content-type')).toBe(json ? 'application/json' : 'application/x-protobuf');
    const status = json ? (JSON.parse(text(res.bytes)) as { code: number; message: string }) : readRpcStatus(res.bytes);
    expect(status.code).toBe(3); // INVALID_ARGUMENT
    expect(status.message).not.toBe('');
    expect(await spanNames(r, 'bad')).toEqual([]);
    await intact();
  });
});

describe('POST /v1/traces, size limits', () => {
  it('answers 413 to a declared Content-Length over maxBodyBytes', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 4096 } });
    const intact = await storeGoodRun(r);
    const res = await post(r, Buffer.alloc(10 * 1024 * 1024), PROTOBUF);
    expect(res.status).toBe(413);
    expect(readRpcStatus(res.bytes).message).toMatch(/maxBodyBytes/);
    expect(res.headers.get('connection')).toBe('close');
    await intact();
  });

  it('stops reading a chunked body once it passes maxBodyBytes', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 64 * 1024 } });
    const intact = await storeGoodRun(r);
    let sent = 0;
    // An endless upload: it can only end because the receiver answers and closes the connection.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const res = await fetch(`${r.httpUrl}/v1/traces`, { method: 'POST', body, headers: JSON_TYPE, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(JSON.parse(await res.text())).toMatchObject({ code: 8 });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    await intact();
  });

  it('cuts a gzip bomb off at maxDecompressedBytes with 413', async () => {
    const r = await testReceiver();
    const intact = await storeGoodRun(r);
    const bomb = await gzipZeros(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(r.limits.maxBodyBytes);
    const res = await post(r, bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(readRpcStatus(res.bytes).message).toMatch(/maxDecompressedBytes/);
    await intact();
  });

  it('applies maxDecompressedBytes to deflate too', async () => {
    const r = await testReceiver({ limits: { maxDecompressedBytes: 1024 } });
    const res = await post(r, deflateSync(encodeJsonRequest(runSpans('big', 50))), { ...JSON_TYPE, 'content-encoding': 'deflate' });
    expect(res.status).toBe(413);
    expect(await spanNames(r, 'big')).toEqual([]);
  });
});

describe('POST /v1/traces, refused requests', () => {
  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['no content type', {}],
    ['an unknown Content-Encoding', { ...PROTOBUF, 'content-encoding': 'br' }],
  ])('answers 415 to %s', async (_name, headers: Record<string, string>) => {
    const r = await testReceiver();
    const intact = await storeGoodRun(r);
    const res = await post(r, encodeProtobufRequest(runSpans('refused')), headers);
    expect(res.status).toBe(415);
    expect(await spanNames(r, 'refused')).toEqual([]);
    await intact();
  });

  it('answers 429 with Retry-After while the store is full, and accepts again after a DELETE', async () => {
    const r = await testReceiver({ limits: { maxMemoryBytes: 20_000, retryAfterSeconds: 3 } });
    let n = 0;
    // Fill with one-span batches: once one is refused, a five-span batch cannot fit either.
    while ((await post(r, encodeProtobufRequest(runSpans('filler', 1)), PROTOBUF)).status === 200) n++;
    expect(n).toBeGreaterThan(0);
    const before = r.store.spanCount;
    for (const [body, headers] of [
      [encodeProtobufRequest(runSpans('late', 5)), PROTOBUF],
      [encodeJsonRequest(runSpans('late', 5)), JSON_TYPE],
    ] as const) {
      const res = await post(r, body, headers);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      const status = headers === PROTOBUF ? readRpcStatus(res.bytes) : (JSON.parse(text(res.bytes)) as { code: number });
      expect(status.code).toBe(8); // RESOURCE_EXHAUSTED
    }
    expect(r.store.spanCount).toBe(before);
    expect((await fetch(`${r.httpUrl}/api/runs/filler`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(r, encodeProtobufRequest(runSpans('late', 2)), PROTOBUF)).status).toBe(200);
    expect(await spanNames(r, 'late')).toEqual(['op-0', 'op-1']);
  });

  it('answers 413, not 429, to a batch larger than the whole store', async () => {
    const r = await testReceiver({ limits: { maxMemoryBytes: 2000 } });
    const res = await post(r, encodeProtobufRequest(runSpans('huge', 50)), PROTOBUF);
    expect(res.status).toBe(413);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(r.store.spanCount).toBe(0);
  });

  it('survives a client that aborts mid-upload, storing nothing from it', async () => {
    const r = await testReceiver();
    const intact = await storeGoodRun(r);
    const body = Buffer.from(encodeProtobufRequest(runSpans('aborted', 20)));
    await new Promise<void>((resolve) => {
      const req = request(`${r.httpUrl}/v1/traces`, {
        method: 'POST',
        headers: { ...PROTOBUF, 'content-length': String(body.length) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(body.subarray(0, body.length >> 1), () => setTimeout(() => req.destroy(), 20));
    });
    expect(await spanNames(r, 'aborted')).toEqual([]);
    await intact();
    await r.stop();
  });
});

describe('POST /v1/metrics and /v1/logs', () => {
  it.each(['/v1/metrics', '/v1/logs'])('accepts and discards %s, storing nothing', async (path) => {
    const r = await testReceiver();
    const proto = await fetch(`${r.httpUrl}${path}`, { method: 'POST', body: new Uint8Array([0x0a, 0x00]), headers: { 'content-type': 'application/x-protobuf' } });
    expect(proto.status).toBe(200);
    expect((await proto.arrayBuffer()).byteLength).toBe(0);
    const json = await fetch(`${r.httpUrl}${path}`, { method: 'POST', body: '{"resourceMetrics":[]}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    expect((await fetch(`${r.httpUrl}${path}`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect(r.store.spanCount).toBe(0);
  });
});
