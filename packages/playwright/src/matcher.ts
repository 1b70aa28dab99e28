/**
 * `await expect(run).toHold(assertion, options?)`: decides the assertion on the test's run (waiting
 * for the effects, up to Playwright's expect timeout unless a check timeout is given) and, when it
 * does not hold, fails with the verdict (styled like Playwright's own matchers), the run id, and the
 * evidence written and attached to the test.
 */
import { expect as baseExpect, type ExpectMatcherState, type MatcherReturnType, test as baseTest, type TestInfo } from '@playwright/test';
import type { TestRun } from '@tracecheck/client';
import { type BuiltAssertion, renderVerdictData, type VerdictStyle } from '@tracecheck/lang';
import { attachEvidence, displayPath } from './evidence.js';
import { callerFrom, checkOptions, type ToHoldOptions } from './options.js';
import { PlaywrightRun } from './run.js';
import { toMatchEffectSnapshot } from './snapshot-matcher.js';

type Colour = (text: string) => string;

/** Playwright's matcher colours (jest-matcher-utils' chalk), when present; plain otherwise. */
function styleFrom(state: ExpectMatcherState): { verdict: VerdictStyle; dim: Colour; bold: Colour } {
  const utils = state.utils as unknown as Record<string, unknown>;
  const colour = (name: string): Colour => (typeof utils[name] === 'function' ? (utils[name] as Colour) : (t) => t);
  const green = colour('EXPECTED_COLOR');
  const red = colour('RECEIVED_COLOR');
  const dim = colour('DIM_COLOR');
  const bold = colour('BOLD_WEIGHT');
  return { verdict: { pass: green, fail: red, label: bold, dim, error: red, mark: red }, dim, bold };
}

function currentTestInfo(): TestInfo | undefined {
  try {
    return baseTest.info();
  } catch {
    return undefined;
  }
}

function isRun(value: unknown): value is TestRun {
  return typeof value === 'object' && value !== null && typeof (value as TestRun).id === 'string' && typeof (value as TestRun).check === 'function';
}

async function toHold(this: ExpectMatcherState, run: TestRun, assertion: string | BuiltAssertion, options: ToHoldOptions = {}): Promise<MatcherReturnType> {
  const hint = `${this.utils.matcherHint('toHold', 'run', 'assertion', { isNot: this.isNot, promise: this.promise })}`;
  if (this.isNot) {
    throw new Error(`${hint}\n\n.not.toHold() is not supported: negate the assertion itself (\`no "x"\`, \`at most 1 "x"\`), so the receiver can decide it.`);
  }
  if (!isRun(run)) {
    throw new Error(`${hint}\n\nexpect(run) takes the tracecheck run (the \`run\` fixture of @tracecheck/playwright), got ${this.utils.printReceived(run)}`);
  }
  // Before any await: the stack still holds the test file's line with the expect call.
  const stack = new Error().stack;
  const testInfo = currentTestInfo();
  const fixtureOptions = run instanceof PlaywrightRun ? run.options : {};
  const opts = checkOptions(options, fixtureOptions, this.timeout);
  const caller =
    testInfo === undefined
      ? undefined
      : { file: displayPath(testInfo.file), ...callerFrom(stack, testInfo.file, testInfo.line, testInfo.column), test: testInfo.titlePath.slice(1).join(' › ') };
  // The receiver bounds the wait by timeoutMs; this only guards against a receiver that stops answering.
  const signal = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs + 15_000);
  const verdict = await run.check(assertion, { ...opts, ...(caller ? { caller } : {}), ...(signal ? { signal } : {}) });

  const style = styleFrom(this);
  const text = renderVerdictData(verdict, style.verdict);
  if (verdict.pass) {
    return { pass: true, name: 'toHold', message: () => `${hint}\n\n${style.bold('Run:')} ${run.id}\n${text}` };
  }
  let evidence = '';
  if (testInfo !== undefined) {
    const paths = await attachEvidence(testInfo, run, 'verdict', renderVerdictData(verdict));
    const files = [paths.text, paths.spans].filter((p): p is string => p !== undefined).map(displayPath);
    evidence = `\n\n${style.bold('Evidence:')} ${files.join(', ')} ${style.dim('(attached to the test)')}`;
  }
  return {
    pass: false,
    name: 'toHold',
    expected: verdict.expected,
    actual: verdict.count,
    message: () => `${hint} failed\n\n${style.bold('Run:')} ${run.id}\n${text}${evidence}`,
  };
}

/** Playwright's `expect` with `toHold` and `toMatchEffectSnapshot`; merge it with others through `mergeExpects`. */
export const expect = baseExpect.extend({ toHold, toMatchEffectSnapshot });
