/**
 * What comparison and arithmetic operators mean on run-time values (DESIGN.md "Meaning", Tempo's
 * BinaryOperation.execute where the design is silent):
 * - nil on either side: every comparison is false, `!=` included (`= nil`/`!= nil` are compiled apart);
 * - ints, floats and durations compare as numbers; int against int exactly (bigint, int64 safe);
 * - strings compare by code point, `=~`/`!~` are anchored RE2; booleans, statuses and kinds have
 *   only `=` and `!=`; operands of different types are never related, whatever the operator;
 * - an array matches when any element does; for `!=` and `!~` when every element does (none equal).
 */
import type { ArithmeticOperator, ComparisonOperator } from '../ast.js';
import type { RegexCache } from './regex.js';
import type { Value } from './value.js';
import { attributeValue } from './value.js';

type Defined = Exclude<Value, undefined>;
type NumberValue = Extract<Defined, { type: 'int' | 'double' | 'duration' }>;

function isNumber(v: Defined): v is NumberValue {
  return v.type === 'int' || v.type === 'double' || v.type === 'duration';
}

/** -1, 0, 1, or undefined when unordered (NaN). */
function compareNumbers(a: NumberValue, b: NumberValue): number | undefined {
  if (a.type !== 'double' && b.type !== 'double') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  const x = Number(a.value);
  const y = Number(b.value);
  if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
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

function ordered(op: ComparisonOperator, c: number | undefined): boolean {
  if (c === undefined) return false;
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

const FLIPPED: Partial<Record<ComparisonOperator, ComparisonOperator>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function compareScalars(op: ComparisonOperator, a: Defined, b: Defined, regexes: RegexCache): boolean {
  if (isNumber(a) && isNumber(b)) return op !== '=~' && op !== '!~' && ordered(op, compareNumbers(a, b));
  if (a.type === 'string' && b.type === 'string') {
    if (op === '=~' || op === '!~') {
      const re = regexes.get(b.value);
      return re !== null && re.test(a.value) === (op === '=~');
    }
    return ordered(op, compareStrings(a.value, b.value));
  }
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
  // One side is an array: compare each element with the scalar, keeping the scalar's side.
  const elements = aArray ? a.value : (b as Extract<Defined, { type: 'array' }>).value;
  const scalar = aArray ? b : a;
  let elementOp = op;
  if (!aArray) {
    if (op === '=~' || op === '!~') return false; // the pattern must be the right-hand operand
    elementOp = FLIPPED[op] ?? op;
  }
  const test = (e: Value): boolean => e !== undefined && e.type !== 'array' && compareScalars(elementOp, e, scalar, regexes);
  const all = op === '!=' || op === '!~';
  return all ? elements.every((e) => test(attributeValue(e))) : elements.some((e) => test(attributeValue(e)));
}

function intResult(op: ArithmeticOperator, a: bigint, b: bigint): bigint | number | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '^':
      // Exact for the exponents people write; past that a float, as Tempo computes it.
      return b >= 0n && b <= 64n ? a ** b : Math.pow(Number(a), Number(b));
  }
}

function floatResult(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '^': return Math.pow(a, b);
  }
}

/**
 * Evaluates `a op b` for an arithmetic operator: ints stay exact (division truncates, by zero is
 * nil), a duration operand keeps the result a duration (except duration / duration and `^`), a float
 * operand makes a float; anything else is nil.
 */
export function arithmetic(op: ArithmeticOperator, a: Value, b: Value): Value {
  if (a === undefined || b === undefined || !isNumber(a) || !isNumber(b)) return undefined;
  if (a.type === 'double' || b.type === 'double') return { type: 'double', value: floatResult(op, Number(a.value), Number(b.value)) };
  const r = intResult(op, a.value, b.value);
  if (r === undefined) return undefined;
  if (typeof r === 'number') return { type: 'double', value: r };
  const duration = (a.type === 'duration' || b.type === 'duration') && op !== '^' && !(op === '/' && a.type === b.type);
  return duration ? { type: 'duration', value: r } : { type: 'int', value: r };
}

/** Unary minus: numbers only. */
export function negate(v: Value): Value {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'int': return { type: 'int', value: -v.value };
    case 'double': return { type: 'double', value: -v.value };
    case 'duration': return { type: 'duration', value: -v.value };
    default: return undefined;
  }
}
