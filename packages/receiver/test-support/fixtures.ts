/*
 * Shared pieces of the receiver's tests: receivers on free ports that stop after each test, spans
 * tagged with a run, a streaming gzip of zeros (a bomb without holding its expanded size), and a
 * raw gRPC client for the trace service.
 */
import { randomBytes } from 'node:crypto';
import { createGzip } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { type Span, createSpan } from '@tracecheck/model';
import { type Receiver, type ReceiverOptions, startReceiver, traceServiceDefinition } from '@tracecheck/receiver';
import { afterEach } from 'vitest';

const running: Receiver[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** A receiver on free ports (HTTP and gRPC), stopped after the current test. */
export async function testReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const receiver = await startReceiver({ httpPort: 0, grpcPort: 0, ...options });
  running.push(receiver);
  return receiver;
}

/** `count` spans of one new trace, tagged with `runId`. */
export function runSpans(runId: string, count = 1, name = 'op'): Span[] {
  const traceId = randomBytes(16).toString('hex');
  return Array.from({ length: count }, (_, i) =>
    createSpan({ traceId, spanId: randomBytes(8).toString('hex'), name: `${name}-${i}`, attributes: { 'test.run.id': runId } }),
  );
}

/** The names of a run's spans as the query API returns them, sorted. */
export async function spanNames(receiver: Receiver, runId: string, init: RequestInit = {}): Promise<string[]> {
  const res = await fetch(`${receiver.httpUrl}/api/runs/${encodeURIComponent(runId)}/spans`, init);
  const body = (await res.json()) as { spans: { name: string }[] };
  return body.spans.map((s) => s.name).sort();
}

/** gzip of `size` zero bytes, compressed in chunks so the expanded data is never in memory. */
export async function gzipZeros(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!gzip.write(piece)) await new Promise((r) => gzip.once('drain', r));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

/** Outcome of one raw gRPC Export call. */
export type ExportCall = { ok: true; response: Buffer } | { ok: false; error: grpc.ServiceError };

const clients: grpc.Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

/** A raw-bytes gRPC client for the trace service; closed after the current test. */
export function grpcClient(address: string, options: grpc.ClientOptions = {}): (request: Uint8Array, metadata?: grpc.Metadata) => Promise<ExportCall> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), options);
  clients.push(client);
  const method = traceServiceDefinition['Export']!;
  return (request, metadata = new grpc.Metadata()) =>
    new Promise((resolve) => {
      client.makeUnaryRequest<Buffer, Buffer>(
        method.path,
        (b) => b,
        (b) => b,
        Buffer.from(request),
        metadata,
        (error, response) => resolve(error ? { ok: false, error } : { ok: true, response: response! }),
      );
    });
}
