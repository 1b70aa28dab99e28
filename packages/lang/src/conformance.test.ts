import { describe, expect, it } from 'vitest';
import { stripLoc } from './ast.js';
import { checkAssertion } from './check.js';
import { CheckError, ParseError } from './errors.js';
import { formatAssertion } from './format.js';
import { parseAssertion } from './parser.js';
import { oursCheckFails, oursParseFails, oursValid } from './conformance/ours.js';
import { tempoCheckFails, tempoParseFails, tempoValid } from './conformance/tempo.js';

const valid = [...tempoValid, ...oursValid];
const parseFails = [...tempoParseFails, ...oursParseFails];
const checkFails = [...tempoCheckFails, ...oursCheckFails];

function parseError(input: string): ParseError {
  try {
    parseAssertion(input);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${input}`);
}

describe('conformance: valid', () => {
  it.each(valid)('$origin: $input', ({ input, formatted }) => {
    const ast = parseAssertion(input);
    expect(checkAssertion(ast, input).filter((d) => d.severity === 'error')).toEqual([]);
    expect(formatAssertion(ast)).toBe(formatted);
    // The canonical text means the same and is a fixed point.
    const again = parseAssertion(formatted);
    expect(stripLoc(again)).toEqual(stripLoc(ast));
    expect(formatAssertion(again)).toBe(formatted);
    expect(checkAssertion(again, formatted).filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('conformance: parse_fails', () => {
  it.each(parseFails)('$origin: $input', ({ input, code, offset, line, column, expected }) => {
    const err = parseError(input);
    expect({ code: err.code, offset: err.offset, line: err.line, column: err.column, expected: err.expected }).toEqual({ code, offset, line, column, expected });
  });
});

describe('conformance: check_fails', () => {
  it.each(checkFails)('$origin: $input', ({ input, code }) => {
    const errors = checkAssertion(parseAssertion(input), input).filter((d): d is CheckError => d instanceof CheckError);
    expect(errors.map((e) => e.code)[0]).toBe(code);
  });
});

describe('conformance table', () => {
  it('has no duplicate inputs', () => {
    const inputs = [...valid, ...parseFails, ...checkFails].map((c) => c.input);
    expect(inputs.filter((x, i) => inputs.indexOf(x) !== i)).toEqual([]);
  });
});
