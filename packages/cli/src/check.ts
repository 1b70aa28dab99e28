import { parseArgs } from 'node:util';
import { AssertionSyntaxError, ReceiverHttpError, TracecheckClient } from '@tracecheck/client';
import {
  checkSpans,
  DEFAULT_IN_FLIGHT_CAPS,
  DEFAULT_SETTLE_MS,
  DEFAULT_TIMEOUT_MS,
  LangError,
  renderError,
  renderVerdictData,
  validateAssertion,
  type Verdict,
  type VerdictStyle,
} from '@tracecheck/lang';
import { parseDuration } from './units.js';
import { UsageError } from './usage-error.js';

export const checkUsage = `Usage: tracecheck check --url URL --run ID [options] ASSERTION...
       tracecheck check --file FILE [--run ID] ASSERTION...

Decides each assertion on a run. Against a live receiver (--url) it waits for the effects: a check
passes as soon as no later span can make it false, or once the run has settled, and fails at the
timeout with the evidence. Against a file (--file) the file is the whole run, settled; it may be
OTLP JSON lines (the OpenTelemetry Collector's file exporter format), a run file that
tracecheck run --report wrote (runs/<id>.json), or a saved GET /api/runs/{id}/spans body.
With --tempo URL instead of --url, the run is read from Grafana Tempo (TraceQL search, trace by
id); checks that need a quiet run also wait out Tempo's visibility lag (docs/scale-out.md).

Options:
  --url URL            receiver HTTP URL (default: $TRACECHECK_URL)
  --token TOKEN        bearer token (default: $TRACECHECK_TOKEN)
  --run ID             the run id (test.run.id); with --file, optional: without it, every span counts
  --file FILE          check a file offline instead of a receiver (format told from its content)
  --tempo URL          check a run stored in Grafana Tempo (its HTTP API, e.g. http://tempo:3200)
  --tempo-header 'K: V'  a header for every Tempo request (repeatable), e.g. 'X-Scope-OrgID: team-a'
  --tempo-lag DURATION   how long after a span is written Tempo's search is certain to find it
                         (default: 35s for Tempo 3.x, 20s for 2.x, told from Tempo's build info)
  --tempo-poll DURATION  time between polls of Tempo (default 1s; kept within 10ms and 30s)
  --timeout DURATION   how long to wait for a verdict (default ${DEFAULT_TIMEOUT_MS / 1000}s; with --tempo, that plus twice the lag and the poll grace)
  --settle DURATION    quiet time before a settling check passes (default ${DEFAULT_SETTLE_MS}ms)
  --parent-cap DURATION    most time to wait for a parent span that has not arrived (an open
                           operation) before a settling check passes (default ${DEFAULT_IN_FLIGHT_CAPS.parentMs / 1000}s; 0: never)
  --consumer-cap DURATION  ... for the consumer of a PRODUCER span (default ${DEFAULT_IN_FLIGHT_CAPS.consumerMs / 1000}s; 0: never)
  --open-cap DURATION      ... for a span @tracecheck/sdk reported open (default ${DEFAULT_IN_FLIGHT_CAPS.openMs / 1000}s; 0: never)

Exit codes: 0 all hold; 1 one fails or times out (diagnostics on stdout); 2 usage, syntax or
checker errors, an unreadable file or an unreachable receiver (on stderr).

Example:
  tracecheck check --run refund-42 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"'
`;

/** A verdict to print: its message and whether it passed. */
type Printed = Verdict;

/**
 * Colours for a terminal (the verdict text is the same; only styled): on when stdout is a TTY, off
 * with NO_COLOR, forced with FORCE_COLOR.
 */
function terminalStyle(out: NodeJS.WritableStream): VerdictStyle | undefined {
  const env = process.env;
  const on = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' ? true : env.NO_COLOR === undefined && (out as { isTTY?: boolean }).isTTY === true;
  if (!on) return undefined;
  const sgr = (open: number, close: number) => (t: string): string => `\u001b[${open}m${t}\u001b[${close}m`;
  const red = sgr(31, 39);
  return { pass: sgr(32, 39), fail: red, label: sgr(1, 22), dim: sgr(2, 22), error: red, mark: sgr(33, 39) };
}

/** `tracecheck check`: returns the exit code. */
export async function check(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      run: { type: 'string' },
      file: { type: 'string' },
      timeout: { type: 'string' },
      settle: { type: 'string' },
      'parent-cap': { type: 'string' },
      'consumer-cap': { type: 'string' },
      'open-cap': { type: 'string' },
      tempo: { type: 'string' },
      'tempo-header': { type: 'string', multiple: true },
      'tempo-lag': { type: 'string' },
      'tempo-poll': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('give at least one assertion, e.g. \'some "refund.requested"\'');
  if (values.file !== undefined && values.url !== undefined) throw new UsageError('--url and --file are exclusive: check a live receiver or a file');
  if (values.tempo !== undefined && (values.url !== undefined || values.file !== undefined)) throw new UsageError('--tempo, --url and --file are exclusive: check Tempo, a live receiver or a file');
  if (values.tempo === undefined && (values['tempo-header'] !== undefined || values['tempo-lag'] !== undefined || values['tempo-poll'] !== undefined)) {
    throw new UsageError('--tempo-header, --tempo-lag and --tempo-poll go with --tempo URL');
  }
  const tempoLagMs = values['tempo-lag'] === undefined ? undefined : parseDuration('--tempo-lag', values['tempo-lag']);
  const tempoPollMs = values['tempo-poll'] === undefined ? undefined : parseDuration('--tempo-poll', values['tempo-poll']);
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout);
  const settleMs = values.settle === undefined ? undefined : parseDuration('--settle', values.settle);
  const cap = (flag: 'parent-cap' | 'consumer-cap' | 'open-cap'): number | undefined => (values[flag] === undefined ? undefined : parseDuration(`--${flag}`, values[flag]));
  const caps = { parentCapMs: cap('parent-cap'), consumerCapMs: cap('consumer-cap'), openCapMs: cap('open-cap') };

  // Every assertion must be valid before anything waits: a typo should not cost a timeout.
  let invalid = false;
  for (const text of positionals) {
    try {
      validateAssertion(text);
    } catch (e) {
      if (!(e instanceof LangError)) throw e;
      err.write(`${renderError(e, text)}\n\n`);
      invalid = true;
    }
  }
  if (invalid) return 2;

  let verdicts: Printed[];
  if (values.tempo !== undefined) {
    if (values.run === undefined) throw new UsageError('--run is required with --tempo: which run should be checked?');
    // Loaded here: only --tempo needs it.
    const { parseHeader, TempoChecker, TempoOptionsError } = await import('@tracecheck/tempo');
    let headers: Record<string, string>;
    try {
      headers = Object.fromEntries((values['tempo-header'] ?? []).map((h) => parseHeader(h)));
    } catch (e) {
      if (e instanceof TempoOptionsError) throw new UsageError(`--tempo-header: ${e.message}`);
      throw e;
    }
    let checker;
    try {
      checker = new TempoChecker({
        url: values.tempo,
        headers,
        ...(tempoLagMs === undefined ? {} : { visibilityLagMs: tempoLagMs }),
        ...(tempoPollMs === undefined ? {} : { pollIntervalMs: tempoPollMs }),
      });
    } catch (e) {
      if (e instanceof TempoOptionsError) throw new UsageError(`--tempo: ${e.message}`);
      throw e;
    }
    const runId = values.run;
    try {
      verdicts = await Promise.all(positionals.map((text) => checker.check(runId, text, { timeoutMs, settleMs, ...caps })));
    } finally {
      checker.close();
    }
  } else if (values.file !== undefined) {
    // Loaded here: only a file needs the OTLP decoder, and every process start pays for imports.
    const { readSpanFile } = await import('./span-file.js');
    const spans = await readSpanFile(values.file);
    const run = values.run === undefined ? spans : spans.inRun(values.run);
    verdicts = positionals.map((text) => {
      return checkSpans(run, text).json;
    });
  } else {
    if (values.run === undefined) throw new UsageError('--run is required with a receiver: which run should be checked?');
    const client = new TracecheckClient({ url: values.url, token: values.token });
    const runId = values.run;
    try {
      verdicts = await Promise.all(positionals.map((text) => client.check(runId, text, { timeoutMs, settleMs, ...caps })));
    } catch (e) {
      if (e instanceof AssertionSyntaxError) {
        err.write(`the receiver refused the assertion: ${e.message}\n`);
        return 2;
      }
      if (e instanceof ReceiverHttpError && e.status === 400) {
        const body = e.body as { error?: { message?: string } };
        err.write(`the receiver refused the assertion: ${body.error?.message ?? e.message}\n`);
        return 2;
      }
      throw e;
    }
  }
  const style = terminalStyle(out);
  for (const v of verdicts) out.write(`${style === undefined ? v.message : renderVerdictData(v, style)}\n\n`);
  const passed = verdicts.filter((v) => v.pass).length;
  out.write(`${passed} of ${verdicts.length} check${verdicts.length === 1 ? '' : 's'} passed\n`);
  return passed === verdicts.length ? 0 : 1;
}
