import { describe, expect, it } from 'vitest';
import { checkAssertion } from './check.js';
import { ParseError, positionAt, renderError } from './errors.js';
import { parseAssertion } from './parser.js';

function syntaxError(text: string): ParseError {
  try {
    parseAssertion(text);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('parsed');
}

describe('renderError', () => {
  it('repeats the line with a caret under the offset and says what was expected', () => {
    const text = 'some { .a = 1 }\n  && { .b = }';
    expect(renderError(syntaxError(text), text)).toBe([
      "Syntax error at line 2, column 13: unexpected '}'",
      '    && { .b = }',
      '              ^',
      "Expected: an attribute such as .key or span.key, an intrinsic such as name or status, a literal, '(', '!' or '-'",
    ].join('\n'));
  });

  it('keeps the caret aligned after tabs and underlines the whole offending text', () => {
    const text = 'some {\n\t.a = "x" ||\n\t.b = 1 && .c = 2 }';
    const [err] = checkAssertion(parseAssertion(text), text);
    const lines = renderError(err!, text).split('\n');
    expect(lines[0]).toMatch(/^Error at line 2, column 2: '&&' and '\|\|' are mixed/);
    expect(lines[1]).toBe('  \t.a = "x" ||');
    expect(lines[2]).toBe('  \t^^^^^^^^^^^');
  });

  it('serializes to the HTTP error shape', () => {
    expect(JSON.parse(JSON.stringify(syntaxError('some { .a = 1 } within')))).toEqual({
      code: 'unexpected-token', message: 'unexpected end of input', offset: 22, line: 1, column: 23, expected: ['a duration such as 5s or 1m30s'],
    });
  });
});

describe('positionAt', () => {
  it('counts lines on \\n, \\r\\n and \\r, and columns in code points', () => {
    expect(positionAt('a\r\nb\rc\nd', 7)).toEqual({ offset: 7, line: 4, column: 1 });
    expect(positionAt('"😀" x', 5)).toEqual({ offset: 5, line: 1, column: 5 });
  });
});
