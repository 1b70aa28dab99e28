/**
 * Shapes of the conformance table. Each case is data: an input and what must come out. Inputs from
 * Tempo's pkg/traceql/test_examples.yaml are the TraceQL query Q taken as the assertion `some Q`.
 */
import type { CheckCode, ParseErrorCode } from '../errors.js';

/** Where a case comes from: Tempo's table (with its section) or ours. */
export type Origin = 'tempo:valid' | 'tempo:parse_fails' | 'tempo:validate_fails' | 'ours';

/** An assertion that parses and checks clean, and its canonical formatted text. */
export interface ValidCase {
  readonly input: string;
  readonly formatted: string;
  readonly origin: Origin;
}

/** Text that is not an assertion: where the syntax error is and what was expected there. */
export interface ParseFailCase {
  readonly input: string;
  readonly code: ParseErrorCode;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly expected: readonly string[];
  readonly origin: Origin;
}

/** An assertion that parses but the checker rejects, with the first error's code. */
export interface CheckFailCase {
  readonly input: string;
  readonly code: CheckCode;
  readonly origin: Origin;
}
