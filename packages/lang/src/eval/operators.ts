/**
 * What comparison and arithmetic operators mean on run-time values, as Tempo's
 * BinaryOperation.execute (pkg/traceql/ast_execute.go) and Static.Equals (ast.go) compute them:
 * - nil on either side: every comparison is false, `!=` included (`= nil`/`!= nil` are compiled apart);
 * - int against int is exact int64 arithmetic (wrapping as Go does) and exact comparison; every other
 *   mix of ints, floats and durations goes through float64: `duration / 3` is a float of nanoseconds,
 *   `2m + 2m` too, and `<` between a duration and an int compares float64s. `=` / `!=` between ints
 *   and durations compare the int64s exactly (Static.Equals). NaN is unequal to everything;
 * - strings compare by code point; `=~` / `!~` are anchored RE2 with any string as the pattern;
 *   booleans and kinds have only `=` and `!=`; a status equals the int of its OTLP code (0 unset,
 *   1 ok, 2 error), as Tempo's storage compares `status = 2`; other mixed types never relate;
 * - an array matches when any element does; for `!=` and `!~` when every element does (none equal).
 */
import type { ArithmeticOperator, ComparisonOperator } from '../ast.js';
import type { RegexCache } from './regex.js';
import type { Value } from './value.js';
import { STATUS_NAMES, attributeValue } from './value.js';

type Defined = Exclude<Value, undefined>;
type NumberValue = Extract<Defined, { type: 'int' | 'double' | 'duration' }>;

function isNumber(v: Defined): v is NumberValue {
  return v.type === 'int' || v.type === 'double' || v.type === 'duration';
}

/** Code-point order, which is the byte order of UTF-8 (Go's strings.Compare, what Tempo uses). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}

function ordered(op: ComparisonOperator, c: number): boolean {
  switch (op) {
    case '=': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    default: return false;
  }
}

function compareNumbers(op: ComparisonOperator, a: NumberValue, b: NumberValue): boolean {
  if (op === '=~' || op === '!~') return false;
  const exact = a.type !== 'double' && b.type !== 'double' && (op === '=' || op === '!=' || (a.type === 'int' && b.type === 'int'));
  if (exact) return ordered(op, a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const x = Number(a.value);
  const y = Number(b.value);
  // NaN: ordered comparisons and `=` are false, `!=` is true (Tempo's NotEquals is !Equals).
  if (Number.isNaN(x) || Number.isNaN(y)) return op === '!=';
  return ordered(op, x < y ? -1 : x > y ? 1 : 0);
}

/** `status = 2`: the OTLP code of the status against the int. */
function compareStatusCode(op: ComparisonOperator, status: Extract<Defined, { type: 'status' }>, code: bigint): boolean {
  if (op !== '=' && op !== '!=') return false;
  return (BigInt(STATUS_NAMES.indexOf(status.value)) === code) === (op === '=');
}

function compareScalars(op: ComparisonOperator, a: Defined, b: Defined, regexes: RegexCache): boolean {
  if (isNumber(a) && isNumber(b)) return compareNumbers(op, a, b);
  if (a.type === 'string' && b.type === 'string') {
    if (op === '=~' || op === '!~') {
      const re = regexes.get(b.value);
      return re !== null && re.test(a.value) === (op === '=~');
    }
    return ordered(op, compareStrings(a.value, b.value));
  }
  if (a.type === 'status' && b.type === 'int') return compareStatusCode(op, a, b.value);
  if (a.type === 'int' && b.type === 'status') return compareStatusCode(op, b, a.value);
  if (a.type !== b.type || (op !== '=' && op !== '!=')) return false;
  if (a.type === 'bool' || a.type === 'status' || a.type === 'kind') return (a.value === (b as typeof a).value) === (op === '=');
  return false; // bytes and kvlists compare to nothing
}

/** Evaluates `a op b` for a comparison operator. */
export function compareValues(op: ComparisonOperator, a: Value, b: Value, regexes: RegexCache): boolean {
  if (a === undefined || b === undefined) return false;
  const aArray = a.type === 'array';
  const bArray = b.type === 'array';
  if (aArray && bArray) return false;
  if (!aArray && !bArray) return compareScalars(op, a, b, regexes);
  // One side is an array: each element takes the array's place, so `2 < .arr` asks `2 < e` and
  // `"x" =~ .patterns` tries each element as the pattern.
  const elements = aArray ? a.value : (b as Extract<Defined, { type: 'array' }>).value;
  const scalar = aArray ? b : a;
  const test = (e: Value): boolean => e !== undefined && e.type !== 'array' && (aArray ? compareScalars(op, e, scalar, regexes) : compareScalars(op, scalar, e, regexes));
  const all = op === '!=' || op === '!~';
  return all ? elements.every((e) => test(attributeValue(e))) : elements.some((e) => test(attributeValue(e)));
}

const INT64 = (v: bigint): Value => ({ type: 'int', value: BigInt.asIntN(64, v) });
const TWO_63 = 2 ** 63;

/** int op int: Go's int64 arithmetic; division or modulo by zero is nil (Tempo fails the query). */
function intArithmetic(op: ArithmeticOperator, a: bigint, b: bigint): Value {
  switch (op) {
    case '+': return INT64(a + b);
    case '-': return INT64(a - b);
    case '*': return INT64(a * b);
    case '/': return b === 0n ? undefined : INT64(a / b);
    case '%': return b === 0n ? undefined : INT64(a % b);
    case '^': {
      // Tempo's intPow: math.Pow in float64, truncated to an int; out of int64 range is nil here.
      const r = Math.pow(Number(a), Number(b));
      return Number.isFinite(r) && r >= -TWO_63 && r < TWO_63 ? { type: 'int', value: BigInt(Math.trunc(r)) } : undefined;
    }
  }
}

function floatResult(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b; // math.Mod: the sign of the dividend, as JS's %
    case '^': return Math.pow(a, b);
  }
}

/**
 * Evaluates `a op b` for an arithmetic operator: int with int stays an int64, any other pair of
 * numbers (a duration included) gives a float; anything else is nil.
 */
export function arithmetic(op: ArithmeticOperator, a: Value, b: Value): Value {
  if (a === undefined || b === undefined || !isNumber(a) || !isNumber(b)) return undefined;
  if (a.type === 'int' && b.type === 'int') return intArithmetic(op, a.value, b.value);
  return { type: 'double', value: floatResult(op, Number(a.value), Number(b.value)) };
}

/** Unary minus: numbers only; an int wraps as in Go. */
export function negate(v: Value): Value {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'int': return INT64(-v.value);
    case 'double': return { type: 'double', value: -v.value };
    case 'duration': return { type: 'duration', value: -v.value };
    default: return undefined;
  }
}
