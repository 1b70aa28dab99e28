import { request } from 'node:http';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it } from 'vitest';
import { runSpans, testReceiver } from '../test-support/fixtures.js';

// limits.maxInFlightBytes: many concurrent uploads cannot add up past the budget; the excess gets a
// retryable 429, and the budget comes back when requests finish, fail or are cut off.

/** Starts a chunked upload and sends `first`; `finish()` sends the rest and resolves with the status. */
function slowUpload(url: string, body: Buffer, firstBytes: number) {
  const req = request(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'transfer-encoding': 'chunked' } });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, firstBytes));
  return {
    status,
    finish: () => {
      req.end(body.subarray(firstBytes));
      return status;
    },
    abort: () => req.destroy(),
  };
}

const post = (url: string, body: Buffer) =>
  fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });

describe('limits.maxInFlightBytes', () => {
  it('answers 429 with Retry-After past the budget, and frees it when requests end', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 96 * 1024, maxInFlightBytes: 100 * 1024, retryAfterSeconds: 2 } });
    // A real request of ~60 KiB: 120 spans with a long attribute.
    const big = Buffer.from(encodeProtobufRequest(runSpans('A', 120, 'x'.repeat(400))));
    expect(big.length).toBeGreaterThan(50 * 1024);
    const first = slowUpload(r.httpUrl, big, big.length - 10);
    await new Promise((res) => setTimeout(res, 100)); // its bytes are in flight

    const refused = await post(r.httpUrl, Buffer.from(encodeProtobufRequest(runSpans('B', 120, 'y'.repeat(400)))));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(r.store.runSpans('B')).toEqual([]);

    expect(await first.finish()).toBe(200);
    const again = await post(r.httpUrl, Buffer.from(encodeProtobufRequest(runSpans('C', 120, 'z'.repeat(400)))));
    expect(again.status).toBe(200);
    expect(r.store.runSpans('A')).toHaveLength(120);
    expect(r.store.runSpans('C')).toHaveLength(120);
  });

  it('gives the budget back when an upload is cut off midway', async () => {
    const r = await testReceiver({ limits: { maxBodyBytes: 96 * 1024, maxInFlightBytes: 100 * 1024 } });
    const big = Buffer.from(encodeProtobufRequest(runSpans('A', 120, 'x'.repeat(400))));
    for (let i = 0; i < 5; i++) {
      const cut = slowUpload(r.httpUrl, big, big.length - 10);
      cut.status.catch(() => {});
      await new Promise((res) => setTimeout(res, 50));
      cut.abort();
      await new Promise((res) => setTimeout(res, 50));
    }
    expect((await post(r.httpUrl, big)).status).toBe(200);
  });

  it('refuses a budget smaller than one body', async () => {
    await expect(testReceiver({ limits: { maxBodyBytes: 2048, maxInFlightBytes: 1024 } })).rejects.toThrow(/maxInFlightBytes/);
  });
});
