/**
 * A syntax or checker error the receiver found in an assertion (its `400 {error}` answer), with what
 * a person needs to fix it: where (line, column, a caret under the spot) and what was expected.
 */
export interface AssertionErrorBody {
  code: string;
  message: string;
  offset?: number;
  line?: number;
  column?: number;
  expected?: string[];
}

export class AssertionSyntaxError extends Error {
  readonly code: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;
  readonly expected: readonly string[];
  /** The assertion's line with a caret under the problem (empty when the position is unknown). */
  readonly caret: string;

  constructor(
    readonly assertion: string,
    body: AssertionErrorBody,
  ) {
    const caret = caretUnder(assertion, body.line, body.column);
    const where = body.line === undefined ? '' : ` at line ${body.line}, column ${body.column ?? 1}`;
    const expected = body.expected !== undefined && body.expected.length > 0 ? `\n  expected: ${body.expected.join(', ')}` : '';
    super(`invalid assertion${where}: ${body.message}${caret === '' ? '' : `\n${caret}`}${expected}`);
    this.name = 'AssertionSyntaxError';
    this.code = body.code;
    this.line = body.line;
    this.column = body.column;
    this.offset = body.offset;
    this.expected = body.expected ?? [];
    this.caret = caret;
  }
}

function caretUnder(text: string, line: number | undefined, column: number | undefined): string {
  if (line === undefined) return '';
  const src = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const before = Array.from(src).slice(0, Math.max(0, (column ?? 1) - 1));
  return `  ${src}\n  ${before.map((c) => (c === '\t' ? '\t' : ' ')).join('')}^`;
}
