import * as grpc from '@grpc/grpc-js';
import type { SpanStore } from '@tracecheck/model';
import { decodeProtobufRequestSliced, encodeProtobufResponse, encodeProtobufStatus } from '@tracecheck/otlp';
import { hostPort } from './address.js';
import { bearerTokenMatches } from './auth.js';
import { type DecodeMemory, ingest, type IngestStats } from './ingest.js';
import { decodeLimitsOf, type ReceiverLimits } from './limits.js';
import { retryInfoDetailField } from './retry-info.js';

const passthrough = (bytes: Buffer): Buffer => bytes;

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
  readonly store: SpanStore;
  readonly limits: ReceiverLimits;
  readonly token: string | undefined;
  readonly decodeMemory: DecodeMemory;
  readonly stats: IngestStats;
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
    const options = { limits: decodeLimitsOf(ctx.limits), sliceMs: ctx.limits.sliceMs };
    const outcome = await ingest(ctx.store, ctx.decodeMemory, ctx.stats, (budget) => decodeProtobufRequestSliced(call.request, { ...options, budget }));
    switch (outcome.kind) {
      case 'accepted':
        callback(null, Buffer.from(encodeProtobufResponse(outcome)));
        return;
      case 'invalid':
        callback(fail(grpc.status.INVALID_ARGUMENT, outcome.message));
        return;
      case 'full': {
        const delay = ctx.limits.retryAfterSeconds;
        const details = Buffer.concat([
          encodeProtobufStatus({ code: grpc.status.RESOURCE_EXHAUSTED, message: outcome.message }),
          retryInfoDetailField(delay),
        ]);
        const metadata = new grpc.Metadata();
        metadata.set('grpc-status-details-bin', details);
        callback(fail(grpc.status.RESOURCE_EXHAUSTED, outcome.message, metadata));
        return;
      }
      case 'too-large':
        // RESOURCE_EXHAUSTED without RetryInfo: not retryable (OTLP/gRPC spec), as retrying cannot fit it.
        callback(fail(grpc.status.RESOURCE_EXHAUSTED, outcome.message));
        return;
    }
  }
}

/**
 * Starts the gRPC server. grpc-js applies `grpc.max_receive_message_length` both to the message as
 * received and to its decompressed size (`grpc-encoding: gzip`), so `maxDecompressedBytes` is the
 * one bound on a gRPC request; a larger one is RESOURCE_EXHAUSTED without RetryInfo.
 */
export function startGrpcServer(host: string, port: number, ctx: GrpcContext): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.limits.maxDecompressedBytes,
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
