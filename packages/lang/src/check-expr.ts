/**
 * Type rules for field expressions, following Tempo's validation (ast_validate.go, enum_operators.go):
 * each expression has an implied type (`attribute` when only the data can tell); the two sides of an
 * operator must be compatible (equal, both numeric, or one unknown) and the operator must apply to
 * both (`status` and `kind` allow only `=` and `!=`). A literal regex must compile as RE2. Two things
 * Tempo evaluates but its validation refuses are accepted: a status next to an int (its OTLP code,
 * as Tempo's storage compares it) and a pattern read from the span (`.a =~ .b`).
 */
import { RE2JS } from 're2js';
import type { BinaryExpr, Expr, Loc } from './ast.js';
import type { CheckCode } from './errors.js';
import { formatExpr } from './format.js';
import { hintComparisonValues, reportUnknownEnumWord } from './check-values.js';
import { intrinsicInfo } from './intrinsics.js';
import type { ValueType } from './intrinsics.js';
import { explainUnresolved } from './suggest.js';

/** Where the checker reports what it finds. */
export interface Reporter {
  error(code: CheckCode, message: string, loc: Loc | undefined): void;
  hint(code: CheckCode, message: string, loc: Loc | undefined): void;
  readonly errorCount: number;
}

const NUMERIC = new Set<ValueType>(['int', 'float', 'duration']);
const LOGICAL = new Set(['&&', '||']);
const COMPARISON = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~']);

const VALID_OPS: Partial<Record<ValueType, ReadonlySet<string>>> = {
  bool: new Set(['&&', '||', '=', '!=']),
  int: new Set(['+', '-', '*', '/', '%', '^', '=', '!=', '<', '<=', '>', '>=']),
  string: new Set(['=', '!=', '=~', '!~', '<', '<=', '>', '>=']),
  status: new Set(['=', '!=']),
  kind: new Set(['=', '!=']),
};
VALID_OPS.float = VALID_OPS.int;
VALID_OPS.duration = VALID_OPS.int;

const TYPE_NAMES: Record<ValueType, string> = {
  attribute: 'an attribute', int: 'an int', float: 'a float', duration: 'a duration', string: 'a string',
  bool: 'a boolean', status: 'a status (ok, error, unset)', kind: 'a kind (unspecified, internal, server, client, producer, consumer)', nil: 'nil',
};

/** Checks the expression of a filter: it must be a condition (boolean, or an attribute tested for true). */
export function checkFilterExpr(e: Expr, r: Reporter): void {
  const before = r.errorCount;
  const t = typeOf(e, r);
  if (r.errorCount === before && t !== 'bool' && t !== 'attribute') {
    r.error('not-a-condition', `{ ${formatExpr(e)} } is not a condition: ${quote(e)} is ${TYPE_NAMES[t]}; a filter needs a comparison such as { status = error }`, e.loc);
  }
  hintBareAttribute(e, r);
}

function quote(e: Expr): string {
  return `'${formatExpr(e)}'`;
}

function hintBareAttribute(e: Expr, r: Reporter): void {
  if (e.type !== 'attribute') return;
  const text = formatExpr(e);
  r.hint('bare-attribute', `${text} alone matches spans where ${text} is the boolean true; to test that the attribute is present write ${text} != nil`, e.loc);
}

/** The implied type of `e`, reporting problems on the way; `attribute` after an error, so errors do not cascade. */
export function typeOf(e: Expr, r: Reporter): ValueType {
  switch (e.type) {
    case 'string': case 'int': case 'duration': case 'bool': case 'status': case 'kind':
      return e.type;
    case 'float':
      if (!Number.isFinite(e.value)) r.error('invalid-literal', `float literal must be finite, got ${e.value}`, e.loc);
      return 'float';
    case 'nil':
      r.error('misplaced-nil', 'nil can only be compared with = or != (x != nil tests presence, x = nil absence)', e.loc);
      return 'attribute';
    case 'attribute':
      return 'attribute';
    case 'intrinsic': {
      const info = intrinsicInfo(e.name);
      if (info === undefined) {
        r.error('unknown-intrinsic', `unknown intrinsic '${String(e.name)}'`, e.loc);
        return 'attribute';
      }
      return info.type;
    }
    case 'unresolved': {
      const { code, message } = explainUnresolved(e);
      r.error(code, message, e.loc);
      return 'attribute';
    }
    case 'unary': {
      const before = r.errorCount;
      const t = typeOf(e.operand, r);
      if (e.op === '!') hintBareAttribute(e.operand, r);
      if (r.errorCount > before || t === 'attribute') return 'attribute';
      const ok = e.op === '-' ? NUMERIC.has(t) : t === 'bool';
      if (!ok) {
        const need = e.op === '-' ? 'a number or a duration' : 'a boolean';
        r.error('invalid-operator', `'${e.op}' needs ${need}, but ${quote(e.operand)} is ${TYPE_NAMES[t]}`, e.loc);
        return 'attribute';
      }
      return t;
    }
    case 'binary':
      return typeOfBinary(e, r);
  }
}

function typeOfBinary(e: BinaryExpr, r: Reporter): ValueType {
  checkMixing(e, r);
  if (e.left.type === 'nil' || e.right.type === 'nil') return typeOfNilComparison(e, r);
  if (COMPARISON.has(e.op) && reportUnknownEnumWord(e, r)) return 'bool';
  const before = r.errorCount;
  const lt = typeOf(e.left, r);
  const rt = typeOf(e.right, r);
  if (LOGICAL.has(e.op)) {
    hintBareAttribute(e.left, r);
    hintBareAttribute(e.right, r);
  }
  const result: ValueType = LOGICAL.has(e.op) || COMPARISON.has(e.op) ? 'bool' : lt !== 'attribute' ? lt : rt;
  if (r.errorCount > before) return result === 'bool' ? 'bool' : 'attribute';
  if (!compatible(lt, rt, e.op)) {
    r.error('type-mismatch', mismatchMessage(e, lt, rt), e.loc);
    return result === 'bool' ? 'bool' : 'attribute';
  }
  for (const [side, t] of [[e.left, lt], [e.right, rt]] as const) {
    if (t !== 'attribute' && !(VALID_OPS[t]?.has(e.op) ?? false)) {
      const enumNote = t === 'status' || t === 'kind' ? ` (${t} values allow only = and !=)` : '';
      r.error('invalid-operator', `'${e.op}' does not apply to ${quote(side)}, which is ${TYPE_NAMES[t]}${enumNote}`, e.loc);
      return result === 'bool' ? 'bool' : 'attribute';
    }
  }
  if (e.op === '=~' || e.op === '!~') checkRegex(e, r);
  else if (COMPARISON.has(e.op)) hintComparisonValues(e, lt, rt, r);
  return result;
}

/** Types two operands may have together; a status also compares with an int, its OTLP code (`= !=` only). */
function compatible(a: ValueType, b: ValueType, op: string): boolean {
  if ((a === 'status' && b === 'int') || (a === 'int' && b === 'status')) return op === '=' || op === '!=';
  return a === 'attribute' || b === 'attribute' || a === b || (NUMERIC.has(a) && NUMERIC.has(b));
}

function mismatchMessage(e: BinaryExpr, lt: ValueType, rt: ValueType): string {
  const [field, fieldType, value, valueType] = e.right.type === 'intrinsic' && e.left.type !== 'intrinsic' ? [e.right, rt, e.left, lt] : [e.left, lt, e.right, rt];
  if ((fieldType === 'status' || fieldType === 'kind') && value.type === 'string' && /^[a-z]+$/.test(value.value)) {
    return `${fieldType} values are words, not strings: write ${formatExpr(field)} ${e.op} ${value.value}`;
  }
  if (fieldType === 'status' && field.type === 'intrinsic') return `${quote(field)} is ${TYPE_NAMES.status}, not ${TYPE_NAMES[valueType]}: compare it with ok, error or unset, e.g. ${formatExpr(field)} = error`;
  if (fieldType === 'kind' && field.type === 'intrinsic') return `${quote(field)} is ${TYPE_NAMES.kind}, not ${TYPE_NAMES[valueType]}: e.g. ${formatExpr(field)} = server`;
  if (fieldType === 'duration' && field.type === 'intrinsic') return `${quote(field)} is a duration, not ${TYPE_NAMES[valueType]}: compare it with a duration such as 250ms or 1.5s`;
  const verb = COMPARISON.has(e.op) ? 'compare' : 'combine';
  return `cannot ${verb} ${quote(e.left)} (${TYPE_NAMES[lt]}) with ${quote(e.right)} (${TYPE_NAMES[rt]}) using '${e.op}'`;
}

/** `x = nil` tests absence, `x != nil` presence; intrinsics always have a value, so `= nil` is an error. */
function typeOfNilComparison(e: BinaryExpr, r: Reporter): ValueType {
  if (e.op !== '=' && e.op !== '!=') {
    r.error('misplaced-nil', `nil can only be compared with = or !=, not '${e.op}'`, e.loc);
    return 'bool';
  }
  const other = e.left.type === 'nil' ? e.right : e.left;
  if (other.type === 'nil') return 'bool';
  const before = r.errorCount;
  typeOf(other, r);
  if (r.errorCount > before || e.op !== '=') return 'bool';
  if (other.type === 'intrinsic') {
    r.error('nil-intrinsic', `${formatExpr(other)} = nil never matches: intrinsics always have a value`, e.loc);
  } else if (other.type === 'attribute' && other.scope === 'resource' && other.name === 'service.name') {
    r.error('nil-intrinsic', 'resource.service.name = nil never matches: every span has a service name', e.loc);
  }
  return 'bool';
}

/** A literal pattern must compile as RE2; one read from the span (`.a =~ .b`) is compiled per value at run time. */
function checkRegex(e: BinaryExpr, r: Reporter): void {
  if (e.right.type !== 'string') return;
  try {
    RE2JS.compile(e.right.value);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    r.error('invalid-regex', `invalid regular expression (RE2 syntax): ${detail}`, e.right.loc ?? e.loc);
  }
}

/** `a || b && c` without parentheses: TraceQL reads it left to right, which is rarely what was meant. */
export function mixingMessage(op: string, inner: { op: string; left: string; right: string }, right: string): string {
  const asRead = `(${inner.left} ${inner.op} ${inner.right}) ${op} ${right}`;
  const other = `${inner.left} ${inner.op} (${inner.right} ${op} ${right})`;
  return `'&&' and '||' are mixed without parentheses; TraceQL reads this as ${asRead}. Add parentheses: write ${asRead} or ${other}`;
}

function checkMixing(e: BinaryExpr, r: Reporter): void {
  if (!LOGICAL.has(e.op)) return;
  const l = e.left;
  if (l.type === 'binary' && LOGICAL.has(l.op) && l.op !== e.op && l.loc !== undefined && l.loc.parens !== true) {
    r.error('mixed-and-or', mixingMessage(e.op, { op: l.op, left: formatExpr(l.left), right: formatExpr(l.right) }, formatExpr(e.right)), e.loc);
  }
}
