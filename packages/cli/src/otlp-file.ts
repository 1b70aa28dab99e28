import { readFile } from 'node:fs/promises';
import { type Span, SpanStore } from '@tracecheck/model';
import { decodeJsonRequest, OtlpDecodeError } from '@tracecheck/otlp';

/** The spans of an OTLP JSON-lines file, and the spans of one run in it (with run-id inheritance). */
export type FileSpans = Span[] & { inRun(runId: string): Span[] };

/** A file that cannot be read as OTLP JSON lines: exit code 2, naming the line. */
export class OtlpFileError extends Error {
  readonly code = 'OTLP_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'OtlpFileError';
  }
}

/**
 * Reads the OpenTelemetry Collector file exporter's format: one ExportTraceServiceRequest as
 * OTLP/JSON per line (blank lines skipped). Spans go through the same store as live ones, so run-id
 * inheritance and duplicate handling are identical.
 */
export async function readOtlpJsonLines(path: string): Promise<FileSpans> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new OtlpFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const store = new SpanStore({ maxBytes: Number.MAX_SAFE_INTEGER, retentionMs: Number.MAX_SAFE_INTEGER });
  const all: Span[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const { spans } = decodeJsonRequest(line);
      store.add(spans);
      all.push(...spans);
    } catch (e) {
      if (e instanceof OtlpDecodeError) throw new OtlpFileError(`${path}:${i + 1}: not an OTLP/JSON trace request: ${e.message}`);
      throw e;
    }
  });
  return Object.assign(all, { inRun: (runId: string) => store.runSpans(runId) });
}
