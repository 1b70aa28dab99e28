/**
 * AST -> TypeScript builder code, so an assertion written as text can move into a test file:
 * `toBuilderCode(parseAssertion('one "charge" after "cart.checkout"'))` gives
 * `one(span('charge').after('cart.checkout'))`. Evaluated with the builder's exports in scope, the
 * code builds the same tree (up to `loc`). Payload checks live outside the AST, so the code never
 * has `.payload(...)`. Nodes the parser never produces (unresolved fields, negative literals) throw.
 */
import type { Assertion, Clause, Expr, Selection } from '../ast.js';
import { formatDuration } from '../duration.js';
import { intrinsicInfo } from '../intrinsics.js';
import type { ValueType } from '../intrinsics.js';
import { BuilderError } from './errors.js';
import { literalType, plainExpr } from './values.js';

const QUANTIFIER_FN = { 'exactly': 'exactly', 'at-least': 'atLeast', 'at-most': 'atMost', 'no': 'no', 'some': 'some', 'one': 'one' } as const;
const SCOPE_FN = { unscoped: 'attr', span: 'spanAttr', resource: 'resourceAttr', event: 'eventAttr', link: 'linkAttr', instrumentation: 'instrumentationAttr' } as const;
const EXPR_METHOD: Record<string, string> = {
  '&&': 'and', '||': 'or',
  '=': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '=~': 'matches', '!~': 'notMatches',
  '+': 'plus', '-': 'minus', '*': 'times', '/': 'div', '%': 'mod', '^': 'pow',
};
const SPANSET_METHOD: Record<string, string> = {
  '&&': 'and', '||': 'or',
  '>': 'child', '>>': 'descendant', '<': 'parent', '<<': 'ancestor', '~': 'sibling',
  '!>': 'notChild', '!>>': 'notDescendant', '!<': 'notParent', '!<<': 'notAncestor', '!~': 'notSibling',
  '&>': 'unionChild', '&>>': 'unionDescendant', '&<': 'unionParent', '&<<': 'unionAncestor', '&~': 'unionSibling',
};
const BOOLEAN_OPS: ReadonlySet<string> = new Set(['&&', '||', '=', '!=', '<', '<=', '>', '>=', '=~', '!~']);
/** Intrinsics `span({ ... })` writes, with the literal type each one takes. */
const SPAN_FIELD_LITERAL: Record<string, Expr['type']> = { name: 'string', kind: 'kind', status: 'status', statusMessage: 'string' };

/** The builder code for an assertion, a selection or a field expression. */
export function toBuilderCode(node: Assertion | Selection | Expr): string {
  if (node.type === 'assertion') return assertionCode(node);
  if (node.type === 'filter' || node.type === 'spanset') return selectionCode(node);
  return exprCode(node).code;
}

/** A JS string literal in single quotes. */
function js(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function numberCode(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function intCode(v: bigint): string {
  const abs = v < 0n ? -v : v;
  return abs <= BigInt(Number.MAX_SAFE_INTEGER) ? v.toString() : `${v}n`;
}

function keyCode(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : js(key);
}

function unrepresentable(what: string): never {
  throw new BuilderError('unrepresentable', `toBuilderCode: ${what}; the builder makes only trees the parser can make`);
}

function assertionCode(a: Assertion): string {
  const q = a.quantifier;
  const fn = QUANTIFIER_FN[q.kind];
  const target = selectionCode(a.selection) + a.clauses.map(clauseCode).join('');
  return 'count' in q ? `${fn}(${q.count}, ${target})` : `${fn}(${target})`;
}

function clauseCode(c: Clause): string {
  if (c.type === 'within') return `.within(${c.nanos < 0n ? `${c.nanos}n` : js(formatDuration(c.nanos))})`;
  const name = nameOnly(c.selection);
  return `.${c.type}(${name !== undefined ? js(name) : selectionCode(c.selection)})`;
}

/** The name of a `{ name = "x" }` filter (what the text's `"x"` shorthand parses to). */
function nameOnly(s: Selection): string | undefined {
  if (s.type !== 'filter' || s.expr === null) return undefined;
  const e = s.expr;
  return e.type === 'binary' && e.op === '=' && e.left.type === 'intrinsic' && e.left.name === 'name' && e.right.type === 'string' ? e.right.value : undefined;
}

function selectionCode(s: Selection): string {
  if (s.type === 'filter') return filterCode(s.expr);
  return `${selectionCode(s.left)}.${SPANSET_METHOD[s.op]}(${selectionCode(s.right)})`;
}

/** `a && b && c` as its operands (the left spine only: `a && (b && c)` keeps `b && c` whole). */
function conjuncts(e: Expr): Expr[] {
  return e.type === 'binary' && e.op === '&&' ? [...conjuncts(e.left), e.right] : [e];
}

function filterCode(expr: Expr | null): string {
  if (expr === null) return 'span()';
  const parts = conjuncts(expr);
  let i = 0;
  const fields: [string, string][] = [];
  for (; i < parts.length; i++) {
    const field = spanField(parts[i]!);
    if (field === undefined || fields.some(([k]) => k === field[0])) break;
    fields.push(field);
  }
  let code: string;
  if (fields.length === 1 && fields[0]![0] === 'name') code = `span(${fields[0]![1]})`;
  else if (fields.length > 0) code = `span({ ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} })`;
  else if (whereField(parts[0]!) !== undefined) code = 'span()';
  else code = `span(${exprCode(parts[i++]!).code})`;
  while (i < parts.length) {
    const group: [string, string][] = [];
    for (; i < parts.length; i++) {
      const field = whereField(parts[i]!);
      if (field === undefined || group.some(([k]) => k === field[0])) break;
      group.push(field);
    }
    if (group.length > 0) code += `.where({ ${group.map(([k, v]) => `${keyCode(k)}: ${v}`).join(', ')} })`;
    else code += `.where(${exprCode(parts[i++]!).code})`;
  }
  return code;
}

/** `kind = client` as `['kind', "'client'"]`, for `span({ kind: 'client' })`. */
function spanField(e: Expr): [string, string] | undefined {
  if (e.type !== 'binary' || e.op !== '=' || e.left.type !== 'intrinsic') return undefined;
  const key = e.left.name;
  if (SPAN_FIELD_LITERAL[key] === undefined || SPAN_FIELD_LITERAL[key] !== e.right.type) return undefined;
  return [key, js((e.right as { value: string }).value)];
}

/** `span.amount = 2500` as `['amount', '2500']`, for `where({ amount: 2500 })`. */
function whereField(e: Expr): [string, string] | undefined {
  if (e.type !== 'binary' || e.op !== '=' || e.left.type !== 'attribute' || e.left.scope !== 'span') return undefined;
  // Integer-like keys are reordered by JS objects, and `__proto__` is not a key in an object literal.
  const key = e.left.name;
  if (/^\d+$/.test(key) || key === '__proto__') return undefined;
  const value = plainCode(e.right, 'attribute');
  return value === undefined ? undefined : [key, value];
}

/** Code for an expression, with the value type the builder will give it (it decides how plain values read). */
function exprCode(e: Expr): { code: string; type: ValueType } {
  switch (e.type) {
    case 'string': return { code: `lit.str(${js(e.value)})`, type: 'string' };
    case 'int':
      if (e.value < 0n) unrepresentable(`the negative int literal ${e.value}`);
      return { code: `lit.int(${intCode(e.value)})`, type: 'int' };
    case 'float':
      if (e.value < 0 || Object.is(e.value, -0)) unrepresentable(`the negative float literal ${e.value}`);
      return { code: `lit.float(${numberCode(e.value)})`, type: 'float' };
    case 'duration':
      if (e.nanos < 0n) unrepresentable(`the negative duration literal ${e.nanos}ns`);
      return { code: `lit.duration(${js(formatDuration(e.nanos))})`, type: 'duration' };
    case 'bool': return { code: `lit.bool(${e.value})`, type: 'bool' };
    case 'nil': return { code: 'lit.nil', type: 'nil' };
    case 'status': return { code: `lit.status(${js(e.value)})`, type: 'status' };
    case 'kind': return { code: `lit.kind(${js(e.value)})`, type: 'kind' };
    case 'attribute': return { code: `${SCOPE_FN[e.scope]}(${js(e.name)})`, type: 'attribute' };
    case 'intrinsic': {
      const info = intrinsicInfo(e.name);
      if (info === undefined) return unrepresentable(`the unknown intrinsic ${JSON.stringify(e.name)}`);
      return { code: `intrinsic(${js(e.name)})`, type: info.type };
    }
    case 'unresolved': return unrepresentable(`the unresolved field ${JSON.stringify(e.name)} (the checker rejects it)`);
    case 'unary': return unaryCode(e.op, e.operand);
    case 'binary': {
      const left = exprCode(e.left);
      if ((e.op === '=' || e.op === '!=') && e.right.type === 'nil' && e.left.type !== 'nil') {
        return { code: `${left.code}.${e.op === '=' ? 'missing' : 'exists'}()`, type: 'bool' };
      }
      // `and` / `or` take conditions only; every other operator also takes a plain value.
      const plain = e.op === '&&' || e.op === '||' ? undefined : plainCode(e.right, left.type);
      const right = plain === undefined ? exprCode(e.right) : undefined;
      const code = `${left.code}.${EXPR_METHOD[e.op]}(${plain ?? right!.code})`;
      if (BOOLEAN_OPS.has(e.op)) return { code, type: 'bool' };
      // Arithmetic takes the left side's type, or the right side's when the left is an attribute (as the builder does).
      return { code, type: left.type !== 'attribute' ? left.type : right !== undefined ? right.type : literalType(e.right) ?? 'attribute' };
    }
  }
}

function unaryCode(op: '!' | '-', operand: Expr): { code: string; type: ValueType } {
  if (op === '!') return { code: `not(${exprCode(operand).code})`, type: 'bool' };
  // `-5` reads as -(5); `lit.int(-5)` builds exactly that.
  if (operand.type === 'int' && operand.value >= 0n) return { code: `lit.int(${operand.value === 0n ? '-0' : intCode(-operand.value)})`, type: 'int' };
  if (operand.type === 'float' && operand.value >= 0 && !Object.is(operand.value, -0)) return { code: `lit.float(${numberCode(-operand.value)})`, type: 'float' };
  if (operand.type === 'duration' && operand.nanos > 0n) return { code: `lit.duration(${-operand.nanos}n)`, type: 'duration' };
  const inner = exprCode(operand);
  return { code: `neg(${inner.code})`, type: inner.type };
}

/**
 * A plain JS value that the builder reads back as exactly `e` next to a field of type `context`
 * (`2500`, `'EUR'`, `'250ms'` next to a duration, `-5`), or undefined when only `lit.*` will do.
 */
function plainCode(e: Expr, context: ValueType): string | undefined {
  const candidate = plainCandidate(e);
  if (candidate === undefined) return undefined;
  try {
    return sameTree(plainExpr(candidate.value, context), e) ? candidate.code : undefined;
  } catch {
    return undefined;
  }
}

function plainCandidate(e: Expr): { value: unknown; code: string } | undefined {
  switch (e.type) {
    case 'string': case 'status': case 'kind': return { value: e.value, code: js(e.value) };
    case 'duration': return { value: formatDuration(e.nanos), code: js(formatDuration(e.nanos)) };
    case 'bool': return { value: e.value, code: String(e.value) };
    case 'float': return { value: e.value, code: numberCode(e.value) };
    case 'int': return intCandidate(e.value);
    case 'unary':
      if (e.op !== '-') return undefined;
      if (e.operand.type === 'int') return intCandidate(-e.operand.value);
      if (e.operand.type === 'float') return { value: -e.operand.value, code: numberCode(-e.operand.value) };
      return undefined;
    default: return undefined;
  }
}

function intCandidate(v: bigint): { value: unknown; code: string } {
  const safe = (v < 0n ? -v : v) <= BigInt(Number.MAX_SAFE_INTEGER);
  return safe ? { value: Number(v), code: numberCode(Number(v)) } : { value: v, code: `${v}n` };
}

/** Structural equality of two trees, ignoring `loc`; numbers by `Object.is` (so -0 is not 0). */
function sameTree(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  const keys = (o: object) => Object.keys(o).filter((k) => k !== 'loc');
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => sameTree((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
