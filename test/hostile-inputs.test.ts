import { request as httpRequest } from 'node:http';
import { createConnection } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bigIntArrayRequest, chainRequest } from '../scripts/fuzz/protobuf.mjs';
import { grpcClient, testReceiver } from '../packages/receiver/test-support/fixtures.js';
import { readPartialSuccess } from '../packages/receiver/test-support/wire.js';

// The inputs of the hostile campaign that stopped the receiver, each answered now with a clear
// status while the receiver keeps serving everyone else.

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

const check = (url: string, assertion: string) =>
  fetch(`${url}/api/check`, { method: 'POST', body: JSON.stringify({ run: 'R', assertion, timeoutMs: 100 }), headers: { 'content-type': 'application/json' } });

describe('hostile inputs', () => {
  it('answers 400 with the limit to assertions nested too deep, instead of a 500 stack overflow', async () => {
    const r = await testReceiver();
    const inputs = [
      `some { ${'('.repeat(3000)}.a = 1${')'.repeat(3000)} }`,
      `some ${Array(10_000).fill('{}').join('>>')}`.slice(0, 60_000),
      `some ${Array(10_000).fill('{}').join('||')}`.slice(0, 60_000),
      `some { ${'!'.repeat(10_000)}true }`,
      `some { ${Array(5_000).fill('.a').join('&&')} }`,
      `some { ${Array(10_000).fill('1').join('+')} = 2 }`,
    ];
    for (const assertion of inputs) {
      const res = await check(r.httpUrl, assertion);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('too-deep');
      expect(body.error.message).toMatch(/nests more than 256 levels deep/);
    }
    const long = await check(r.httpUrl, `some { .a = "${'x'.repeat(70_000)}" }`);
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { code: string } }).error.code).toBe('too-long');
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200);
  });

  it('drops the 15-million-element array of a 58 KB gzip request without decoding it, keeping the span', async () => {
    const r = await testReceiver();
    const body = gzipSync(bigIntArrayRequest(15_000_000, { run: 'huge' }));
    expect(body.length).toBeLessThan(64 * 1024);
    // Three at once, as the campaign sent them: each answered, none decoded in full.
    const answers = await Promise.all(
      [0, 1, 2].map(() => post(`${r.httpUrl}/v1/traces`, body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' })),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(readPartialSuccess(a.body)).toEqual({ rejectedSpans: 0, errorMessage: expect.stringMatching(/dropped 1 attribute .* more than maxArrayElements \(10000\) elements/) });
    }
    const spans = ((await (await fetch(`${r.httpUrl}/api/runs/huge/spans`)).json()) as { spans: { name: string; attributes: Record<string, unknown>; droppedAttributesCount: number }[] }).spans;
    expect(spans).toHaveLength(1);
    expect(spans[0]!.droppedAttributesCount).toBe(1);
    expect(spans[0]!.attributes).not.toHaveProperty('big');
    const stats = (await (await fetch(`${r.httpUrl}/api/stats`)).json()) as { requests: { partial: number }; limited: { droppedAttributes: number } };
    expect(stats.requests.partial).toBe(3);
    expect(stats.limited.droppedAttributes).toBe(3);
    // The same over gRPC.
    const call = await grpcClient(r.grpcAddress!)(bigIntArrayRequest(2_000_000, { run: 'huge-grpc' }));
    expect(call.ok).toBe(true);
    if (call.ok) expect(readPartialSuccess(call.response).errorMessage).toMatch(/maxArrayElements/);
  });

  it('answers 413, not a 429 retried forever, to a gzip body whose decompressed copy alone is over maxInFlightBytes', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 1024 * 1024, maxInFlightBytes: 1024 * 1024 } });
    const res = await post(`${r.httpUrl}/v1/traces`, gzipSync(bigIntArrayRequest(1_000_000)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200);
  });

  it('stores 8,000 traces linked in a chain (a 520 KB request) with the run inherited by all', async () => {
    const r = await testReceiver();
    const res = await post(`${r.httpUrl}/v1/traces`, chainRequest(8000, 'chain'), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(200);
    expect(r.store.runSpans('chain')).toHaveLength(8000);
  });

  it('gives a check over ten 100 KB attribute values its verdict with the nearest misses cut short', async () => {
    const r = await testReceiver();
    const big = 'q'.repeat(100_000);
    const spans = Array.from({ length: 10 }, (_, i) => ({
      traceId: 'ab'.repeat(16), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'op',
      attributes: [{ key: 'test.run.id', value: { stringValue: 'R' } }, { key: 'big', value: { stringValue: big + i } }],
    }));
    const res = await post(`${r.httpUrl}/v1/traces`, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const verdict = (await (await check(r.httpUrl, `some { span.big = "${'q'.repeat(995)}xxxxx" }`)).json()) as { pass: boolean; nearMisses: { actual: string }[] };
    expect(verdict.pass).toBe(false);
    expect(verdict.nearMisses).toHaveLength(5);
    expect(verdict.nearMisses[0]!.actual).toMatch(/… \(10000\d characters\)$/);
  });

  it('writes a large run in parts, serving /healthz between them', async () => {
    const r = await testReceiver();
    const spans = Array.from({ length: 4000 }, (_, i) => ({
      traceId: (Math.floor(i / 100) + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name: `op-${i}`,
      attributes: [{ key: 'test.run.id', value: { stringValue: 'big-run' } }, { key: 'payload', value: { stringValue: 'p'.repeat(2000) } }],
    }));
    expect((await post(`${r.httpUrl}/v1/traces`, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), { 'content-type': 'application/json' })).status).toBe(200);
    const [list, health] = await Promise.all([fetch(`${r.httpUrl}/api/runs/big-run/spans`), fetch(`${r.httpUrl}/healthz`)]);
    expect(health.status).toBe(200);
    expect(list.headers.get('transfer-encoding')).toBe('chunked');
    const body = (await list.json()) as { run: string; spans: { name: string }[] };
    expect(body.run).toBe('big-run');
    expect(body.spans.map((s) => s.name)).toEqual(spans.map((s) => s.name));
    expect(((await (await fetch(`${r.httpUrl}/api/runs`)).json()) as { id: string; spans: number }[]).find((x) => x.id === 'big-run')?.spans).toBe(4000);
  });

  it('answers pipelined GET and DELETE requests on one keep-alive connection', async () => {
    const r = await testReceiver();
    const { hostname, port } = new URL(r.httpUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(Number(port), hostname);
      let text = '';
      socket.on('data', (d) => {
        text += d;
        if ((text.match(/HTTP\/1\.1 /g) ?? []).length === 4) {
          socket.end();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.write(
        [
          'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET /api/runs HTTP/1.1\r\nHost: x\r\n\r\n',
          'DELETE /api/runs/nothing HTTP/1.1\r\nHost: x\r\n\r\n',
          'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
        ].join(''),
      );
      setTimeout(() => resolve(text), 5_000);
    });
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200', '204', '200']);
    expect(raw).not.toMatch(/connection: close/i);
  });

  it('still closes the connection after refusing an upload it did not read', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 1024 } });
    const { hostname, port } = new URL(r.httpUrl);
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const req = httpRequest({ host: hostname, port, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', 'content-length': '4096' } }, (res) => {
        res.resume();
        resolve(res.headers);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(10));
    });
    expect(headers.connection).toBe('close');
  });
});
