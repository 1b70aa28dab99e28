import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Span, SpanStore } from '@tracecheck/model';
import { otlpLinesSpans, otlpRequestSpans } from './otlp-lines.js';
import { isRunBody, runFileSpans } from './run-file.js';
import { EXPECTED_FORMATS, SpanFileError } from './span-file-error.js';

/** The spans of a file, and the spans of one run in it (with run-id inheritance). */
export type FileSpans = Span[] & { inRun(runId: string): Span[] };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A few words on a JSON value that is not spans, so the user sees what the file holds instead. */
function describeJson(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length} value${v.length === 1 ? '' : 's'}`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v).slice(0, 40);
  const keys = Object.keys(v);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 5).map((k) => `"${k}"`).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

/** `report.json` is the file next to the run files; a user who passes it wants one of those. */
function reportHint(path: string, v: unknown): string | undefined {
  const runs = (v as { runs?: unknown; checks?: unknown }).runs;
  if (!Array.isArray(runs) || (v as { checks?: unknown }).checks === undefined) return undefined;
  const files = runs.map((r) => (r as { file?: unknown }).file).filter((f): f is string => typeof f === 'string');
  const which = files.length === 0 ? 'it lists no runs' : `check one of its runs' files, e.g. ${join(dirname(path), files[0]!)}`;
  return `${path} is a tracecheck run report, not a run's spans: ${which}`;
}

/**
 * Reads the spans of `--file`, telling the format from the content: a JSON document `{run, spans}`
 * (a tracecheck run file, or what the query API returns), a single OTLP/JSON request, or OTLP JSON
 * lines. A file that holds no span is refused rather than checked as an empty run: a check on it
 * would fail for a reason that has nothing to do with the service (a wrong path, a truncated
 * export). Spans go through the same store as live ones, so run-id inheritance is identical.
 */
export async function readSpanFile(path: string): Promise<FileSpans> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SpanFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (text.trim() === '') throw new SpanFileError(`${path} is empty: it holds no spans\n${EXPECTED_FORMATS}`);

  let run: string | undefined;
  let spans: Span[];
  // A whole-file parse fails fast on JSON lines (at the second line), so trying it costs little.
  const whole = parseJson(text);
  if (isRunBody(whole)) {
    ({ run, spans } = runFileSpans(path, whole));
    if (spans.length === 0) throw new SpanFileError(`${path} holds no spans${run === undefined ? '' : ` (run '${run}' had none when it was written)`}`);
  } else if (whole !== undefined && (typeof whole !== 'object' || whole === null || Array.isArray(whole) || !('resourceSpans' in whole))) {
    throw new SpanFileError(reportHint(path, whole) ?? `${path} holds JSON of another shape (${describeJson(whole)})\n${EXPECTED_FORMATS}`);
  } else if (whole === undefined && parseJson(text.trimStart().split('\n', 1)[0]!) === undefined) {
    throw new SpanFileError(`${path} is not JSON\n${EXPECTED_FORMATS}`);
  } else {
    // One request per line, or one pretty-printed request (whose line numbers would mislead).
    const pretty = whole !== undefined && text.trim().includes('\n');
    spans = pretty ? otlpRequestSpans(path, text) : otlpLinesSpans(path, text);
    if (spans.length === 0) throw new SpanFileError(`${path} holds no spans: its OTLP/JSON requests have none`);
  }

  const store = new SpanStore({ maxBytes: Number.MAX_SAFE_INTEGER, retentionMs: Number.MAX_SAFE_INTEGER });
  store.add(spans);
  const inRun = (runId: string): Span[] => {
    if (run === undefined) return store.runSpans(runId);
    // A run file holds one run, already resolved; another run id is a mistake, not an empty run.
    if (runId !== run) throw new SpanFileError(`${path} holds the spans of run '${run}', not '${runId}': leave --run out or give --run ${run}`);
    return spans;
  };
  return Object.assign(spans, { inRun });
}
