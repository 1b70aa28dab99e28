import { type JsonSpan, type Span, spansFromJson } from '@tracecheck/model';
import { SpanFileError } from './span-file-error.js';

/** A run's spans as tracecheck writes them: `runs/<id>.json` and `GET /api/runs/{id}/spans`. */
export interface RunFile {
  run: string | undefined;
  spans: Span[];
}

/** Is this the `{run, spans: [...]}` that tracecheck writes? */
export function isRunBody(v: unknown): v is { run?: unknown; spans: unknown[] } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as { spans?: unknown }).spans);
}

// The fields every written span has, and their JSON types: enough to name what is wrong with a
// hand-edited or truncated file instead of failing somewhere inside the conversion.
const SPAN_FIELDS: [keyof JsonSpan, 'string' | 'number' | 'array' | 'object'][] = [
  ['traceId', 'string'],
  ['spanId', 'string'],
  ['parentSpanId', 'string'],
  ['name', 'string'],
  ['kind', 'number'],
  ['startTimeUnixNano', 'string'],
  ['endTimeUnixNano', 'string'],
  ['attributes', 'array'],
  ['events', 'array'],
  ['links', 'array'],
  ['status', 'object'],
  ['resource', 'object'],
  ['scope', 'object'],
];

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function checkSpan(path: string, s: unknown, i: number): void {
  if (typeOf(s) !== 'object') throw new SpanFileError(`${path}: spans[${i}] is ${typeOf(s)}, not a span object`);
  const o = s as Record<string, unknown>;
  for (const [field, type] of SPAN_FIELDS) {
    const got = typeOf(o[field]);
    if (got === 'undefined') throw new SpanFileError(`${path}: spans[${i}] has no ${field}; is this a span as tracecheck writes it?`);
    if (got !== type) throw new SpanFileError(`${path}: spans[${i}].${field} should be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, got ${got}`);
  }
  for (const field of ['startTimeUnixNano', 'endTimeUnixNano'] as const) {
    if (!/^\d+$/.test(o[field] as string)) throw new SpanFileError(`${path}: spans[${i}].${field} should be nanoseconds as a decimal string, got '${o[field] as string}'`);
  }
}

/** The spans of a `{run, spans}` body, refusing spans it cannot read with where they are. */
export function runFileSpans(path: string, body: { run?: unknown; spans: unknown[] }): RunFile {
  body.spans.forEach((s, i) => checkSpan(path, s, i));
  let spans: Span[];
  try {
    spans = spansFromJson(body.spans as JsonSpan[]);
  } catch (e) {
    throw new SpanFileError(`${path}: a span cannot be read: ${(e as Error).message}`);
  }
  return { run: typeof body.run === 'string' ? body.run : undefined, spans };
}
