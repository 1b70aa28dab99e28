/**
 * Duration cases from tempodb/tempodb_search_test.go traceQLDuration, over makeExpectedTrace: span
 * durations are 1s (MySpan, child2, BrokenSpan) and 2s (RootSpan), the trace's is 2s. A bare number is
 * nanoseconds; only int with int stays an int, so `2999999999ns / 3` keeps its fraction.
 */
import { expectedTrace } from './fixture-tempodb.js';
import type { EvalCase } from './types.js';

const SOURCE = 'tempodb/tempodb_search_test.go traceQLDuration';

const matching = [
  '{ span:duration >= 999999999 && span:duration <= 1000000001 }',
  '{ span:duration > 999999999 && span:duration < 1000000001 }',
  '{ span:duration >= 1000000000 && span:duration <= 1000000000 }',
  '{ span:duration = 1000000000 }',
  '{ span:duration >= 999999999.9 && span:duration <= 1000000000.1 }',
  '{ span:duration > 999999999.9 && span:duration < 1000000000.1 }',
  '{ span:duration >= 1000000000.0 && span:duration <= 1000000000.0 }',
  '{ span:duration = 1000000000.0 }',
  '{ span:duration >= 2999999999ns / 3 && span:duration <= 3000000001ns / 3 }',
  '{ span:duration > 2999999999ns / 3 && span:duration < 3000000001ns / 3 }',
  '{ span:duration >= 3000000000ns / 3 && span:duration <= 3000000000ns / 3 }',
  '{ span:duration = 3000000000ns / 3 }',
  '{ span:duration >= 4999999999 * .2 && span:duration <= 5000000001 * .2 }',
  '{ span:duration > 4999999999 * .2 && span:duration < 5000000001 * .2 }',
  '{ span:duration >= 5000000000 * .2 && span:duration <= 5000000000 * .2 }',
  '{ span:duration = 5000000000 * .2 }',
  '{ span:duration >= 3333333333ns * .3 && span:duration <= 3333333334ns * .3 }',
  '{ span:duration > 3333333333ns * .3 && span:duration < 3333333334ns * .3 }',
  '{ span:duration >= 5000000000ns * .2 && span:duration <= 5000000000ns * .2 }',
  '{ span:duration = 5000000000ns * .2 }',
  '{ span:duration >= 333333333ns * 3 && span:duration <= 333333334ns * 3 }',
  '{ span:duration > 333333333ns * 3 && span:duration < 333333334ns * 3 }',
  '{ span:duration >= 500000000 * 2 && span:duration <= 500000000 * 2 }',
  '{ span:duration = 500000000 * 2 }',
  '{ trace:duration >= 1999999999 && trace:duration <= 2000000001 }',
  '{ trace:duration > 1999999999 && trace:duration < 2000000001 }',
  '{ trace:duration >= 2000000000 && trace:duration <= 2000000000 }',
  '{ trace:duration = 2000000000 }',
  '{ trace:duration >= 1999999999.9 && trace:duration <= 2000000000.1 }',
  '{ trace:duration > 1999999999.9 && trace:duration < 2000000000.1 }',
  '{ trace:duration >= 2000000000.0 && trace:duration <= 2000000000.0 }',
  '{ trace:duration = 2000000000.0 }',
  '{ trace:duration >= 5999999999ns / 3 && trace:duration <= 6000000001ns / 3 }',
  '{ trace:duration > 5999999999ns / 3 && trace:duration < 6000000001ns / 3 }',
  '{ trace:duration >= 6000000000ns / 3 && trace:duration <= 6000000000ns / 3 }',
  '{ trace:duration = 6000000000ns / 3 }',
  '{ trace:duration >= 9999999999 * .2 && trace:duration <= 10000000001 * .2 }',
  '{ trace:duration > 9999999999 * .2 && trace:duration < 10000000001 * .2 }',
  '{ trace:duration >= 10000000000 * .2 && trace:duration <= 10000000000 * .2 }',
  '{ trace:duration = 10000000000 * .2 }',
  '{ trace:duration >= 6666666666ns * .3 && trace:duration <= 6666666667ns * .3 }',
  '{ trace:duration > 6666666666ns * .3 && trace:duration < 6666666667ns * .3 }',
  '{ trace:duration >= 10000000000ns * .2 && trace:duration <= 10000000000ns * .2 }',
  '{ trace:duration = 10000000000ns * .2 }',
  '{ trace:duration >= 666666666ns * 3 && trace:duration <= 666666667ns * 3 }',
  '{ trace:duration > 666666666ns * 3 && trace:duration < 666666667ns * 3 }',
  '{ trace:duration >= 1000000000 * 2 && trace:duration <= 1000000000 * 2 }',
  '{ trace:duration = 1000000000 * 2 }',
];

const notMatching = [
  '{ span:duration < 1000000000 || span:duration > 2000000000 }',
  '{ span:duration > 1000000000 && span:duration < 2000000000 }',
  '{ span:duration < 1000000000.0 || span:duration > 2000000000.0 }',
  '{ span:duration > 1000000000.0 && span:duration < 2000000000.0 }',
  '{ span:duration < 3000000000ns / 3 || span:duration > 6000000000ns / 3 }',
  '{ span:duration > 3000000000ns / 3 && span:duration < 6000000000ns / 3 }',
  '{ span:duration < 5000000000 * .2 || span:duration > 10000000000 * .2 }',
  '{ span:duration > 5000000000 * .2 && span:duration < 10000000000 * .2 }',
  '{ span:duration < 5000000000ns * .2 || span:duration > 10000000000ns * .2 }',
  '{ span:duration > 5000000000ns * .2 && span:duration < 10000000000ns * .2 }',
  '{ span:duration < 500000000ns * 2 || span:duration > 1000000000ns * 2 }',
  '{ span:duration > 500000000ns * 2 && span:duration < 1000000000ns * 2 }',
  '{ trace:duration < 2000000000 || trace:duration > 2000000000 }',
  '{ trace:duration < 2000000000.0 || trace:duration > 2000000000.0 }',
  '{ trace:duration < 6000000000ns / 3 || trace:duration > 6000000000ns / 3 }',
  '{ trace:duration < 10000000000 * .2 || trace:duration > 10000000000 * .2 }',
  '{ trace:duration < 10000000000ns * .2 || trace:duration > 10000000000ns * .2 }',
  '{ trace:duration < 1000000000ns * 2 || trace:duration > 1000000000ns * 2 }',
];

export const tempodbDurationCases: readonly EvalCase[] = [
  ...matching.map((query): EvalCase => ({ source: SOURCE, query, spans: expectedTrace, expect: { trace: true } })),
  ...notMatching.map((query): EvalCase => ({ source: SOURCE, query, spans: expectedTrace, expect: { trace: false } })),
];
