import { join } from 'node:path';
import { escapeAttr, escapeText } from './report-escape.js';
import { firstLine, type ReportCheck, spanRefs } from './report-checks.js';

/** What junit.xml needs besides the checks. */
export interface JunitOptions {
  /** The report directory as given: attachment paths start with it (CI tools resolve them from the working directory). */
  readonly dir: string;
  /** `runs/<id>.json` for a run with spans, else undefined. */
  readonly runFile: (runId: string) => string | undefined;
  /** When the command started, ms since the epoch (the timestamp of a run without checks). */
  readonly startedAt: number;
}

/** The most trace ids listed per check and role: a `some` check can match many traces. */
const MAX_TRACE_PROPERTIES = 20;

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
/** xs:dateTime as the JUnit schema has it: no zone, no fraction (UTC). */
const timestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
const property = (name: string, value: string): string => `<property${attrs({ name, value })}/>`;

function properties(c: ReportCheck): string[] {
  const r = c.record;
  const props = [property('tracecheck.run', r.run), property('tracecheck.check', String(r.id)), property('tracecheck.reason', r.reason)];
  if (r.caller?.test !== undefined) props.push(property('tracecheck.test', r.caller.test));
  if (c.overturnSummary !== undefined) props.push(property('tracecheck.overturned', c.overturnSummary));
  const traces = new Map<string, Set<string>>();
  for (const s of spanRefs(c)) {
    const key = `tracecheck.${s.role.replace(/ /g, '_')}.trace_id`;
    const set = traces.get(key) ?? new Set<string>();
    if (set.size < MAX_TRACE_PROPERTIES) set.add(s.traceId);
    traces.set(key, set);
  }
  for (const [key, ids] of traces) for (const id of ids) props.push(property(key, id));
  return props;
}

/** The attachment lines (`[[ATTACHMENT|path]]`, read by Jenkins' attachments plugin and GitLab) of a check. */
function attachments(c: ReportCheck, o: JunitOptions): string[] {
  const runFile = o.runFile(c.record.run);
  return [c.evidence, runFile].filter((p): p is string => p !== undefined).map((p) => `[[ATTACHMENT|${join(o.dir, p)}]]`);
}

function testcase(c: ReportCheck, o: JunitOptions): string {
  const r = c.record;
  const head = `<testcase${attrs({ name: r.assertion, classname: r.caller?.file ?? r.run, time: seconds(r.waitedMs), file: r.caller?.file, line: r.caller?.line })}>`;
  const body = [`<properties>${properties(c).join('')}</properties>`];
  if (c.status !== 'passed') {
    const files = attachments(c, o);
    const text = [...(c.location === undefined ? [] : [c.location]), c.message, '', ...files].join('\n');
    const message = c.overturnSummary === undefined ? firstLine(c.message) : `OVERTURNED: ${c.overturnSummary}`;
    body.push(`<failure${attrs({ message, type: c.status === 'overturned' ? 'tracecheck.overturned' : 'tracecheck.failed' })}>${escapeText(text)}</failure>`);
    // GitLab reads attachments from system-out only; Jenkins from system-out or the failure.
    body.push(`<system-out>${escapeText(files.join('\n'))}</system-out>`);
  }
  return `    ${head}\n${body.map((b) => `      ${b}\n`).join('')}    </testcase>`;
}

/**
 * junit.xml: a `<testsuite>` per run that had checks (named after the run), a `<testcase>` per
 * check (name: the assertion; classname: the calling test file, else the run id; `file`/`line` of
 * the caller; time: the seconds it waited), in report order. An overturned or failed check has a
 * `<failure>` whose text starts with `file:line` when the caller gave it, then the explanation, then
 * `[[ATTACHMENT|…]]` lines naming its evidence file and the run's spans.
 */
export function renderJunit(checks: readonly ReportCheck[], o: JunitOptions): string {
  const byRun = new Map<string, ReportCheck[]>();
  for (const c of checks) {
    const list = byRun.get(c.record.run);
    if (list === undefined) byRun.set(c.record.run, [c]);
    else list.push(c);
  }
  let tests = 0;
  let failures = 0;
  let totalMs = 0;
  const suites: string[] = [];
  for (const [run, list] of byRun) {
    const failed = list.filter((c) => c.status !== 'passed').length;
    const ms = list.reduce((sum, c) => sum + c.record.waitedMs, 0);
    const started = list.reduce((min, c) => Math.min(min, c.record.decidedAt - c.record.waitedMs), Infinity);
    tests += list.length;
    failures += failed;
    totalMs += ms;
    const runFile = o.runFile(run);
    const props = [property('tracecheck.run', run), ...(runFile === undefined ? [] : [property('tracecheck.spans', join(o.dir, runFile))])];
    suites.push(
      [
        `  <testsuite${attrs({ name: run, tests: list.length, failures: failed, errors: 0, skipped: 0, time: seconds(ms), timestamp: timestamp(started) })}>`,
        `    <properties>${props.join('')}</properties>`,
        ...list.map((c) => testcase(c, o)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  if (suites.length === 0) suites.push(`  <testsuite${attrs({ name: 'tracecheck', tests: 0, failures: 0, errors: 0, skipped: 0, time: seconds(0), timestamp: timestamp(o.startedAt) })}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'tracecheck', tests, failures, errors: 0, skipped: 0, time: seconds(totalMs) })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
