import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverStore } from '@tracecheck/store';
import {
  type BufferPool,
  encodeProtobufResponse,
  encodeProtobufStatus,
  jsonResponse,
  jsonStatus,
  skimProtobufRequestSliced,
} from '@tracecheck/otlp';
import { contentCoding, decompress, readBody } from './body.js';
import { HttpError, RequestAbortedError } from './http-error.js';
import type { InFlightBudget } from './in-flight.js';
import { type DecodeMemory, type ExportOutcome, ingest, type IngestStats, skimJsonSliced } from './ingest.js';
import { decodeLimitsOf, type ReceiverLimits } from './limits.js';
import { send } from './respond.js';

/** The two OTLP/HTTP encodings; a response always uses the request's. */
export type OtlpFormat = 'protobuf' | 'json';

const CONTENT_TYPES: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The format named by `Content-Type`, parameters (charset) ignored; undefined when neither. */
export function otlpFormat(contentType: string | undefined): OtlpFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** google.rpc.Code for each HTTP status the OTLP endpoint answers, for the Status body. */
const RPC_CODE: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
};

/**
 * An OTLP error response: a google.rpc.Status in the request's encoding (OTLP/HTTP spec, "Failures").
 * An unknown content type gets JSON, the only encoding a human reading it can be assumed to parse.
 */
export function sendOtlpError(
  req: IncomingMessage,
  res: ServerResponse,
  format: OtlpFormat | undefined,
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const rpc = { code: RPC_CODE[status] ?? 2 /* UNKNOWN */, message };
  const f = format ?? 'json';
  const body = f === 'protobuf' ? encodeProtobufStatus(rpc) : jsonStatus(rpc);
  send(req, res, status, CONTENT_TYPES[f], body, headers);
}

/** Context the export handler needs from its receiver. */
export interface ExportContext {
  readonly store: ReceiverStore;
  readonly limits: ReceiverLimits;
  /** Request bytes buffered across connections (limits.maxInFlightBytes). */
  readonly inFlight: InFlightBudget;
  /** Memory held by requests being decoded, drawn from the store's free capacity. */
  readonly decodeMemory: DecodeMemory;
  readonly stats: IngestStats;
  /** Buffers for bodies that are not kept: OTLP/JSON (transcoded) and compressed ones (decompressed). */
  readonly bodyPool: BufferPool;
}

/** `POST /v1/traces`: read, decompress, skim, store, answer in the request's encoding. */
export async function handleHttpExport(req: IncomingMessage, res: ServerResponse, ctx: ExportContext): Promise<void> {
  const format = otlpFormat(req.headers['content-type']);
  let held = 0;
  let raw: Buffer | undefined;
  let pooled: BufferPool | undefined;
  try {
    if (format === undefined) {
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `unsupported Content-Type "${req.headers['content-type'] ?? ''}" (use application/x-protobuf or application/json)`,
      );
    }
    const coding = contentCoding(req.headers['content-encoding']);
    // What the store keeps is an uncompressed protobuf body itself, else bytes made from the body.
    pooled = format === 'json' || coding !== 'identity' ? ctx.bodyPool : undefined;
    raw = await readBody(req, ctx.limits.maxBodyBytes, ctx.inFlight, pooled);
    held = raw.length;
    // The decompressed copy is held too: it counts against the same in-flight budget (429 past it).
    const { data: body, held: decompressed } = await decompress(raw, coding, ctx.limits.maxDecompressedBytes, ctx.inFlight);
    held += decompressed;
    const options = { limits: decodeLimitsOf(ctx.limits), sliceMs: ctx.limits.sliceMs };
    const outcome = await ingest(ctx.store, ctx.decodeMemory, ctx.stats, (budget) =>
      format === 'protobuf' ? skimProtobufRequestSliced(body, { ...options, budget }) : skimJsonSliced(body, { ...options, budget }),
    );
    sendOutcome(req, res, format, outcome, ctx.limits);
  } catch (err) {
    if (err instanceof RequestAbortedError) return; // the client is gone; nothing to answer
    if (!(err instanceof HttpError)) throw err;
    sendOtlpError(req, res, format, err.status, err.message, err.headers);
  } finally {
    ctx.inFlight.release(held);
    if (raw !== undefined) pooled?.give(raw.buffer);
  }
}

function sendOutcome(req: IncomingMessage, res: ServerResponse, format: OtlpFormat, outcome: ExportOutcome, limits: ReceiverLimits): void {
  switch (outcome.kind) {
    case 'accepted': {
      const partial = { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.errorMessage };
      const body = format === 'protobuf' ? encodeProtobufResponse(partial) : jsonResponse(partial);
      send(req, res, 200, CONTENT_TYPES[format], body);
      return;
    }
    case 'invalid':
      sendOtlpError(req, res, format, 400, outcome.message);
      return;
    case 'full':
      // 429 is one of the codes OTLP exporters retry, after Retry-After (OTLP/HTTP spec, "Throttling").
      sendOtlpError(req, res, format, 429, outcome.message, { 'retry-after': String(limits.retryAfterSeconds) });
      return;
    case 'too-large':
      sendOtlpError(req, res, format, 413, outcome.message);
      return;
  }
}
