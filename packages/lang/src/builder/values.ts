/**
 * JS values -> literal nodes, typed as the text would be: integral numbers and bigints are ints,
 * other numbers floats, strings strings (or status / kind words and durations where the field has
 * that type), booleans bools, `null` nil. A negative number becomes `-(literal)`, because that is
 * what the parser reads from `-5`; so every tree the builder makes is one the parser can make.
 */
import type { Expr } from '../ast.js';
import { parseDuration } from '../duration.js';
import { KIND_VALUES, STATUS_VALUES } from '../intrinsics.js';
import type { ValueType } from '../intrinsics.js';
import { BuilderError } from './errors.js';

/** Units a duration string may use (as the text language: Go's, plus whole `d` `w` `y`). */
export type DurationUnit = 'ns' | 'us' | 'µs' | 'μs' | 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y';

/** A duration as text, `'250ms'`, `'1h30m'`, `'1.5s'`; checked again at run time. */
export type DurationText = `${number}${DurationUnit}${string}`;

/** Plain JS values the builder accepts where a literal goes. */
export type PlainValue = string | number | bigint | boolean | null;

const MAX_INT64 = (1n << 63n) - 1n;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

function negative(operand: Expr): Expr {
  return { type: 'unary', op: '-', operand };
}

/** An int literal; negative values as `-(n)`. Throws when the value is not an int64. */
export function intExpr(v: number | bigint): Expr {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) {
      const hint = Number.isInteger(v) ? `; pass a bigint such as ${BigInt(v)}n for an exact int, or lit.float(${v}) for a float` : '';
      throw new BuilderError('invalid-value', `${describe(v)} is not a safe integer${hint}`);
    }
    if (v < 0 || Object.is(v, -0)) return negative(intExpr(-v));
    return { type: 'int', value: BigInt(v) };
  }
  if (v < 0n) {
    if (-v > MAX_INT64) throw new BuilderError('invalid-value', `${describe(v)} is below the smallest int literal the language can write (-${MAX_INT64})`);
    return negative({ type: 'int', value: -v });
  }
  if (v > MAX_INT64) throw new BuilderError('invalid-value', `${describe(v)} does not fit in an int64`);
  return { type: 'int', value: v };
}

/** A float literal; negative values as `-(x)`. Non-finite values are left to the checker. */
export function floatExpr(v: number): Expr {
  if (typeof v !== 'number') throw new BuilderError('invalid-value', `a float must be a number, got ${describe(v)}`);
  if (v < 0 || Object.is(v, -0)) return negative({ type: 'float', value: -v });
  return { type: 'float', value: v };
}

/** A number typed as the text would be: integral -> int, otherwise float. */
export function numberExpr(v: number): Expr {
  if (!Number.isFinite(v)) throw new BuilderError('invalid-value', `${describe(v)} has no literal form; the language's numbers are finite`);
  return Number.isInteger(v) ? intExpr(v) : floatExpr(v);
}

/** A duration literal from text (`'250ms'`) or nanoseconds (bigint). */
export function durationExpr(v: DurationText | bigint): Expr {
  if (typeof v === 'bigint') return v < 0n ? negative({ type: 'duration', nanos: -v }) : { type: 'duration', nanos: v };
  const nanos = typeof v === 'string' ? parseDuration(v) : undefined;
  if (nanos === undefined) {
    throw new BuilderError('invalid-duration', `${describe(v)} is not a duration: write it as in the language, e.g. '250ms', '1.5s' or '1h30m' (units ns, us, ms, s, m, h, d, w, y)`);
  }
  return { type: 'duration', nanos };
}

/** A status word (`ok`, `error`, `unset`). */
export function statusExpr(v: string): Expr {
  if (!(STATUS_VALUES as readonly string[]).includes(v)) throw new BuilderError('invalid-value', `${describe(v)} is not a status: use one of ${STATUS_VALUES.join(', ')}`);
  return { type: 'status', value: v as (typeof STATUS_VALUES)[number] };
}

/** A kind word (`server`, `client`, ...). */
export function kindExpr(v: string): Expr {
  if (!(KIND_VALUES as readonly string[]).includes(v)) throw new BuilderError('invalid-value', `${describe(v)} is not a span kind: use one of ${KIND_VALUES.join(', ')}`);
  return { type: 'kind', value: v as (typeof KIND_VALUES)[number] };
}

/**
 * A plain value as the literal it stands for next to a field of type `context`: a string next to
 * `status` is a status word, next to `kind` a kind word, next to a duration a duration.
 */
export function plainExpr(v: unknown, context: ValueType): Expr {
  switch (typeof v) {
    case 'string':
      if (context === 'status') return statusExpr(v);
      if (context === 'kind') return kindExpr(v);
      if (context === 'duration') return durationExpr(v as DurationText);
      return { type: 'string', value: v };
    case 'number': return numberExpr(v);
    case 'bigint': return intExpr(v);
    case 'boolean': return { type: 'bool', value: v };
    default:
      if (v === null) return { type: 'nil' };
      throw new BuilderError('invalid-value', `${describe(v)} has no literal form: use a string, number, bigint, boolean or null`);
  }
}

/** The value type of a literal node (or `-literal`), as the checker infers it; undefined for anything else. */
export function literalType(e: Expr): ValueType | undefined {
  switch (e.type) {
    case 'string': case 'int': case 'float': case 'duration': case 'bool': case 'status': case 'kind': case 'nil':
      return e.type;
    case 'unary':
      return e.op === '-' ? literalType(e.operand) : undefined;
    default:
      return undefined;
  }
}
