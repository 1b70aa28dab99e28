/**
 * AST -> canonical text. Parentheses appear where precedence needs them and always around an `&&`
 * inside `||` (or the reverse), so the output passes the checker's mixing rule. Selections print as
 * plain TraceQL (the `"x"` shorthand prints as `{ name = "x" }`) so they can be pushed down to Tempo.
 * For every tree the parser produces, `parse(format(tree))` is the same tree up to `loc`.
 */
import type { Assertion, AttributeRef, Clause, Expr, Quantifier, Selection } from './ast.js';
import { formatDuration } from './duration.js';
import { isAttributeChar } from './lexer.js';
import { FIELD_PRECEDENCE, UNARY_PRECEDENCE } from './parse-field.js';

const PRIMARY = 10;
const STRUCTURAL = 2;
const LOGICAL = 1;

/** Prints an assertion: `exactly 1 { ... } after { ... } within 5s`. */
export function formatAssertion(a: Assertion): string {
  return [formatQuantifier(a.quantifier), formatSelection(a.selection), ...a.clauses.map(formatClause)].join(' ');
}

/** Prints a quantifier: `exactly 2`, `at least 1`, `no`, ... */
export function formatQuantifier(q: Quantifier): string {
  switch (q.kind) {
    case 'exactly': return `exactly ${q.count}`;
    case 'at-least': return `at least ${q.count}`;
    case 'at-most': return `at most ${q.count}`;
    default: return q.kind;
  }
}

/** Prints a clause: `after SEL`, `before SEL`, `within D`. */
export function formatClause(c: Clause): string {
  return c.type === 'within' ? `within ${formatDuration(c.nanos)}` : `${c.type} ${formatSelection(c.selection)}`;
}

/** Prints a selection as TraceQL. */
export function formatSelection(s: Selection): string {
  if (s.type === 'filter') return s.expr === null ? '{ }' : `{ ${formatExpr(s.expr)} }`;
  const p = spansetPrecedence(s);
  const wrap = (child: Selection, right: boolean): string => {
    const cp = spansetPrecedence(child);
    const needs = cp < p || (right && cp === p) || mixesLogical(s, child);
    return needs ? `(${formatSelection(child)})` : formatSelection(child);
  };
  return `${wrap(s.left, false)} ${s.op} ${wrap(s.right, true)}`;
}

function spansetPrecedence(s: Selection): number {
  if (s.type === 'filter') return PRIMARY;
  return s.op === '&&' || s.op === '||' ? LOGICAL : STRUCTURAL;
}

function mixesLogical(parent: { op: string }, child: Selection | Expr): boolean {
  const logical = (op: string) => op === '&&' || op === '||';
  return 'op' in child && child.type !== 'unary' && logical(parent.op) && logical(child.op) && parent.op !== child.op;
}

/** Prints a field expression (the inside of a filter). */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'string': return quoteString(e.value);
    case 'int': return e.value.toString();
    case 'float': return formatFloat(e.value);
    case 'duration': return formatDuration(e.nanos);
    case 'bool': return String(e.value);
    case 'nil': return 'nil';
    case 'status':
    case 'kind': return e.value;
    case 'attribute': return formatAttribute(e);
    case 'intrinsic': return e.name;
    case 'unresolved':
      if (e.form === 'word') return e.name;
      return e.form === 'intrinsic' ? `${e.scope}:${e.name}` : `${e.scope}.${formatAttributeName(e.name, false)}`;
    case 'unary': {
      const inner = formatExpr(e.operand);
      return exprPrecedence(e.operand) <= UNARY_PRECEDENCE && e.operand.type !== 'unary' ? `${e.op}(${inner})` : `${e.op}${inner}`;
    }
    case 'binary': {
      const p = FIELD_PRECEDENCE[e.op];
      const rightAssoc = e.op === '^';
      const wrap = (child: Expr, right: boolean): string => {
        const cp = exprPrecedence(child);
        const needs = cp < p || (cp === p && right !== rightAssoc) || mixesLogical(e, child);
        return needs ? `(${formatExpr(child)})` : formatExpr(child);
      };
      return `${wrap(e.left, false)} ${e.op} ${wrap(e.right, true)}`;
    }
  }
}

function exprPrecedence(e: Expr): number {
  if (e.type === 'binary') return FIELD_PRECEDENCE[e.op];
  if (e.type === 'unary') return UNARY_PRECEDENCE;
  return PRIMARY;
}

/** Prints an attribute reference, quoting the name when it holds characters that end a name. */
export function formatAttribute(a: AttributeRef): string {
  const unscoped = a.scope === 'unscoped';
  return `${unscoped ? '' : a.scope}.${formatAttributeName(a.name, unscoped)}`;
}

function formatAttributeName(name: string, unscoped: boolean): string {
  const plain = name !== '' && !/["\\]/.test(name) && Array.from(name).every(isAttributeChar) && !(unscoped && /^[0-9]/.test(name));
  return plain ? name : `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A double-quoted string literal the lexer reads back to the same value. */
export function quoteString(value: string): string {
  return JSON.stringify(value);
}

/** A float literal that reads back as a float (`3.0`, not the int `3`). */
export function formatFloat(value: number): string {
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}
