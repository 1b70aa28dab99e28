/**
 * Quantifiers: `exactly(1, span('refund.create'))`, `no(...)`, `some(...)`, ... build the assertion,
 * check it as the text would be checked (a `CheckError` with the checker's code when it is invalid)
 * and keep the payload schemas next to the AST, which has no place for them.
 */
import type { Assertion, Quantifier } from '../ast.js';
import { checkAssertion } from '../check.js';
import { CheckError } from '../errors.js';
import type { CheckHint } from '../errors.js';
import { formatAssertion } from '../format.js';
import { BuilderError } from './errors.js';
import type { PayloadSchema, SpanSetInput } from './selection.js';
import { SelectionSpec, selectionOf } from './selection.js';

/** What a quantifier counts: a selection (or span name), with or without clauses and payload checks. */
export type Countable = SpanSetInput | SelectionSpec;

/** An assertion built in code: its AST (the text language's), and the payload checks it adds. */
export class BuiltAssertion {
  constructor(
    readonly ast: Assertion,
    /** zod schemas for `effect.payload` of the matched spans; `compileBuilt` runs them. */
    readonly payloads: readonly PayloadSchema[],
    /** The checker's hints (valid, but likely not what was meant). */
    readonly hints: readonly CheckHint[],
  ) {}

  /** The assertion as text, without the payload checks (they have no text form). */
  toString(): string {
    return formatAssertion(this.ast);
  }
}

function build(quantifier: Quantifier, target: Countable): BuiltAssertion {
  const spec = target instanceof SelectionSpec ? target : new SelectionSpec(selectionOf(target, 'the selection'), [], []);
  const ast: Assertion = { type: 'assertion', quantifier, selection: spec.selection, clauses: spec.clauses };
  const diagnostics = checkAssertion(ast);
  const error = diagnostics.find((d): d is CheckError => d instanceof CheckError);
  if (error !== undefined) {
    // The tree has no source offsets; the assertion's text says where the problem is.
    throw new CheckError(error.code, `${error.message}\n  in: ${formatAssertion(ast)}`);
  }
  return new BuiltAssertion(ast, spec.payloads, diagnostics.filter((d): d is CheckHint => d.severity === 'hint'));
}

function count(fn: string, n: number): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new BuilderError('invalid-count', `${fn}(${String(n)}, ...): the count must be a whole number >= 0`);
  }
  return n;
}

/** `exactly N`: the run has exactly `n` matching spans. */
export function exactly(n: number, target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'exactly', count: count('exactly', n) }, target);
}

/** `at least N`. */
export function atLeast(n: number, target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'at-least', count: count('atLeast', n) }, target);
}

/** `at most N`. */
export function atMost(n: number, target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'at-most', count: count('atMost', n) }, target);
}

/** `no`: no matching span (exactly 0). */
export function no(target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'no' }, target);
}

/** `some`: at least one matching span. */
export function some(target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'some' }, target);
}

/** `one`: exactly one matching span. */
export function one(target: Countable): BuiltAssertion {
  return build({ type: 'quantifier', kind: 'one' }, target);
}
