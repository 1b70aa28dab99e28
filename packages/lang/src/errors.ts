/**
 * Errors of the language front end. Every error has a stable `code` (tests, the HTTP API and the CLI
 * key on it) and, when it came from text, the `offset` into that text plus the 1-based `line` and
 * `column`. The human text is rendered in one place, `renderError`.
 */

/** Stable codes of syntax errors (ParseError). */
export type ParseErrorCode =
  | 'unexpected-token'
  | 'unexpected-character'
  | 'unterminated-string'
  | 'unterminated-comment'
  | 'invalid-escape'
  | 'invalid-number'
  | 'invalid-duration'
  | 'unsupported'
  | 'too-long'
  | 'too-deep';

/** Stable codes of meaning errors and hints (CheckError, CheckHint). */
export type CheckCode =
  | 'unknown-intrinsic'
  | 'unknown-scope'
  | 'unsupported'
  | 'type-mismatch'
  | 'invalid-operator'
  | 'not-a-condition'
  | 'invalid-regex'
  | 'nil-intrinsic'
  | 'misplaced-nil'
  | 'mixed-and-or'
  | 'invalid-literal'
  | 'bare-attribute'
  | 'always-true'
  | 'status-code'
  | 'unitless-duration'
  | 'too-deep';

/** A position in the source text: UTF-16 `offset`, 1-based `line` and `column` (column counts code points). */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Computes line and column of a UTF-16 offset; lines end at \n, \r\n or \r. */
export function positionAt(source: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = Array.from(source.slice(lineStart, clamped)).length + 1;
  return { offset: clamped, line, column };
}

/** Fields shared by all language errors. */
export interface LangErrorInit {
  readonly offset?: number | undefined;
  readonly end?: number | undefined;
  readonly source?: string | undefined;
  readonly expected?: readonly string[];
}

/** Base class of the language's errors: parse and check errors render and serialize alike. */
export abstract class LangError extends Error {
  abstract readonly code: string;
  /** UTF-16 offset of the problem in the source text, when the input was text. */
  readonly offset: number | undefined;
  /** End offset (exclusive) of the offending text, when known. */
  readonly end: number | undefined;
  /** 1-based line of `offset`, when the source text was known. */
  readonly line: number | undefined;
  /** 1-based column (in code points) of `offset`, when the source text was known. */
  readonly column: number | undefined;
  /** What would have been accepted at `offset` (for syntax errors), e.g. `['}', 'an operator']`. */
  readonly expected: readonly string[];

  constructor(message: string, init: LangErrorInit = {}) {
    super(message);
    this.offset = init.offset;
    this.end = init.end;
    this.expected = init.expected ?? [];
    if (init.source !== undefined && init.offset !== undefined) {
      const pos = positionAt(init.source, init.offset);
      this.line = pos.line;
      this.column = pos.column;
    } else {
      this.line = undefined;
      this.column = undefined;
    }
  }

  /** The shape the HTTP API returns: `{code, message, line, column, expected}` (plus offset). */
  toJSON(): { code: string; message: string; offset?: number; line?: number; column?: number; expected: readonly string[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.offset !== undefined ? { offset: this.offset } : {}),
      ...(this.line !== undefined ? { line: this.line } : {}),
      ...(this.column !== undefined ? { column: this.column } : {}),
      expected: this.expected,
    };
  }
}

/** A syntax error: the text is not an assertion (or selection) at all. */
export class ParseError extends LangError {
  override readonly name = 'ParseError';
  readonly code: ParseErrorCode;
  constructor(code: ParseErrorCode, message: string, init: LangErrorInit & { offset: number; source: string }) {
    super(message, init);
    this.code = code;
  }
}

/** A meaning error found by the checker: the text parses but cannot be evaluated as written. */
export class CheckError extends LangError {
  override readonly name = 'CheckError';
  readonly severity = 'error' as const;
  readonly code: CheckCode;
  constructor(code: CheckCode, message: string, init: LangErrorInit = {}) {
    super(message, init);
    this.code = code;
  }
}

/** Advice from the checker about an assertion that is valid but likely not what was meant. */
export interface CheckHint {
  readonly severity: 'hint';
  readonly code: CheckCode;
  readonly message: string;
  readonly offset?: number | undefined;
  readonly end?: number | undefined;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

/** What `checkAssertion` reports: errors (the assertion must not run) and hints. */
export type Diagnostic = CheckError | CheckHint;

/**
 * Renders an error (or hint) for a person: the message, the source line with a caret under the
 * offset, and what was expected. The caret line copies tabs from the source so it stays aligned.
 */
export function renderError(err: LangError | CheckHint, source: string): string {
  const kind = err instanceof ParseError ? 'Syntax error' : 'severity' in err && err.severity === 'hint' ? 'Hint' : 'Error';
  const out: string[] = [];
  if (err.offset === undefined) {
    out.push(`${kind}: ${err.message}`);
    if (source !== '') out.push(`  ${source}`);
  } else {
    const pos = positionAt(source, err.offset);
    out.push(`${kind} at line ${pos.line}, column ${pos.column}: ${err.message}`);
    const lines = source.split(/\r\n|\r|\n/);
    const text = lines[pos.line - 1] ?? '';
    const before = Array.from(text).slice(0, pos.column - 1);
    const pad = before.map((c) => (c === '\t' ? '\t' : ' ')).join('');
    const width = err.end !== undefined && err.end > err.offset ? Math.min(Array.from(source.slice(err.offset, err.end).split(/\r\n|\r|\n/)[0] ?? '').length, Math.max(1, Array.from(text).length - before.length)) : 1;
    out.push(`  ${text}`);
    out.push(`  ${pad}${'^'.repeat(Math.max(1, width))}`);
  }
  const expected = err instanceof LangError ? err.expected : [];
  if (expected.length > 0) out.push(`Expected: ${formatExpected(expected)}`);
  return out.join('\n');
}

/** Joins expectations as prose: `a`, `a or b`, `a, b or c`. */
export function formatExpected(expected: readonly string[]): string {
  if (expected.length <= 1) return expected.join('');
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
}
