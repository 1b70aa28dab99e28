/**
 * Field expressions -> closures over one `EvalContext` (css-select style: compiled once, run per
 * span). Every node yields its value (`read`) and a direct truth test (`test`), so conditions skip
 * building booleans and the common `name = "x"`, `status = error`, `kind = server` compare the span's
 * own fields. `&&` and `||` run their operands cheapest first (evaluation has no side effects, so
 * order changes nothing but time); regex literals are compiled once, here.
 */
import type { BinaryExpr, ComparisonOperator, Expr, Literal } from '../ast.js';
import { EvalCompileError } from './errors.js';
import type { EvalContext, FieldLevel, Reader } from './fields.js';
import { attributeLevel, attributeReader, canonicalIntrinsic, intrinsicLevel, intrinsicReader } from './fields.js';
import { arithmetic, compareValues, negate } from './operators.js';
import type { RegexCache } from './regex.js';
import { compileRegex } from './regex.js';
import type { Value } from './value.js';
import { FALSE, KIND_NAMES, STATUS_NAMES, TRUE, bool, isTrue } from './value.js';

/** A compiled field expression. */
export interface CompiledExpr {
  readonly expr: Expr;
  readonly read: Reader;
  /** Whether the expression's value is the boolean true. */
  readonly test: (ctx: EvalContext) => boolean;
  /** Rough relative cost of one evaluation, for ordering `&&` / `||` operands. */
  readonly cost: number;
  /** What the expression reads besides constants. */
  readonly levels: ReadonlySet<FieldLevel>;
}

const NO_LEVELS: ReadonlySet<FieldLevel> = new Set();
const COMPARISONS = new Set<string>(['=', '!=', '<', '<=', '>', '>=', '=~', '!~']);

/** The value of a literal (nil is undefined). */
export function literalValue(lit: Literal): Value {
  switch (lit.type) {
    case 'string': return { type: 'string', value: lit.value };
    case 'int': return { type: 'int', value: lit.value };
    case 'float': return { type: 'double', value: lit.value };
    case 'duration': return { type: 'duration', value: lit.nanos };
    case 'bool': return bool(lit.value);
    case 'nil': return undefined;
    case 'status': return { type: 'status', value: lit.value };
    case 'kind': return { type: 'kind', value: lit.value };
  }
}

function isLiteral(e: Expr): e is Literal {
  return e.type !== 'attribute' && e.type !== 'intrinsic' && e.type !== 'unresolved' && e.type !== 'binary' && e.type !== 'unary';
}

function union(a: ReadonlySet<FieldLevel>, b: ReadonlySet<FieldLevel>): ReadonlySet<FieldLevel> {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function fromRead(expr: Expr, read: Reader, cost: number, levels: ReadonlySet<FieldLevel>): CompiledExpr {
  return { expr, read, test: (c) => isTrue(read(c)), cost, levels };
}

function fromTest(expr: Expr, test: (c: EvalContext) => boolean, cost: number, levels: ReadonlySet<FieldLevel>): CompiledExpr {
  return { expr, read: (c) => (test(c) ? TRUE : FALSE), test, cost, levels };
}

/** Compiles a field expression. `regexes` is shared by one assertion (patterns known only at run time). */
export function compileExpr(expr: Expr, regexes: RegexCache): CompiledExpr {
  switch (expr.type) {
    case 'attribute': {
      const level = attributeLevel(expr);
      return fromRead(expr, attributeReader(expr), expr.scope === 'unscoped' ? 3 : 2, new Set([level]));
    }
    case 'intrinsic': {
      const level = intrinsicLevel(canonicalIntrinsic(expr));
      return fromRead(expr, intrinsicReader(expr), level === 'span' ? 1 : 3, new Set([level]));
    }
    case 'unresolved':
      throw new EvalCompileError('unresolved-field', `unknown field ${expr.scope === undefined ? '' : expr.scope + (expr.form === 'intrinsic' ? ':' : '.')}${expr.name}: check the assertion before evaluating it`);
    case 'unary': {
      const operand = compileExpr(expr.operand, regexes);
      if (expr.op === '-') {
        const read = operand.read;
        return fromRead(expr, (c) => negate(read(c)), operand.cost + 1, operand.levels);
      }
      if (alwaysBoolean(expr.operand)) {
        const test = operand.test;
        return fromTest(expr, (c) => !test(c), operand.cost, operand.levels);
      }
      // `!` of a missing or non-boolean value is nil: it matches nothing.
      const read = operand.read;
      return fromTest(expr, (c) => {
        const v = read(c);
        return v !== undefined && v.type === 'bool' && !v.value;
      }, operand.cost, operand.levels);
    }
    case 'binary':
      return compileBinary(expr, regexes);
    default: {
      const value = literalValue(expr);
      return fromRead(expr, () => value, 0, NO_LEVELS);
    }
  }
}

function alwaysBoolean(e: Expr): boolean {
  if (e.type === 'binary') return e.op === '&&' || e.op === '||' || COMPARISONS.has(e.op);
  return e.type === 'unary' && e.op === '!' && alwaysBoolean(e.operand);
}

/** The operands of a chain of one logical operator: `a && (b && c)` -> [a, b, c]. */
export function flatten(expr: Expr, op: '&&' | '||'): Expr[] {
  if (expr.type === 'binary' && expr.op === op) return [...flatten(expr.left, op), ...flatten(expr.right, op)];
  return [expr];
}

/** Sorts by cost, keeping written order among equals. */
export function cheapestFirst(parts: readonly CompiledExpr[]): CompiledExpr[] {
  return parts.map((p, i) => [p, i] as const).sort((a, b) => a[0].cost - b[0].cost || a[1] - b[1]).map(([p]) => p);
}

function compileBinary(expr: BinaryExpr, regexes: RegexCache): CompiledExpr {
  const op = expr.op;
  if (op === '&&' || op === '||') {
    const parts = cheapestFirst(flatten(expr, op).map((e) => compileExpr(e, regexes)));
    const tests = parts.map((p) => p.test);
    const levels = parts.reduce((acc, p) => union(acc, p.levels), NO_LEVELS);
    const cost = parts.reduce((acc, p) => acc + p.cost, 0);
    const test = op === '&&' ? (c: EvalContext) => tests.every((t) => t(c)) : (c: EvalContext) => tests.some((t) => t(c));
    return fromTest(expr, test, cost, levels);
  }
  if (COMPARISONS.has(op)) return compileComparison(expr, op as ComparisonOperator, regexes);
  const left = compileExpr(expr.left, regexes);
  const right = compileExpr(expr.right, regexes);
  const [l, r] = [left.read, right.read];
  const aop = op as Exclude<typeof op, '&&' | '||' | ComparisonOperator>;
  return fromRead(expr, (c) => arithmetic(aop, l(c), r(c)), left.cost + right.cost + 1, union(left.levels, right.levels));
}

function compileComparison(expr: BinaryExpr, op: ComparisonOperator, regexes: RegexCache): CompiledExpr {
  const leftNil = expr.left.type === 'nil';
  const rightNil = expr.right.type === 'nil';
  if (leftNil || rightNil) {
    // `x = nil` tests absence, `x != nil` presence; `nil = nil` and any other operator with nil: false.
    const other = compileExpr(leftNil ? expr.right : expr.left, regexes);
    const read = other.read;
    if ((leftNil && rightNil) || (op !== '=' && op !== '!=')) return fromTest(expr, () => false, 0, NO_LEVELS);
    const operand = leftNil ? expr.right : expr.left;
    const absent = absenceTest(operand, read);
    const test = op === '=' ? absent : (c: EvalContext) => read(c) !== undefined;
    return fromTest(expr, test, other.cost + 1, other.levels);
  }
  const fast = fastComparison(expr, op);
  if (fast !== undefined) return fast;

  const regex = op === '=~' || op === '!~';
  // A pattern written as a literal is compiled now, once; a bad one fails here rather than per span.
  if (regex && expr.right.type === 'string') regexes.seed(expr.right.value, compileRegex(expr.right.value));
  const leftExpr = regex ? expr.left : normalizeIdLiteral(expr.right, expr.left);
  const rightExpr = regex ? expr.right : normalizeIdLiteral(expr.left, expr.right);
  const left = compileExpr(leftExpr, regexes);
  const right = compileExpr(rightExpr, regexes);
  const [l, r] = [left.read, right.read];
  const regexCost = regex ? 10 : 0;
  return fromTest(expr, (c) => compareValues(op, l(c), r(c), regexes), left.cost + right.cost + 1 + regexCost, union(left.levels, right.levels));
}

/**
 * `x = nil`. An event (link) attribute is absent only from an event (link) that exists: a span
 * without events has no event lacking the attribute, so `{ event.foo = nil }` does not match it (as
 * in Tempo, whose storage reads event attributes from the span's events).
 */
function absenceTest(operand: Expr, read: Reader): (c: EvalContext) => boolean {
  if (operand.type === 'attribute' && operand.scope === 'event') return (c) => c.event !== undefined && read(c) === undefined;
  if (operand.type === 'attribute' && operand.scope === 'link') return (c) => c.link !== undefined && read(c) === undefined;
  return (c) => read(c) === undefined;
}

/** Span and trace ids are lowercase hex of fixed width; a literal written in capitals or without leading zeros still means the id. */
function normalizeIdLiteral(field: Expr, lit: Expr): Expr {
  if (field.type !== 'intrinsic' || lit.type !== 'string' || !/^[0-9a-fA-F]+$/.test(lit.value)) return lit;
  const c = canonicalIntrinsic(field);
  const width = c === 'trace:id' || c === 'link:traceID' ? 32 : c === 'span:id' || c === 'span:parentID' || c === 'link:spanID' ? 16 : 0;
  if (width === 0 || lit.value.length > width) return lit;
  return { ...lit, value: lit.value.toLowerCase().padStart(width, '0') };
}

/** `name = "x"`, `status = error`, `kind != client` (either operand order) read the span directly. */
function fastComparison(expr: BinaryExpr, op: ComparisonOperator): CompiledExpr | undefined {
  if (op !== '=' && op !== '!=') return undefined;
  const [field, lit] = expr.left.type === 'intrinsic' && isLiteral(expr.right) ? [expr.left, expr.right] : expr.right.type === 'intrinsic' && isLiteral(expr.left) ? [expr.right, expr.left] : [];
  if (field === undefined || lit === undefined) return undefined;
  const eq = op === '=';
  const levels = new Set<FieldLevel>(['span']);
  switch (canonicalIntrinsic(field)) {
    case 'span:name': {
      if (lit.type !== 'string') return undefined;
      const v = lit.value;
      return fromTest(expr, (c) => (c.span.name === v) === eq, 1, levels);
    }
    case 'span:status': {
      if (lit.type !== 'status') return undefined;
      const code = STATUS_NAMES.indexOf(lit.value);
      return fromTest(expr, (c) => (c.span.status.code === code) === eq, 1, levels);
    }
    case 'span:kind': {
      if (lit.type !== 'kind') return undefined;
      const kind = KIND_NAMES.indexOf(lit.value);
      return fromTest(expr, (c) => (c.span.kind === kind) === eq, 1, levels);
    }
    default:
      return undefined;
  }
}
