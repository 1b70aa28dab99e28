import * as grpc from '@grpc/grpc-js';
import type { ReceiverStore } from '@tracecheck/store';
import { skimProtobufRequestSliced, encodeProtobufResponse, encodeProtobufStatus } from '@tracecheck/otlp';
import { hostPort } from './address.js';
import { bearerTokenMatches } from './auth.js';
import { HttpError } from './http-error.js';
import type { InFlightBudget } from './in-flight.js';
import { type DecodeMemory, type ExportOutcome, ingest, type IngestStats } from './ingest.js';
import { decodeLimitsOf, type ReceiverLimits } from './limits.js';
import { retryInfoDetailField } from './retry-info.js';

const passthrough = (bytes: Buffer): Buffer => bytes;

/** How long a keepalive ping may go unanswered before the connection is closed. */
const KEEPALIVE_TIMEOUT_MS = 10_000;

/**
 * OTLP/gRPC's trace service, defined by hand with raw-bytes (de)serializers: the handler decodes,
 * so a malformed request becomes INVALID_ARGUMENT with the decoder's message (a throwing
 * deserializer would give grpc-js's generic INTERNAL instead), and no .proto loading is needed.
 */
export const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: passthrough,
    requestDeserialize: passthrough,
    responseSerialize: passthrough,
    responseDeserialize: passthrough,
  },
};

/** What the gRPC handler needs from its receiver. */
export interface GrpcContext {
  readonly store: ReceiverStore;
  readonly limits: ReceiverLimits;
  readonly token: string | undefined;
  readonly decodeMemory: DecodeMemory;
  readonly stats: IngestStats;
  /** Shared with HTTP: a gRPC export waiting for room holds its message against it. */
  readonly inFlight: InFlightBudget;
}

function fail(code: grpc.status, details: string, metadata?: grpc.Metadata): Partial<grpc.StatusObject> {
  return metadata === undefined ? { code, details } : { code, details, metadata };
}

/** Handles one Export call; never throws (an unexpected error is answered as INTERNAL). */
function exportHandler(ctx: GrpcContext): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    void answer(call, callback).catch((err: unknown) => callback(fail(grpc.status.INTERNAL, err instanceof Error ? err.message : String(err))));
  };

  async function answer(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): Promise<void> {
    if (ctx.token !== undefined) {
      const header = call.metadata.get('authorization')[0];
      if (!bearerTokenMatches(typeof header === 'string' ? header : undefined, ctx.token)) {
        callback(fail(grpc.status.UNAUTHENTICATED, 'missing or wrong bearer token (authorization: Bearer <token>)'));
        return;
      }
    }
    // The message (grpc-js has buffered it, up to maxDecompressedBytes) counts against the budget
    // HTTP bodies share, so concurrent calls cannot pile up memory past it.
    try {
      ctx.inFlight.reserve(call.request.length);
    } catch (err) {
      // RetryInfo only when retrying can help (others hold the budget), not for a message larger than all of it.
      const message = (err as Error).message;
      const retryable = !(err instanceof HttpError && err.status === 413);
      callback(fail(grpc.status.RESOURCE_EXHAUSTED, message, retryable ? retryMetadata(ctx, message) : undefined));
      return;
    }
    let outcome: ExportOutcome;
    try {
      const options = { limits: decodeLimitsOf(ctx.limits), sliceMs: ctx.limits.sliceMs };
      const attempt = () => ingest(ctx.store, ctx.decodeMemory, ctx.stats, (budget) => skimProtobufRequestSliced(call.request, { ...options, budget }), false);
      outcome = await attempt();
      if (outcome.kind === 'full') outcome = await waitForRoom(call, ctx, attempt, outcome);
      if (outcome.kind === 'full') ctx.stats.requests.full++;
    } finally {
      ctx.inFlight.release(call.request.length);
    }
    if (call.cancelled) return;
    switch (outcome.kind) {
      case 'accepted':
        callback(null, Buffer.from(encodeProtobufResponse(outcome)));
        return;
      case 'invalid':
        callback(fail(grpc.status.INVALID_ARGUMENT, outcome.message));
        return;
      case 'full':
        callback(fail(grpc.status.RESOURCE_EXHAUSTED, outcome.message, retryMetadata(ctx, outcome.message)));
        return;
      case 'too-large':
        // RESOURCE_EXHAUSTED without RetryInfo: not retryable (OTLP/gRPC spec), as retrying cannot fit it.
        callback(fail(grpc.status.RESOURCE_EXHAUSTED, outcome.message));
        return;
    }
  }
}

/** google.rpc.Status with RetryInfo: exporters following the OTLP spec retry RESOURCE_EXHAUSTED only with it. */
function retryMetadata(ctx: GrpcContext, message: string): grpc.Metadata {
  const details = Buffer.concat([encodeProtobufStatus({ code: grpc.status.RESOURCE_EXHAUSTED, message }), retryInfoDetailField(ctx.limits.retryAfterSeconds)]);
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', details);
  return metadata;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With the store full, a gRPC export waits for room (a run deleted, retention) instead of being
 * refused at once: the JS gRPC exporter retries no status, so an immediate RESOURCE_EXHAUSTED would
 * lose its batch. It waits up to `grpcFullWaitMs`, never past the call's deadline less a second,
 * and tries again each time the store's free room grows (its message stays counted against
 * `maxInFlightBytes` meanwhile). Still full then: RESOURCE_EXHAUSTED with RetryInfo, which
 * exporters following the OTLP spec retry.
 */
async function waitForRoom(call: grpc.ServerUnaryCall<Buffer, Buffer>, ctx: GrpcContext, again: () => Promise<ExportOutcome>, first: ExportOutcome): Promise<ExportOutcome> {
  const deadline = call.getDeadline();
  const callEnd = deadline instanceof Date ? deadline.getTime() : deadline;
  const until = Math.min(Date.now() + ctx.limits.grpcFullWaitMs, callEnd - 1000);
  const free = (): number => ctx.store.maxBytes - ctx.store.usedBytes - ctx.store.reservedByteCount;
  let lastFree = free();
  let outcome = first;
  while (Date.now() + FULL_POLL_MS < until && !call.cancelled) {
    await sleep(FULL_POLL_MS);
    if (free() <= lastFree) continue;
    lastFree = free();
    outcome = await again();
    if (outcome.kind !== 'full') return outcome;
  }
  return outcome;
}

/** How often a waiting gRPC export looks for room. */
const FULL_POLL_MS = 100;

/**
 * Starts the gRPC server. grpc-js applies `grpc.max_receive_message_length` both to the message as
 * received and to its decompressed size (`grpc-encoding: gzip`), so `maxDecompressedBytes` is the
 * one bound on a gRPC request; a larger one is RESOURCE_EXHAUSTED without RetryInfo.
 */
export function startGrpcServer(host: string, port: number, ctx: GrpcContext): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.limits.maxDecompressedBytes,
    // A vanished client leaves a half-open connection that would be kept forever: pings find it.
    'grpc.keepalive_time_ms': ctx.limits.grpcKeepaliveMs,
    'grpc.keepalive_timeout_ms': Math.min(KEEPALIVE_TIMEOUT_MS, ctx.limits.grpcKeepaliveMs),
    'grpc.max_connection_idle_ms': ctx.limits.grpcIdleMs,
  });
  server.addService(traceServiceDefinition, { Export: exportHandler(ctx) });
  return new Promise((resolve, reject) => {
    server.bindAsync(hostPort(host, port), grpc.ServerCredentials.createInsecure(), (err, boundPort) => {
      if (err) {
        server.forceShutdown();
        reject(err);
      } else {
        resolve({ server, port: boundPort });
      }
    });
  });
}

/** Stops accepting calls, lets running ones finish for up to `graceMs`, then cuts the rest. */
export function stopGrpcServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
