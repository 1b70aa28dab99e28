/**
 * Field expressions, the part inside `{ ... }`, by precedence climbing with TraceQL's precedence
 * (expr.y, lowest first): `&& ||` (equal, left), comparisons (left), `+ -`, prefix `! -`, `* / %`,
 * `^` (right). A prefix operator takes `* / % ^` chains as its operand and binds tighter than
 * `+ -` and comparisons, as in Tempo: `!.a = 2` is `(!.a) = 2`, `-a * b` is `-(a * b)`.
 * `nil` may only be an operand of `=` / `!=`, again as in Tempo's grammar.
 */
import type { BinaryOperator, Expr, KindValue, Loc, StatusValue } from './ast.js';
import { ATTRIBUTE_SCOPES, KIND_VALUES, STATUS_VALUES, intrinsicInfo } from './intrinsics.js';
import type { IntrinsicName } from './intrinsics.js';
import type { Token } from './lexer.js';
import type { TokenStream } from './token-stream.js';

/** Binding power of binary field operators; higher binds tighter. */
export const FIELD_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '||': 1, '&&': 1,
  '=': 2, '!=': 2, '<': 2, '<=': 2, '>': 2, '>=': 2, '=~': 2, '!~': 2,
  '+': 3, '-': 3,
  '*': 5, '/': 5, '%': 5,
  '^': 6,
};

/** Binding power of prefix `!` and `-`: between `+ -` and `* / %`. */
export const UNARY_PRECEDENCE = 4;

/** What may start a field operand; listed in syntax errors. */
export const EXPECTED_OPERAND = ['an attribute such as .key or span.key', 'an intrinsic such as name or status', 'a literal', "'('", "'!'", "'-'"];

const STATUS: ReadonlySet<string> = new Set(STATUS_VALUES);
const KIND: ReadonlySet<string> = new Set(KIND_VALUES);

/** Parses one field expression (the whole inside of a filter). */
export function parseFieldExpr(ts: TokenStream): Expr {
  return parseBinary(ts, 1);
}

function binaryOp(t: Token): BinaryOperator | undefined {
  if (t.kind !== 'punct') return undefined;
  return t.value in FIELD_PRECEDENCE ? (t.value as BinaryOperator) : undefined;
}

function loc(start: number, end: number): Loc {
  return { start, end };
}

function parseBinary(ts: TokenStream, minPrec: number): Expr {
  ts.descend(ts.peek());
  const expr = parseBinaryChain(ts, minPrec);
  ts.ascend();
  return expr;
}

function parseBinaryChain(ts: TokenStream, minPrec: number): Expr {
  let left = parseUnary(ts);
  for (;;) {
    const opToken = ts.peek();
    const op = binaryOp(opToken);
    if (op === undefined || FIELD_PRECEDENCE[op] < minPrec) return left;
    ts.next();
    let right: Expr;
    if ((op === '=' || op === '!=') && ts.isWord('nil')) {
      const t = ts.next();
      right = { type: 'nil', loc: loc(t.start, t.end) };
    } else {
      if ((op === '=' || op === '!=') && ts.isPunct('=')) throw ts.unexpected(EXPECTED_OPERAND, 'equality is a single = (TraceQL has no ==)');
      right = parseBinary(ts, op === '^' ? FIELD_PRECEDENCE[op] : FIELD_PRECEDENCE[op] + 1);
    }
    left = ts.built({ type: 'binary', op, left, right, loc: loc(left.loc!.start, right.loc!.end) }, opToken, left, right);
  }
}

function parseUnary(ts: TokenStream): Expr {
  if (ts.isPunct('!') || ts.isPunct('-')) {
    const t = ts.next();
    const operand = parseBinary(ts, UNARY_PRECEDENCE + 1);
    return ts.built({ type: 'unary', op: t.kind === 'punct' && t.value === '!' ? '!' : '-', operand, loc: loc(t.start, operand.loc!.end) }, t, operand);
  }
  return parsePrimary(ts);
}

function parsePrimary(ts: TokenStream): Expr {
  const t = ts.peek();
  const at = loc(t.start, t.end);
  switch (t.kind) {
    case 'string': ts.next(); return { type: 'string', value: t.value, loc: at };
    case 'int': ts.next(); return { type: 'int', value: t.value, loc: at };
    case 'float': ts.next(); return { type: 'float', value: t.value, loc: at };
    case 'duration': ts.next(); return { type: 'duration', nanos: t.nanos, loc: at };
    case 'attribute': {
      ts.next();
      if (t.scope === undefined) return { type: 'attribute', scope: 'unscoped', name: t.name, loc: at };
      if ((ATTRIBUTE_SCOPES as readonly string[]).includes(t.scope)) {
        return { type: 'attribute', scope: t.scope as (typeof ATTRIBUTE_SCOPES)[number], name: t.name, loc: at };
      }
      return { type: 'unresolved', form: 'attribute', scope: t.scope, name: t.name, loc: at };
    }
    case 'scoped': {
      ts.next();
      const full = `${t.scope}:${t.name}`;
      if (intrinsicInfo(full) !== undefined) return { type: 'intrinsic', name: full as IntrinsicName, loc: at };
      return { type: 'unresolved', form: 'intrinsic', scope: t.scope, name: t.name, loc: at };
    }
    case 'word': return parseWord(ts, t.name, at);
    case 'punct':
      if (t.value === '(') {
        ts.next();
        const inner = parseBinary(ts, 1);
        const close = ts.expectPunct(')', ["')'", 'an operator']);
        return ts.same({ ...inner, loc: { start: t.start, end: close.end, parens: true } } as Expr, inner);
      }
      break;
    default:
      break;
  }
  throw ts.unexpected(EXPECTED_OPERAND);
}

function parseWord(ts: TokenStream, word: string, at: Loc): Expr {
  if (ts.isPunct('(', 1)) {
    throw ts.error('unsupported', `${word}() is not supported: assertions select spans, without TraceQL aggregates, metrics or select()`, at, EXPECTED_OPERAND);
  }
  ts.next();
  if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true', loc: at };
  if (STATUS.has(word)) return { type: 'status', value: word as StatusValue, loc: at };
  if (KIND.has(word)) return { type: 'kind', value: word as KindValue, loc: at };
  if (word === 'nil') {
    // `nil = x` / `nil != x`: Tempo's grammar has nil only as an operand of these two.
    if (!ts.isPunct('=') && !ts.isPunct('!=')) throw ts.unexpected(["'='", "'!='"], 'nil can only be compared with = or !=');
    const opTok = ts.next();
    const op = opTok.kind === 'punct' && opTok.value === '!=' ? '!=' : '=';
    const left: Expr = { type: 'nil', loc: at };
    let right: Expr;
    if (ts.isWord('nil')) {
      const n = ts.next();
      right = { type: 'nil', loc: loc(n.start, n.end) };
    } else right = parseBinary(ts, FIELD_PRECEDENCE['='] + 1);
    return ts.built({ type: 'binary', op, left, right, loc: loc(at.start, right.loc!.end) }, opTok, left, right);
  }
  if (intrinsicInfo(word) !== undefined) return { type: 'intrinsic', name: word as IntrinsicName, loc: at };
  return { type: 'unresolved', form: 'word', name: word, loc: at };
}
