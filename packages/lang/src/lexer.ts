/**
 * Tokenizer for assertions and TraceQL selections. Tokens carry [start, end) offsets. The parser
 * pulls tokens one at a time (`lexToken`) so that the first error in reading order is the one
 * reported. Rules follow Tempo's lexer where TraceQL defines them: attribute names run to whitespace
 * or one of `{}()=~!<>&|^,` and may contain quoted parts; `//` and `/* *\/` are comments.
 */
import { parseDuration } from './duration.js';
import { ParseError } from './errors.js';

/** Operators and punctuation. */
export type Punct =
  | '{' | '}' | '(' | ')' | ','
  | '=' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=' | '<<' | '>>' | '~'
  | '!>' | '!<' | '!>>' | '!<<' | '&>' | '&<' | '&>>' | '&<<' | '&~'
  | '&&' | '||' | '!' | '|' | '+' | '-' | '*' | '/' | '%' | '^';

interface At { readonly start: number; readonly end: number }

/** One token. `word` is a bare identifier; scoped words and attributes are single tokens. */
export type Token = At & (
  | { readonly kind: 'word'; readonly name: string }
  | { readonly kind: 'scoped'; readonly scope: string; readonly name: string }
  | { readonly kind: 'attribute'; readonly scope: string | undefined; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'duration'; readonly nanos: bigint }
  | { readonly kind: 'punct'; readonly value: Punct }
  | { readonly kind: 'eof' }
);

// Longest first so that `!>>` wins over `!>` and `!`.
const PUNCTS: readonly Punct[] = [
  '!>>', '!<<', '&>>', '&<<',
  '!=', '=~', '!~', '<=', '>=', '<<', '>>', '!>', '!<', '&>', '&<', '&~', '&&', '||',
  '{', '}', '(', ')', ',', '=', '<', '>', '~', '!', '|', '+', '-', '*', '/', '%', '^',
];

const ATTRIBUTE_STOP = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);
const SPACE = /\s/u;
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{Nd}_]/u;
const MAX_INT64 = (1n << 63n) - 1n;
const DURATION_FORM = 'a duration such as 250ms or 1h30m (units ns, us, µs, ms, s, m, h)';

/** True when `ch` may appear unquoted in an attribute name. */
export function isAttributeChar(ch: string): boolean {
  return !SPACE.test(ch) && !ATTRIBUTE_STOP.has(ch);
}

/** Reads all tokens of `source` up to and including `eof` (tests and tools; the parser is incremental). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    const t = lexToken(source, pos);
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
    pos = t.end;
  }
}

/** Reads the token at or after `pos` (skipping whitespace and comments); throws ParseError on bad text. */
export function lexToken(source: string, pos: number): Token {
  const fail = (code: ConstructorParameters<typeof ParseError>[0], message: string, offset: number, expected: string[] = [], end?: number): never => {
    throw new ParseError(code, message, { offset, end, source, expected });
  };
  pos = skipTrivia(source, pos, fail);
  const start = pos;
  const ch = source[pos];
  if (ch === undefined) return { kind: 'eof', start, end: start };

  if (ch === '"') {
    const { value, end } = readQuoted(source, pos, fail);
    return { kind: 'string', value, start, end };
  }
  if (ch === '`') {
    const close = source.indexOf('`', pos + 1);
    if (close < 0) fail('unterminated-string', 'unterminated raw string', pos, ['a closing `']);
    // Go drops carriage returns from raw strings; so does Tempo, so do we.
    return { kind: 'string', value: source.slice(pos + 1, close).replace(/\r/g, ''), start, end: close + 1 };
  }
  if (ch === "'") singleQuoted(source, pos, fail);
  if (isDigit(ch) || (ch === '.' && isDigit(source[pos + 1]))) return readNumber(source, pos, fail);
  if (ch === '.') {
    const { name, end } = readAttributeName(source, pos + 1, '.', fail);
    return { kind: 'attribute', scope: undefined, name, start, end };
  }
  if (WORD_START.test(ch)) {
    let end = pos + 1;
    while (end < source.length && WORD_PART.test(source[end]!)) end++;
    const word = source.slice(pos, end);
    if (source[end] === '.') {
      const attr = readAttributeName(source, end + 1, `${word}.`, fail);
      return { kind: 'attribute', scope: word, name: attr.name, start, end: attr.end };
    }
    if (source[end] === ':') {
      let nameEnd = end + 1;
      if (!WORD_START.test(source[nameEnd] ?? '')) fail('unexpected-character', `expected an intrinsic name after '${word}:'`, nameEnd, ['an intrinsic name']);
      while (nameEnd < source.length && WORD_PART.test(source[nameEnd]!)) nameEnd++;
      return { kind: 'scoped', scope: word, name: source.slice(end + 1, nameEnd), start, end: nameEnd };
    }
    return { kind: 'word', name: word, start, end };
  }
  for (const p of PUNCTS) {
    if (source.startsWith(p, pos)) return { kind: 'punct', value: p, start, end: pos + p.length };
  }
  const cp = String.fromCodePoint(source.codePointAt(pos)!);
  return fail('unexpected-character', `unexpected character ${JSON.stringify(cp)}`, pos, [], pos + cp.length);
}

type Fail = (code: ConstructorParameters<typeof ParseError>[0], message: string, offset: number, expected?: string[], end?: number) => never;

/** `'x'`: TraceQL (Go's scanner) has no single-quoted strings; say how to write the string instead. */
function singleQuoted(source: string, start: number, fail: Fail): never {
  const lineEnd = source.indexOf('\n', start);
  const close = source.indexOf("'", start + 1);
  const closed = close > 0 && (lineEnd < 0 || close < lineEnd);
  const body = closed ? source.slice(start + 1, close) : undefined;
  const write = body === undefined ? '' : `: write ${JSON.stringify(body)}${body.includes('`') ? '' : ` or \`${body}\``}`;
  return fail('unexpected-character', `strings are written in double quotes or backticks, not single quotes${write}`, start, ['a string in double quotes or backticks'], closed ? close + 1 : start + 1);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function skipTrivia(source: string, pos: number, fail: Fail): number {
  for (;;) {
    const ch = source[pos];
    if (ch !== undefined && SPACE.test(ch)) pos++;
    else if (source.startsWith('//', pos)) {
      while (pos < source.length && source[pos] !== '\n') pos++;
    } else if (source.startsWith('/*', pos)) {
      const close = source.indexOf('*/', pos + 2);
      if (close < 0) fail('unterminated-comment', 'unterminated comment', pos, ['*/']);
      pos = close + 2;
    } else return pos;
  }
}

/** Numbers as Go's scanner reads them (decimal ints, floats with fraction / exponent), then a duration unit. */
function readNumber(source: string, start: number, fail: Fail): Token {
  const m = /\d*(\.\d*)?([eE][+-]?\d*)?/y;
  m.lastIndex = start;
  const match = m.exec(source)!;
  let end = start + match[0].length;
  const numText = match[0];
  const isFloat = match[1] !== undefined || match[2] !== undefined;
  if (match[2] !== undefined && !/\d$/.test(match[2])) fail('invalid-number', `exponent has no digits in '${numText}'`, start, ['a digit'], end);
  const unitRun = /[\d.nsumhµμdwy]*/y;
  unitRun.lastIndex = end;
  const unitText = unitRun.exec(source)![0];
  // A unit right after the number makes a duration (`250ms`, `1.5s`, `1h30m`); not after an exponent.
  if (unitText !== '' && match[2] === undefined) {
    const nanos = parseDuration(numText + unitText);
    if (nanos === undefined) fail('invalid-duration', `invalid duration '${numText + unitText}'`, start, [DURATION_FORM], end + unitText.length);
    return { kind: 'duration', nanos: nanos!, start, end: end + unitText.length };
  }
  if (WORD_PART.test(source[end] ?? '')) {
    while (end < source.length && WORD_PART.test(source[end]!)) end++;
    fail('invalid-number', `invalid number '${source.slice(start, end)}'`, start, ['a number or a duration such as 250ms'], end);
  }
  if (isFloat) {
    const value = Number(numText);
    if (!Number.isFinite(value)) fail('invalid-number', `number out of range '${numText}'`, start, [], end);
    return { kind: 'float', value, start, end };
  }
  const value = BigInt(numText);
  if (value > MAX_INT64) fail('invalid-number', `integer out of range (int64): ${numText}`, start, [], end);
  return { kind: 'int', value, start, end };
}

/** Reads an attribute name after its scope prefix: unquoted runs and "quoted" parts, concatenated. */
function readAttributeName(source: string, pos: number, prefix: string, fail: Fail): { name: string; end: number } {
  let name = '';
  let quoted = false;
  for (;;) {
    const ch = source[pos];
    if (ch === '"') {
      const q = readQuotedName(source, pos, fail);
      name += q.value;
      pos = q.end;
      quoted = true;
    } else if (ch !== undefined && isAttributeChar(ch)) {
      const cp = String.fromCodePoint(source.codePointAt(pos)!);
      name += cp;
      pos += cp.length;
    } else break;
  }
  if (name === '' && !quoted) fail('unexpected-token', `expected an attribute name after '${prefix}'`, pos, ['an attribute name']);
  return { name, end: pos };
}

/** A quoted part of an attribute name: only `\"` and `\\` are escapes (as in Tempo). */
function readQuotedName(source: string, start: number, fail: Fail): { value: string; end: number } {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const ch = source[pos];
    if (ch === undefined) return fail('unterminated-string', 'unterminated quoted attribute name', start, ['"']);
    if (ch === '"') return { value, end: pos + 1 };
    if (ch === '\\') {
      const next = source[pos + 1];
      if (next !== '"' && next !== '\\') fail('invalid-escape', 'invalid escape in attribute name (only \\" and \\\\ are allowed)', pos, ['\\"', '\\\\'], pos + 2);
      value += next;
      pos += 2;
    } else {
      value += ch;
      pos++;
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** A "double-quoted" string with Go's escapes: \n \t \\ \" \xHH \uHHHH \UHHHHHHHH \ooo. */
function readQuoted(source: string, start: number, fail: Fail): { value: string; end: number } {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const ch = source[pos];
    if (ch === undefined || ch === '\n') return fail('unterminated-string', 'unterminated string', start, ['"']);
    if (ch === '"') return { value, end: pos + 1 };
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const esc = source[pos + 1] ?? '';
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
      continue;
    }
    const digits = esc === 'x' ? 2 : esc === 'u' ? 4 : esc === 'U' ? 8 : /[0-7]/.test(esc) ? 3 : 0;
    const body = esc === 'x' || esc === 'u' || esc === 'U' ? source.slice(pos + 2, pos + 2 + digits) : source.slice(pos + 1, pos + 1 + digits);
    const valid = digits > 0 && body.length === digits && (/[0-7]/.test(esc) ? /^[0-7]{3}$/.test(body) : /^[0-9a-fA-F]+$/.test(body));
    const code = valid ? parseInt(body, /[0-7]/.test(esc) ? 8 : 16) : -1;
    if (!valid || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (/[0-7]/.test(esc) && code > 255)) {
      fail('invalid-escape', `invalid escape '\\${esc}' in string`, pos, ['\\n', '\\t', '\\"', '\\\\', '\\xHH', '\\uHHHH'], pos + 2);
    }
    value += String.fromCodePoint(code);
    pos += (/[0-7]/.test(esc) ? 1 : 2) + digits;
  }
}
