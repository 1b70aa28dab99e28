/**
 * `await expect(run).toHold(assertion, options?)`: decides the assertion on the test's run (waiting
 * for the effects as the language's "Deciding" says) and fails with the verdict's evidence: the
 * run id, what matched, the nearest misses, the trace tree, and what the services logged while the
 * test ran. A failure annotates the test with the same text (Vitest's JUnit and HTML reporters carry
 * it) and the check is sent with the caller's file and line (`tracecheck run`'s JUnit names it).
 *
 * `.not.toHold(a)` passes when the check fails. A check that waits for something (`some "x"`) only
 * fails at its timeout, so `.not.toHold('some "x"')` takes the whole timeout to pass; `no "x"` says
 * the same and passes once the run has settled.
 */
import { buildRunGraph, buildTree, type BuiltAssertion, renderVerdictData, type Verdict, type VerdictStyle } from '@tracecheck/lang';
import type { CheckOptions, TestRun } from '@tracecheck/client';
import { expect, type MatcherState, type TestContext } from 'vitest';
import { callerFrom } from './caller.js';
import { type Duration, durationMs } from './options.js';
import { isTestRun, providedRun, VitestRun } from './run.js';
import { effectSnapshotSerializer, toMatchEffectFileSnapshot, toMatchEffectSnapshot } from './snapshot-matcher.js';

/** Per-check settings; each defaults to the plugin's option of the same name. */
export interface ToHoldOptions {
  /** How long the check may wait for its effects (default 10 s). Durations: `'5s'`, `'300ms'`, or ms. */
  timeout?: Duration;
  settle?: Duration;
  parentCap?: Duration;
  consumerCap?: Duration;
  openCap?: Duration;
}

/** Kept free for what follows a check that used all its time: rendering, logs, the annotation. */
export const EVIDENCE_MARGIN_MS = 1_000;
/** The least a check is given when the test has almost no time left. */
const MIN_CHECK_MS = 100;

type MatcherContext = MatcherState & { task?: { context?: TestContext } };

function contextOf(run: unknown, state: MatcherContext): TestContext | undefined {
  if (run instanceof VitestRun && run.context !== undefined) return run.context;
  return state.task?.context;
}

/** The check's timeout, cut to what the test has left (minus the evidence margin) when that is less. */
export function fitTimeout(timeoutMs: number, task: TestContext['task'] | undefined, fallbackTestTimeout: number | undefined, now = Date.now()): { timeoutMs: number; note?: string } {
  const testTimeout = typeof task?.timeout === 'number' ? task.timeout : fallbackTestTimeout;
  const start = task?.result?.startTime;
  if (testTimeout === undefined || testTimeout <= 0 || start === undefined) return { timeoutMs };
  const left = testTimeout - (now - start) - EVIDENCE_MARGIN_MS;
  if (timeoutMs <= left) return { timeoutMs };
  const cut = Math.max(MIN_CHECK_MS, Math.floor(left));
  return {
    timeoutMs: cut,
    note:
      `the check's timeout was cut from ${formatMs(timeoutMs)} to ${formatMs(cut)} so that it ends, with its evidence, within the test's ` +
      `timeout (${formatMs(testTimeout)}). Raise the test's timeout (testTimeout, or test(name, fn, ms)), or let the tracecheck() plugin set it.`,
  };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))}s` : `${ms}ms`;
}

function optionMs(name: string, value: Duration | undefined, fallback: number | undefined): number | undefined {
  return value === undefined ? fallback : durationMs(name, value);
}

function styleOf(state: MatcherState): VerdictStyle {
  const u = state.utils;
  return { pass: u.EXPECTED_COLOR, fail: u.RECEIVED_COLOR, label: u.BOLD_WEIGHT, dim: u.DIM_COLOR, error: u.RECEIVED_COLOR, mark: u.EXPECTED_COLOR };
}

/** The verdict text with the run id after its first line, and the notes and logs after it. */
export function evidenceText(verdict: Verdict, runId: string, options: { style?: VerdictStyle; isNot?: boolean; note?: string; logs?: string; testName?: string }): string {
  const label = options.style?.label ?? ((t: string) => t);
  const lines = renderVerdictData(verdict, options.style).split('\n');
  const test = options.testName ? ` (test ${JSON.stringify(options.testName)})` : '';
  const out = [lines[0]!, '', `${label('Run:')} ${runId}${test}`, ...lines.slice(2)];
  if (options.isNot) out.unshift('expect(run).not.toHold: the check held, and .not expected it to fail.', '');
  if (options.note !== undefined) out.push('', `${label('Note:')} ${options.note}`);
  if (options.logs) out.push('', options.logs);
  return out.join('\n');
}

export async function toHold(this: MatcherState, received: unknown, assertion: string | BuiltAssertion, options: ToHoldOptions = {}): Promise<{ pass: boolean; message: () => string }> {
  // The caller's frame is on the stack only before the first await.
  const stack = new Error().stack;
  const state = this as MatcherContext;
  if (!isTestRun(received)) {
    throw new TypeError(`expect(run).toHold(...): expected the test's \`run\` fixture (a TestRun from @tracecheck/vitest's \`test\`), got ${this.utils.stringify(received)}`);
  }
  const run = received;
  const context = contextOf(run, state);
  const provided = run instanceof VitestRun ? run.provided : providedRun();
  const defaults = provided?.defaults ?? { timeoutMs: 10_000 };
  const wanted = optionMs('timeout', options.timeout, defaults.timeoutMs)!;
  const fit = fitTimeout(wanted, context?.task, provided?.testTimeout);
  const caller = callerFrom(stack, this.testPath);
  const testName = this.currentTestName || context?.task.name;
  const checkOptions: CheckOptions = {
    timeoutMs: fit.timeoutMs,
    ...definedMs('settleMs', optionMs('settle', options.settle, defaults.settleMs)),
    ...definedMs('parentCapMs', optionMs('parentCap', options.parentCap, defaults.parentCapMs)),
    ...definedMs('consumerCapMs', optionMs('consumerCap', options.consumerCap, defaults.consumerCapMs)),
    ...definedMs('openCapMs', optionMs('openCap', options.openCap, defaults.openCapMs)),
    ...(context?.signal === undefined ? {} : { signal: context.signal }),
    caller: { ...(caller ?? {}), ...(testName ? { test: testName } : {}) },
  };
  let verdict = await run.check(assertion, checkOptions);
  // Vitest leaves isNot undefined without `.not`.
  const isNot = this.isNot === true;
  if (verdict.pass !== isNot) return { pass: verdict.pass, message: () => '' };

  // The expectation failed: gather the evidence, annotate the test, then let Vitest throw.
  verdict = await withTree(run, verdict).catch(() => verdict);
  const logs = run instanceof VitestRun ? await run.serviceLogs().catch(() => '') : '';
  if (run instanceof VitestRun && logs !== '') run.logsShown = true;
  const note = verdict.pass ? undefined : timeoutNote(verdict, fit.note);
  const parts = { isNot, ...(note === undefined ? {} : { note }), logs, ...(testName ? { testName } : {}) };
  const plain = evidenceText(verdict, run.id, parts);
  if (context !== undefined && (provided?.annotate ?? true)) {
    try {
      await context.annotate(plain, 'tracecheck', { contentType: 'application/json', body: new TextEncoder().encode(JSON.stringify({ run: run.id, verdict })) });
    } catch {
      // An annotation is extra evidence; the failure itself must not be lost to it.
    }
  }
  const styled = evidenceText(verdict, run.id, { ...parts, style: styleOf(this) });
  return { pass: verdict.pass, message: () => styled };
}

/**
 * A failed verdict without a trace tree (payload schemas failed a check the receiver passed) gets
 * the run's tree, with the spans whose payload did not fit marked.
 */
async function withTree(run: TestRun, verdict: Verdict): Promise<Verdict> {
  if (verdict.pass || verdict.tree !== undefined || verdict.emptyRun) return verdict;
  const spans = await run.spans();
  if (spans.length === 0) return verdict;
  const misfits = new Set(verdict.payloadFailures.map((f) => f.span.spanId));
  const matches = new Set(verdict.matches.map((m) => m.spanId));
  const mark = (s: { spanId: string }): string | undefined => (misfits.has(s.spanId) ? '← payload did not fit' : matches.has(s.spanId) ? '← match' : undefined);
  return { ...verdict, tree: buildTree(buildRunGraph(spans), { mark }) };
}

function definedMs<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The cut-timeout note matters only when the check stopped at its timeout. */
function timeoutNote(verdict: Verdict, note: string | undefined): string | undefined {
  if (note === undefined) return undefined;
  return ['timeout', 'never-settled', 'in-flight', 'empty-run'].includes(verdict.reason) ? note : undefined;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars -- the parameters must match Vitest's declaration
  interface Assertion<T = any> {
    /**
     * Decides a tracecheck assertion on the test's run, waiting for its effects; fails with the
     * evidence (run id, matches, nearest misses, trace tree, service logs). Always `await` it.
     * `.not.toHold(a)` passes when the check fails (at its timeout when it waits for a span to
     * come: prefer `no "x"` to `.not.toHold('some "x"')`).
     */
    toHold(assertion: string | BuiltAssertion, options?: ToHoldOptions): Promise<void>;
  }
}

let registered = false;

/** Adds `toHold` to Vitest's `expect` (idempotent). */
export function registerMatchers(): void {
  if (registered) return;
  registered = true;
  expect.extend({ toHold, toMatchEffectSnapshot, toMatchEffectFileSnapshot });
  expect.addSnapshotSerializer(effectSnapshotSerializer);
}
