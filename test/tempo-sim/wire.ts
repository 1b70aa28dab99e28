/**
 * Tempo's answer bodies, written the way Tempo writes them (for the simulator only).
 */
import type { Span } from '@tracecheck/model';
import { encodeProtobufRequest, jsonRequest } from '@tracecheck/otlp';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function lenField(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint(field * 8 + 2), ...varint(bytes.length)]), bytes]);
}

/**
 * `tempopb.Trace` (pkg/tempopb/tempo.proto: `repeated ResourceSpans resourceSpans = 1`): the wire
 * layout of ExportTraceServiceRequest, so the OTLP encoder writes it.
 */
export function traceProto(spans: readonly Span[]): Uint8Array {
  return spans.length === 0 ? new Uint8Array(0) : encodeProtobufRequest(spans);
}

/**
 * `tempopb.TraceByIDResponse` (`Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3;
 * string message = 4`). The v2 combiner always sets `trace`, an empty one when nothing was found
 * (modules/frontend/combiner/trace_by_id_v2.go), so field 1 is present even with no span.
 */
export function traceByIdResponseProto(spans: readonly Span[], partial: boolean, message: string, inspectedBytes: number): Uint8Array {
  const parts: Buffer[] = [lenField(1, traceProto(spans))];
  parts.push(lenField(2, Buffer.from([...varint(1 * 8 + 0), ...varint(inspectedBytes)]))); // TraceByIDMetrics.inspectedBytes
  if (partial) parts.push(Buffer.from([...varint(3 * 8 + 0), 1]));
  if (message !== '') parts.push(lenField(4, Buffer.from(message, 'utf8')));
  return Buffer.concat(parts);
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/**
 * OTLP/JSON resource spans as Tempo's gogo jsonpb writes them: ids in base64 (bytes fields), not the
 * hex of the OTLP/JSON spec.
 */
export function tempoJsonResourceSpans(spans: readonly Span[]): unknown[] {
  const req = JSON.parse(JSON.stringify(jsonRequest(spans))) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  for (const rs of req.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        s.traceId = b64(String(s.traceId));
        s.spanId = b64(String(s.spanId));
        if (typeof s.parentSpanId === 'string' && s.parentSpanId !== '') s.parentSpanId = b64(s.parentSpanId);
        for (const l of (s.links as Record<string, unknown>[] | undefined) ?? []) {
          l.traceId = b64(String(l.traceId));
          l.spanId = b64(String(l.spanId));
        }
      }
    }
  }
  return req.resourceSpans;
}
