/**
 * Recursive-descent parser: `assertion := quantifier selection clause*`, where a selection is a
 * TraceQL spanset expression without pipelines. Spanset operators follow expr.y: `&& ||` (equal
 * precedence, left) below the structural operators (left). The checker, not the parser, rejects
 * `&&` / `||` mixed without parentheses, so the parser keeps TraceQL's reading and records parens.
 */
import type { Assertion, Clause, Expr, Quantifier, Selection, SpansetFilter, SpansetOperator } from './ast.js';
import { parseFieldExpr } from './parse-field.js';
import type { Punct } from './lexer.js';
import { TokenStream } from './token-stream.js';

export { LANGUAGE_LIMITS } from './token-stream.js';

const SPANSET_PRECEDENCE: Partial<Record<Punct, number>> = {
  '&&': 1, '||': 1,
  '>': 2, '<': 2, '>>': 2, '<<': 2, '~': 2,
  '!>': 2, '!<': 2, '!>>': 2, '!<<': 2, '!~': 2,
  '&>': 2, '&<': 2, '&>>': 2, '&<<': 2, '&~': 2,
};

const MAX_SPANSET_PRECEDENCE = 2;

const EXPECTED_SELECTION = ["'{'", "'('", 'a span name in quotes'];
const EXPECTED_SPANSET_OP = ['a spanset operator (&&, ||, >, >>, <, <<, ~, !>, &>, ...)'];
const EXPECTED_QUANTIFIER = ["'exactly N'", "'at least N'", "'at most N'", "'no'", "'some'", "'one'"];
const EXPECTED_CLAUSE = ["'after'", "'before'", "'within'"];

/** Parses an assertion such as `exactly 1 { name = "refund" } after "refund.requested"`. Throws ParseError. */
export function parseAssertion(text: string): Assertion {
  const ts = new TokenStream(text);
  const quantifier = parseQuantifier(ts);
  const selection = parseSelectionExpr(ts, 1);
  const clauses: Clause[] = [];
  for (;;) {
    const t = ts.peek();
    if (t.kind === 'eof') break;
    if (ts.isWord('after') || ts.isWord('before')) {
      ts.next();
      const sel = parseSelectionExpr(ts, 1);
      clauses.push({ type: t.kind === 'word' && t.name === 'after' ? 'after' : 'before', selection: sel, loc: { start: t.start, end: sel.loc!.end } });
    } else if (ts.isWord('within')) {
      ts.next();
      const d = ts.peek();
      if (d.kind !== 'duration') throw ts.unexpected(['a duration such as 5s or 1m30s']);
      ts.next();
      clauses.push({ type: 'within', nanos: d.nanos, loc: { start: t.start, end: d.end } });
    } else {
      throw unexpectedAfterSelection(ts, [...EXPECTED_SPANSET_OP, ...EXPECTED_CLAUSE, 'end of input']);
    }
  }
  return { type: 'assertion', quantifier, selection, clauses, loc: { start: quantifier.loc!.start, end: ts.lastEnd } };
}

/** Parses a bare selection (TraceQL spanset expression, or `"name"`). Throws ParseError. */
export function parseSelection(text: string): Selection {
  const ts = new TokenStream(text);
  const selection = parseSelectionExpr(ts, 1);
  if (ts.peek().kind !== 'eof') throw unexpectedAfterSelection(ts, [...EXPECTED_SPANSET_OP, 'end of input']);
  return selection;
}

function unexpectedAfterSelection(ts: TokenStream, expected: readonly string[]) {
  if (ts.isPunct('|')) {
    return ts.error('unsupported', 'pipelines (|) are not supported: an assertion selects spans and counts them with its quantifier', ts.peek(), expected);
  }
  return ts.unexpected(expected);
}

function parseQuantifier(ts: TokenStream): Quantifier {
  const t = ts.peek();
  const count = (kind: 'exactly' | 'at-least' | 'at-most', start: number): Quantifier => {
    const n = ts.peek();
    if (n.kind !== 'int') throw ts.unexpected(['a whole number']);
    if (n.value > BigInt(Number.MAX_SAFE_INTEGER)) throw ts.error('invalid-number', 'count is too large', n);
    ts.next();
    return { type: 'quantifier', kind, count: Number(n.value), loc: { start, end: n.end } };
  };
  if (t.kind === 'word') {
    switch (t.name) {
      case 'exactly':
        ts.next();
        return count('exactly', t.start);
      case 'at':
        ts.next();
        if (ts.isWord('least')) { ts.next(); return count('at-least', t.start); }
        if (ts.isWord('most')) { ts.next(); return count('at-most', t.start); }
        throw ts.unexpected(["'least'", "'most'"]);
      case 'no': case 'some': case 'one':
        ts.next();
        return { type: 'quantifier', kind: t.name, loc: { start: t.start, end: t.end } };
    }
  }
  const startsSelection = ts.isPunct('{') || ts.isPunct('(') || t.kind === 'string';
  throw ts.unexpected(EXPECTED_QUANTIFIER, startsSelection ? 'an assertion starts with a quantifier, e.g. some { ... }' : undefined);
}

function parseSelectionExpr(ts: TokenStream, minPrec: number): Selection {
  ts.descend(ts.peek());
  let left = parseSelectionOperand(ts);
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'punct') break;
    const prec = SPANSET_PRECEDENCE[t.value];
    if (prec === undefined || prec < minPrec) break;
    ts.next();
    // Left-associative: the right operand takes only operators that bind tighter.
    const right = prec >= MAX_SPANSET_PRECEDENCE ? parseSelectionOperand(ts) : parseSelectionExpr(ts, prec + 1);
    left = ts.built({ type: 'spanset', op: t.value as SpansetOperator, left, right, loc: { start: left.loc!.start, end: right.loc!.end } }, t, left, right);
  }
  ts.ascend();
  return left;
}

/** One operand: `{ ... }`, `( selection )` or `"name"` (shorthand for `{ name = "name" }`). */
function parseSelectionOperand(ts: TokenStream): Selection {
  const t = ts.peek();
  if (t.kind === 'string') {
    ts.next();
    const at = { start: t.start, end: t.end };
    const eq: Expr = ts.built({ type: 'binary', op: '=', left: { type: 'intrinsic', name: 'name', loc: at }, right: { type: 'string', value: t.value, loc: at }, loc: at }, t);
    return ts.built({ type: 'filter', expr: eq, loc: at }, t, eq);
  }
  if (ts.isPunct('(')) {
    ts.next();
    const inner = parseSelectionExpr(ts, 1);
    const close = ts.peek();
    if (!ts.isPunct(')')) throw unexpectedAfterSelection(ts, ["')'", ...EXPECTED_SPANSET_OP]);
    ts.next();
    return ts.same({ ...inner, loc: { start: t.start, end: close.end, parens: true } }, inner);
  }
  if (ts.isPunct('{')) return parseFilter(ts);
  if (t.kind === 'word' && ts.isPunct('(', 1)) {
    throw ts.error('unsupported', `${t.name}() is not supported: assertions select spans, without TraceQL aggregates, metrics or select()`, t, EXPECTED_SELECTION);
  }
  throw ts.unexpected(EXPECTED_SELECTION, t.kind === 'eof' ? undefined : 'a selection is a filter in braces such as { status = error }, or a span name in quotes');
}

function parseFilter(ts: TokenStream): SpansetFilter {
  const open = ts.next();
  if (ts.isPunct('}')) {
    const close = ts.next();
    return { type: 'filter', expr: null, loc: { start: open.start, end: close.end } };
  }
  const expr = parseFieldExpr(ts);
  const close = ts.expectPunct('}', ["'}'", 'an operator']);
  return ts.built({ type: 'filter', expr, loc: { start: open.start, end: close.end } }, open, expr);
}
