/**
 * The parser's view of the token sequence: lookahead of any depth, lexed on demand, and the one
 * place that builds syntax errors (so every error carries offset, line, column and `expected`).
 */
import { ParseError } from './errors.js';
import type { ParseErrorCode } from './errors.js';
import { lexToken } from './lexer.js';
import type { Punct, Token } from './lexer.js';

/**
 * Bounds on one assertion's text, enforced by the parser before any recursion: every later pass
 * (checker, formatter, evaluator, diagnostics) walks the tree recursively, so a tree no deeper than
 * `maxNesting` is one none of them can overflow the stack on (a few frames per level), and
 * `maxLength` bounds the work of every pass. docs/language.md, "Limits".
 */
export const LANGUAGE_LIMITS = Object.freeze({
  /** Characters (UTF-16 units) of one assertion or selection. */
  maxLength: 65_536,
  /**
   * Levels of nesting: parentheses, prefix operators (`!`, `-`) and operands of chained operators
   * (`a && b && c` is 3 deep, as the tree the chain becomes is), whichever way they combine.
   */
  maxNesting: 256,
});

/** A token stream over one source text. */
export class TokenStream {
  private readonly buffer: Token[] = [];
  private pos = 0;
  /** Recursion depth of the parser (nested parentheses, prefix operators, operand parses). */
  private depth = 0;
  /** Height of each inner node built so far (a leaf is 1); only nodes of height > 1 are recorded. */
  private readonly heights = new WeakMap<object, number>();

  constructor(readonly source: string) {
    if (source.length > LANGUAGE_LIMITS.maxLength) {
      throw new ParseError('too-long', `the assertion is ${source.length} characters long; at most ${LANGUAGE_LIMITS.maxLength} are allowed: split it into several assertions`, {
        offset: LANGUAGE_LIMITS.maxLength,
        source,
        expected: [],
      });
    }
  }

  /** Enters one level of parser recursion at token `t`; refuses to go deeper than maxNesting. */
  descend(t: { start: number; end: number }): void {
    if (++this.depth > LANGUAGE_LIMITS.maxNesting) throw this.tooDeep(t);
  }

  ascend(): void {
    this.depth--;
  }

  /** The height of a node this stream built (1 for a leaf). */
  heightOf(node: object): number {
    return this.heights.get(node) ?? 1;
  }

  /** Records `node` as built over `children`; refuses a tree deeper than maxNesting, at token `t`. */
  built<T extends object>(node: T, t: { start: number; end: number }, ...children: object[]): T {
    let h = 0;
    for (const c of children) h = Math.max(h, this.heightOf(c));
    if (h + 1 > LANGUAGE_LIMITS.maxNesting) throw this.tooDeep(t);
    this.heights.set(node, h + 1);
    return node;
  }

  /** Carries a node's height over to its copy (a parenthesized node is re-made with its loc). */
  same<T extends object>(copy: T, of: object): T {
    const h = this.heights.get(of);
    if (h !== undefined) this.heights.set(copy, h);
    return copy;
  }

  private tooDeep(t: { start: number; end: number }): ParseError {
    return this.error(
      'too-deep',
      `the assertion nests more than ${LANGUAGE_LIMITS.maxNesting} levels deep (parentheses, ! and - prefixes, chained operators such as a && b && ...); split it into several assertions`,
      t,
    );
  }

  /** The token `ahead` positions from the current one (0 = current). */
  peek(ahead = 0): Token {
    while (this.buffer.length <= ahead) {
      const last = this.buffer[this.buffer.length - 1];
      if (last?.kind === 'eof') return last;
      this.buffer.push(lexToken(this.source, last === undefined ? this.pos : last.end));
    }
    return this.buffer[ahead]!;
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const t = this.peek();
    this.buffer.shift();
    this.pos = t.end;
    return t;
  }

  /** End offset of the last consumed token. */
  get lastEnd(): number {
    return this.pos;
  }

  /** True when the current token is the punctuation `p`. */
  isPunct(p: Punct, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.value === p;
  }

  /** True when the current token is the bare word `w`. */
  isWord(w: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'word' && t.name === w;
  }

  /** Consumes the punctuation `p` or fails saying what was expected there. */
  expectPunct(p: Punct, expected: readonly string[] = [`'${p}'`]): Token {
    if (!this.isPunct(p)) throw this.unexpected(expected);
    return this.next();
  }

  /** A syntax error at the current token: "unexpected X", listing what would have been accepted. */
  unexpected(expected: readonly string[], hint?: string): ParseError {
    const t = this.peek();
    const what = t.kind === 'eof' ? 'end of input' : `'${this.source.slice(t.start, t.end)}'`;
    const message = hint === undefined ? `unexpected ${what}` : `unexpected ${what}: ${hint}`;
    return this.error('unexpected-token', message, t, expected);
  }

  /** A syntax error with a given code covering token `t`. */
  error(code: ParseErrorCode, message: string, t: { start: number; end: number }, expected: readonly string[] = []): ParseError {
    return new ParseError(code, message, { offset: t.start, end: t.end, source: this.source, expected });
  }
}
