/**
 * @tracecheck/vitest: `import { test, expect } from '@tracecheck/vitest'`. `test` is Vitest's `test`
 * with a per-test `run` fixture; `expect` is Vitest's, with `toHold` registered. The builder is
 * re-exported, so assertions with payload schemas need no other import.
 */
import { registerMatchers } from './matcher.js';

registerMatchers();

export { expect } from 'vitest';
export { it, OverturnedCheckError, ServiceLogsError, test } from './fixture.js';
export type { TracecheckFixtures } from './fixture.js';
export { EVIDENCE_MARGIN_MS, evidenceText, fitTimeout, registerMatchers, toHold } from './matcher.js';
export type { ToHoldOptions } from './matcher.js';
export { NoReceiverError, providedRun, VitestRun } from './run.js';
export type { CheckDefaults, Duration, ProvidedRun, ServiceLogOptions, ServiceOptions, TracecheckOptions } from './options.js';
export { AssertionSyntaxError, CheckFailedError, TestRun, TracecheckClient } from '@tracecheck/client';
export type { CheckOptions, CheckVerdict } from '@tracecheck/client';
export { atLeast, atMost, attr, BuiltAssertion, exactly, intrinsic, lit, no, not, one, resourceAttr, some, span, spanAttr } from '@tracecheck/lang';
export type { Verdict } from '@tracecheck/lang';
