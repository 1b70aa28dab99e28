import type { Span } from '@tracecheck/model';
import { decodeJsonRequest, OtlpDecodeError } from '@tracecheck/otlp/json';
import { EXPECTED_FORMATS, SpanFileError } from './span-file-error.js';

/**
 * A request of another signal is a valid line of a Collector file shared by traces, metrics and
 * logs; it holds no spans, but it is no reason to refuse the file.
 */
const OTLP_REQUEST = /"resource(Spans|Metrics|Logs|Profiles)"\s*:/;

/** The spans of one OTLP/JSON ExportTraceServiceRequest; `where` names it in messages. */
export function otlpRequestSpans(where: string, text: string): Span[] {
  let spans: Span[];
  try {
    spans = decodeJsonRequest(text).spans;
  } catch (e) {
    if (e instanceof OtlpDecodeError) throw new SpanFileError(`${where}: not an OTLP/JSON trace request: ${e.message}`);
    throw e;
  }
  // The decoder ignores unknown fields, as OTLP requires, so any JSON object decodes to no span.
  if (spans.length === 0 && !OTLP_REQUEST.test(text)) {
    throw new SpanFileError(`${where}: not an OTLP/JSON trace request (it has no resourceSpans)\n${EXPECTED_FORMATS}`);
  }
  return spans;
}

/**
 * The spans of OTLP JSON lines: one request per line (blank lines skipped), as the OpenTelemetry
 * Collector's file exporter writes them. Messages name the file and the line.
 */
export function otlpLinesSpans(path: string, text: string): Span[] {
  const all: Span[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    for (const s of otlpRequestSpans(`${path}:${i + 1}`, line)) all.push(s);
  });
  return all;
}
