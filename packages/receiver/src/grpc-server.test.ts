import { connect } from 'node:http2';
import { createConnection } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { createSpan } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it } from 'vitest';
import type { Receiver } from './index.js';
import { type ExportCall, grpcClient, gzipZeros, runSpans, spanNames, testReceiver } from '../test-support/fixtures.js';
import { readPartialSuccess, readRpcStatus } from '../test-support/wire.js';

function errorOf(call: ExportCall): grpc.ServiceError {
  if (call.ok) throw new Error('expected the call to fail, it succeeded');
  return call.error;
}

/** Exports run `good` over gRPC and returns a check that it is still whole and served. */
async function storeGoodRun(r: Receiver, send: ReturnType<typeof grpcClient>): Promise<() => Promise<void>> {
  expect(await send(encodeProtobufRequest(runSpans('good', 2)))).toMatchObject({ ok: true });
  const count = r.store.spanCount;
  return async () => {
    expect(r.store.spanCount).toBe(count);
    expect(await spanNames(r, 'good')).toEqual(['op-0', 'op-1']);
    expect(await send(new Uint8Array(0))).toMatchObject({ ok: true });
  };
}

/**
 * Sends one length-prefixed gRPC message by hand over HTTP/2, flagged as gzip-compressed, and
 * returns the grpc-status trailer: lets a test send a bomb no real client would build.
 */
function sendCompressedFrame(address: string, payload: Buffer): Promise<{ status: string; message: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc',
      'grpc-encoding': 'gzip',
      te: 'trailers',
    });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt8(1, 0);
    prefix.writeUInt32BE(payload.length, 1);
    let headers: Record<string, unknown> = {};
    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (headers = { ...headers, ...t }));
    stream.on('error', reject);
    stream.resume();
    stream.on('close', () => {
      session.close();
      resolve({ status: String(headers['grpc-status']), message: decodeURIComponent(String(headers['grpc-message'] ?? '')) });
    });
    stream.end(Buffer.concat([prefix, payload]));
  });
}

describe('OTLP/gRPC Export', () => {
  it('stores the spans and answers an empty response', async () => {
    const r = await testReceiver();
    const call = await grpcClient(r.grpcAddress!)(encodeProtobufRequest(runSpans('run-1', 3)));
    expect(call).toMatchObject({ ok: true });
    expect(call.ok && call.response.length).toBe(0);
    expect(await spanNames(r, 'run-1')).toEqual(['op-0', 'op-1', 'op-2']);
  });

  it('accepts gzip-compressed requests', async () => {
    const r = await testReceiver();
    const send = grpcClient(r.grpcAddress!, { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip });
    expect(await send(encodeProtobufRequest(runSpans('zipped', 2)))).toMatchObject({ ok: true });
    expect(await spanNames(r, 'zipped')).toEqual(['op-0', 'op-1']);
  });

  it('answers a partial success for spans with unusable ids', async () => {
    const r = await testReceiver();
    const bad = createSpan({ traceId: '00'.repeat(16), spanId: '0102030405060708', attributes: { 'test.run.id': 'run-1' } });
    const call = await grpcClient(r.grpcAddress!)(encodeProtobufRequest([...runSpans('run-1', 2), bad]));
    if (!call.ok) throw call.error;
    expect(readPartialSuccess(call.response)).toEqual({ rejectedSpans: 1, errorMessage: expect.stringMatching(/traceId/) as unknown });
    expect(await spanNames(r, 'run-1')).toEqual(['op-0', 'op-1']);
  });

  it.each([
    ['garbage bytes', Buffer.from('\xff\xff\xff\xff\x0f not protobuf', 'latin1')],
    ['truncated protobuf', Buffer.from(encodeProtobufRequest(runSpans('bad', 5))).subarray(0, -7)],
  ])('answers INVALID_ARGUMENT to %s and stores nothing from it', async (_name, body) => {
    const r = await testReceiver();
    const send = grpcClient(r.grpcAddress!);
    const intact = await storeGoodRun(r, send);
    const err = errorOf(await send(body));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).not.toBe('');
    expect(await spanNames(r, 'bad')).toEqual([]);
    await intact();
  });

  it('answers RESOURCE_EXHAUSTED with RetryInfo while the store is full, and accepts after a DELETE', async () => {
    const r = await testReceiver({ limits: { maxMemoryBytes: 20_000, retryAfterSeconds: 2, grpcFullWaitMs: 300 } });
    const send = grpcClient(r.grpcAddress!);
    let n = 0;
    while ((await send(encodeProtobufRequest(runSpans('filler', 1)))).ok) n++;
    expect(n).toBeGreaterThan(0);
    const before = r.store.spanCount;
    const err = errorOf(await send(encodeProtobufRequest(runSpans('late', 5))));
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const [details] = err.metadata.get('grpc-status-details-bin');
    expect(details).toBeInstanceOf(Buffer);
    expect(readRpcStatus(details as Buffer)).toEqual({ code: 8, message: err.details, retryDelaySeconds: 2 });
    expect(r.store.spanCount).toBe(before);
    expect((await fetch(`${r.httpUrl}/api/runs/filler`, { method: 'DELETE' })).status).toBe(204);
    expect(await send(encodeProtobufRequest(runSpans('late', 5)))).toMatchObject({ ok: true });
    expect(await spanNames(r, 'late')).toHaveLength(5);
  });

  it('holds an export while the store is full and stores it once a DELETE makes room, within grpcFullWaitMs', async () => {
    // The JS gRPC exporter retries no status: an export refused at once would be lost.
    const r = await testReceiver({ limits: { maxMemoryBytes: 20_000, grpcFullWaitMs: 5_000 } });
    const send = grpcClient(r.grpcAddress!);
    while (r.store.usedBytes + 3_000 < r.store.maxBytes) expect(await send(encodeProtobufRequest(runSpans('filler', 1)))).toMatchObject({ ok: true });
    const late = send(encodeProtobufRequest(runSpans('late', 5)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await spanNames(r, 'late')).toEqual([]);
    expect((await fetch(`${r.httpUrl}/api/runs/filler`, { method: 'DELETE' })).status).toBe(204);
    expect(await late).toMatchObject({ ok: true });
    expect(await spanNames(r, 'late')).toHaveLength(5);
    expect(r.stats.requests.full).toBe(0);
  });

  it('closes a connection that stays idle, half-open or never speaks HTTP/2, after grpcIdleMs', async () => {
    const r = await testReceiver({ limits: { grpcIdleMs: 500, grpcKeepaliveMs: 500 } });
    const [host, port] = [r.grpcAddress!.slice(0, r.grpcAddress!.lastIndexOf(':')), Number(r.grpcAddress!.slice(r.grpcAddress!.lastIndexOf(':') + 1))];
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = createConnection(port, host);
      socket.on('error', () => {});
      socket.on('data', () => {});
      socket.on('close', () => resolve(Date.now() - started));
      setTimeout(() => socket.destroy(), 10_000);
    });
    expect(closed).toBeLessThan(5_000);
  });

  it('answers RESOURCE_EXHAUSTED without RetryInfo to a batch larger than the whole store', async () => {
    const r = await testReceiver({ limits: { maxMemoryBytes: 2000 } });
    const err = errorOf(await grpcClient(r.grpcAddress!)(encodeProtobufRequest(runSpans('huge', 50))));
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(err.metadata.get('grpc-status-details-bin')).toEqual([]);
    expect(r.store.spanCount).toBe(0);
  });

  it('refuses a message over maxDecompressedBytes', async () => {
    const r = await testReceiver({ limits: { maxDecompressedBytes: 4096 } });
    const send = grpcClient(r.grpcAddress!);
    const intact = await storeGoodRun(r, send);
    const err = errorOf(await send(encodeProtobufRequest(runSpans('big', 100))));
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await spanNames(r, 'big')).toEqual([]);
    await intact();
  });

  it('cuts a gzip bomb off at maxDecompressedBytes', async () => {
    const r = await testReceiver();
    const send = grpcClient(r.grpcAddress!);
    const intact = await storeGoodRun(r, send);
    const result = await sendCompressedFrame(r.grpcAddress!, await gzipZeros(200 * 1024 * 1024));
    expect(result.status).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
    expect(result.message).toMatch(/decompresses to a size larger than/);
    await intact();
  });
});
