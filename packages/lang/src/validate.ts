/**
 * Parse and check in one call, for callers that only need "valid or the first error" (the CLI exits
 * 2 with it, the receiver answers 400 with it).
 */
import type { Assertion, Selection } from './ast.js';
import { checkAssertion, checkSelection } from './check.js';
import { CheckError } from './errors.js';
import type { CheckHint, Diagnostic } from './errors.js';
import { parseAssertion, parseSelection } from './parser.js';

/** A valid assertion with the checker's hints. */
export interface Validated<T> {
  readonly ast: T;
  readonly hints: readonly CheckHint[];
}

/** Parses and checks an assertion; throws the ParseError or the first CheckError. */
export function validateAssertion(text: string): Validated<Assertion> {
  const ast = parseAssertion(text);
  return settle(ast, checkAssertion(ast, text));
}

/** Parses and checks a bare selection; throws the ParseError or the first CheckError. */
export function validateSelection(text: string): Validated<Selection> {
  const ast = parseSelection(text);
  return settle(ast, checkSelection(ast, text));
}

function settle<T>(ast: T, diagnostics: Diagnostic[]): Validated<T> {
  const error = diagnostics.find((d): d is CheckError => d instanceof CheckError);
  if (error !== undefined) throw error;
  return { ast, hints: diagnostics.filter((d): d is CheckHint => d.severity === 'hint') };
}
