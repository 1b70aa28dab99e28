/** A `--file` that cannot be read as spans: printed on stderr with exit code 2, naming the file. */
export class SpanFileError extends Error {
  readonly code = 'SPAN_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'SpanFileError';
  }
}

/** What `--file` reads: the second line of a message that refuses a file. */
export const EXPECTED_FORMATS =
  "--file reads OTLP JSON lines (the OpenTelemetry Collector's file exporter), a run file of tracecheck run --report (runs/<id>.json) or a saved GET /api/runs/{id}/spans body";
