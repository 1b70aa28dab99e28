/**
 * Tempo's trace-by-id answers, read into model spans.
 *
 * - `/api/v2/traces/{id}` with `Accept: application/protobuf`: a `tempopb.TraceByIDResponse`
 *   (pkg/tempopb/tempo.proto: `Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3;
 *   string message = 4`). Its `Trace` (`repeated ResourceSpans resourceSpans = 1`) has the wire layout
 *   of OTLP `TracesData` and of `ExportTraceServiceRequest`, which the OTLP decoder reads. `status` is
 *   PARTIAL (1) when the trace was cut at `max_bytes_per_trace` (modules/frontend/combiner/trace_by_id_v2.go).
 * - `/api/traces/{id}` (v1) with protobuf: the `Trace` itself (modules/frontend/combiner/trace_by_id.go,
 *   `proto.Marshal(traceResult)`).
 * - JSON, when a gateway answers JSON whatever was asked: v2 is `{"trace": {"resourceSpans": [...]},
 *   "status": "PARTIAL", ...}`; v1 is `{"batches": [...]}` (pkg/tempopb/trace_utils.go `MarshalToJSONV1`
 *   writes the old field name `batches` for resourceSpans, as Tempo's Trace message once called it). Tempo writes JSON with gogo's jsonpb, which spells ids in base64, not the
 *   hex of OTLP/JSON; older answers say `instrumentationLibrarySpans` for `scopeSpans`.
 */
import type { Span } from '@tracecheck/model';
import { decodeJsonRequest, decodeProtobufRequest } from '@tracecheck/otlp';

export interface TraceBody {
  readonly spans: Span[];
  /** Tempo said the trace is incomplete (PARTIAL). */
  readonly partial: boolean;
  /** Tempo's message with it ('' when none). */
  readonly message: string;
  /** Spans of the answer the decoder could not use (bad ids). */
  readonly rejected: number;
}

export class TraceBodyError extends Error {
  readonly code = 'TEMPO_TRACE_BODY';
  constructor(message: string) {
    super(message);
    this.name = 'TraceBodyError';
  }
}

/** Reads a base-128 varint at `pos`; returns [value, next position]. Values past 2^53 only need skipping. */
function varint(b: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < b.length && i < pos + 10; i++) {
    const byte = b[i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new TraceBodyError('truncated varint in the trace-by-id answer');
}

/** The fields of a TraceByIDResponse that matter here; unknown fields are skipped. */
function readTraceByIdResponse(b: Uint8Array): { trace: Uint8Array; status: number; message: string } {
  let pos = 0;
  let trace: Uint8Array = new Uint8Array(0);
  let status = 0;
  let message = '';
  while (pos < b.length) {
    const [tag, afterTag] = varint(b, pos);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    pos = afterTag;
    if (wire === 0) {
      const [v, next] = varint(b, pos);
      if (field === 3) status = v;
      pos = next;
    } else if (wire === 2) {
      const [len, start] = varint(b, pos);
      const end = start + len;
      if (end > b.length) throw new TraceBodyError('a field of the trace-by-id answer runs past its end');
      if (field === 1) trace = b.subarray(start, end);
      else if (field === 4) message = new TextDecoder().decode(b.subarray(start, end));
      pos = end;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new TraceBodyError(`unexpected wire type ${wire} in the trace-by-id answer`);
  }
  return { trace, status, message };
}

const PARTIAL = 1;

/** A protobuf answer: v2 wraps the trace (TraceByIDResponse), v1 is the trace. */
export function decodeTraceProtobuf(body: Uint8Array, api: 'v1' | 'v2'): TraceBody {
  if (api === 'v1') {
    const r = decodeProtobufRequest(body);
    return { spans: r.spans, partial: false, message: '', rejected: r.rejectedSpans };
  }
  const { trace, status, message } = readTraceByIdResponse(body);
  const r = decodeProtobufRequest(trace);
  return { spans: r.spans, partial: status === PARTIAL, message, rejected: r.rejectedSpans };
}

const HEX = /^[0-9a-fA-F]*$/;

/** An id as Tempo's JSON spells it (base64, or hex from other writers) as lowercase hex. */
export function idToHex(id: unknown, bytes: 8 | 16): unknown {
  if (typeof id !== 'string' || id === '') return id;
  if (id.length === bytes * 2 && HEX.test(id)) return id.toLowerCase();
  const b = Buffer.from(id, 'base64');
  return b.length === bytes ? b.toString('hex') : id;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Tempo's JSON trace (`batches` or `resourceSpans`, base64 ids) as an OTLP/JSON request. */
export function normalizeTempoJsonTrace(trace: Json): Json {
  const batches = list(trace.resourceSpans ?? trace.batches);
  return {
    resourceSpans: batches.filter(isObject).map((rs) => {
      const scopes = list(rs.scopeSpans ?? rs.instrumentationLibrarySpans).filter(isObject);
      const { instrumentationLibrarySpans: _old, ...rest } = rs;
      return {
        ...rest,
        scopeSpans: scopes.map((ss) => {
          const { instrumentationLibrary, ...restScope } = ss;
          return {
            ...restScope,
            ...(ss.scope === undefined && instrumentationLibrary !== undefined ? { scope: instrumentationLibrary } : {}),
            spans: list(ss.spans).filter(isObject).map((s) => ({
              ...s,
              traceId: idToHex(s.traceId, 16),
              spanId: idToHex(s.spanId, 8),
              ...(s.parentSpanId === undefined ? {} : { parentSpanId: idToHex(s.parentSpanId, 8) }),
              links: list(s.links).filter(isObject).map((l) => ({ ...l, traceId: idToHex(l.traceId, 16), spanId: idToHex(l.spanId, 8) })),
            })),
          };
        }),
      };
    }),
  };
}

/** A JSON answer of either API. */
export function decodeTraceJson(text: string): TraceBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TraceBodyError(`the trace-by-id answer is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw new TraceBodyError('the trace-by-id answer is not a JSON object');
  // v2 wraps the trace; v1 is the trace (batches). An empty v2 answer is `{}` or `{"trace": {}}`.
  const wrapped = isObject(parsed.trace) ? parsed.trace : parsed.batches !== undefined || parsed.resourceSpans !== undefined ? parsed : {};
  const status = parsed.status;
  const partial = status === 'PARTIAL' || status === PARTIAL;
  const r = decodeJsonRequest(JSON.stringify(normalizeTempoJsonTrace(wrapped)));
  return { spans: r.spans, partial, message: typeof parsed.message === 'string' ? parsed.message : '', rejected: r.rejectedSpans };
}

/** A trace id as Tempo's search spells it (leading zeros stripped: pkg/util/traceid.go `TraceIDToHexString`) as 32 hex digits. */
export function padTraceId(id: string): string {
  const hex = id.toLowerCase();
  return hex.length >= 32 ? hex : hex.padStart(32, '0');
}
