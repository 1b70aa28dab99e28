/**
 * The parser's view of the token sequence: lookahead of any depth, lexed on demand, and the one
 * place that builds syntax errors (so every error carries offset, line, column and `expected`).
 */
import { ParseError } from './errors.js';
import type { ParseErrorCode } from './errors.js';
import { lexToken } from './lexer.js';
import type { Punct, Token } from './lexer.js';

/** A token stream over one source text. */
export class TokenStream {
  private readonly buffer: Token[] = [];
  private pos = 0;

  constructor(readonly source: string) {}

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
