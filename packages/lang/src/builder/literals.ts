/**
 * Explicit literals, for the places a plain value would be read otherwise: a float with an integral
 * value (`lit.float(3)` is `3.0`, while `3` is the int 3), a literal on the left of an operator
 * (`lit.int(1).eq(2)`), a status or kind next to an attribute, and `nil`.
 */
import type { KindValue, StatusValue } from '../ast.js';
import { BuilderError } from './errors.js';
import { Expression } from './expression.js';
import type { DurationText } from './values.js';
import { durationExpr, floatExpr, intExpr, kindExpr, statusExpr } from './values.js';

/** Literal constructors: `lit.int(5)`, `lit.float(3)`, `lit.str('x')`, `lit.duration('5s')`, `lit.nil`, ... */
export const lit = {
  /** A string literal. */
  str: (value: string): Expression<'string'> => new Expression({ type: 'string', value: String(value) }, 'string'),
  /** An int (int64); a number must be a safe integer, a bigint any int64. */
  int: (value: number | bigint): Expression<'int'> => new Expression(intExpr(value), 'int'),
  /** A float, even when the value is integral (`lit.float(3)` prints as `3.0`). */
  float: (value: number): Expression<'float'> => new Expression(floatExpr(value), 'float'),
  /** A duration, as text (`'250ms'`) or nanoseconds (bigint). */
  duration: (value: DurationText | bigint): Expression<'duration'> => new Expression(durationExpr(value), 'duration'),
  /** `true` or `false`. */
  bool: (value: boolean): Expression<'bool'> => {
    if (typeof value !== 'boolean') throw new BuilderError('invalid-value', `lit.bool needs true or false, got ${String(value)}`);
    return new Expression({ type: 'bool', value }, 'bool');
  },
  /** A status word: `ok`, `error`, `unset`. */
  status: (value: StatusValue): Expression<'status'> => new Expression(statusExpr(value), 'status'),
  /** A kind word: `server`, `client`, `producer`, `consumer`, `internal`, `unspecified`. */
  kind: (value: KindValue): Expression<'kind'> => new Expression(kindExpr(value), 'kind'),
  /** `nil`, only as an operand of `eq` / `ne` (`x.ne(lit.nil)` is `x.exists()`). */
  nil: new Expression<'nil'>({ type: 'nil' }, 'nil'),
} as const;
