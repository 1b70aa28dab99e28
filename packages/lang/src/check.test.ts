import { describe, expect, it } from 'vitest';
import type { Assertion } from './ast.js';
import { checkAssertion } from './check.js';
import { CheckError } from './errors.js';
import type { Diagnostic } from './errors.js';
import { parseAssertion } from './parser.js';
import { validateAssertion } from './validate.js';

const check = (text: string): Diagnostic[] => checkAssertion(parseAssertion(text), text);
const errors = (text: string) => check(text).filter((d): d is CheckError => d instanceof CheckError);
const firstError = (text: string): CheckError => {
  const e = errors(text)[0];
  if (e === undefined) throw new Error(`no error for ${text}`);
  return e;
};

describe('checkAssertion', () => {
  it('accepts a clean assertion without diagnostics', () => {
    expect(check('exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"')).toEqual([]);
  });

  it('rejects && mixed with || and shows both parenthesized readings', () => {
    const e = firstError('some { .a = 1 || .b = 2 && .c = 3 }');
    expect(e.code).toBe('mixed-and-or');
    expect(e.message).toContain('(.a = 1 || .b = 2) && .c = 3');
    expect(e.message).toContain('.a = 1 || (.b = 2 && .c = 3)');
    expect(e).toMatchObject({ offset: 7, line: 1, column: 8 });
    expect(errors('some ({ .a } || { .b }) && { .c }')).toEqual([]);
  });

  it('says which values an enum intrinsic takes', () => {
    expect(firstError('some { kind = "server" }').message).toContain('write kind = server');
    expect(firstError('some { status = 1.5 }').message).toContain('ok, error or unset');
    expect(firstError('some { duration = "x" }').message).toContain('250ms');
    expect(firstError('some { status > ok }')).toMatchObject({ code: 'invalid-operator', message: expect.stringContaining('only = and !=') });
  });

  it('suggests the nearest known name for unknown intrinsics and scopes', () => {
    expect(firstError('some { stauts = error }').message).toContain("did you mean 'status'?");
    expect(firstError('some { span:nme = "x" }').message).toContain("did you mean 'span:name'?");
    expect(firstError('some { trace:status = error }').message).toContain("did you mean 'span:status'?");
    expect(firstError('some { spna:name = "x" }')).toMatchObject({ code: 'unknown-scope', message: expect.stringContaining("'span:name'") });
    expect(firstError('some { http.method = "GET" }').message).toContain("'.http.method'");
    expect(firstError('some { attribute = 4 }').message).toContain("'.attribute'");
  });

  it('compiles regexes as RE2 (no lookaround), reporting where the pattern is', () => {
    const e = firstError('some { .a =~ "(?=x)" }');
    expect(e).toMatchObject({ code: 'invalid-regex', offset: 13, column: 14 });
    expect(errors('some { .a =~ "pay.*|refund-[0-9]+" }')).toEqual([]);
  });

  it('hints != nil for a bare attribute used as a condition', () => {
    expect(check('some { .flag }')).toEqual([
      expect.objectContaining({ severity: 'hint', code: 'bare-attribute', message: expect.stringContaining('.flag != nil'), line: 1, column: 8 }),
    ]);
    expect(check('some { .flag = true }')).toEqual([]);
  });

  it('checks clause selections too', () => {
    expect(firstError('some "a" after { kind = "server" }').code).toBe('type-mismatch');
  });

  it('reports one error per problem, not a cascade', () => {
    expect(errors('some { nmae = "x" && .b = 1 }').map((e) => e.code)).toEqual(['unknown-intrinsic']);
  });

  it('checks trees built in code, which have no positions', () => {
    const a: Assertion = {
      type: 'assertion',
      quantifier: { type: 'quantifier', kind: 'exactly', count: -1 },
      selection: { type: 'filter', expr: { type: 'binary', op: '+', left: { type: 'nil' }, right: { type: 'int', value: 1n } } },
      clauses: [],
    };
    expect(checkAssertion(a).map((d) => d.code)).toEqual(['invalid-literal', 'misplaced-nil']);
    expect(checkAssertion(a)[0]).toMatchObject({ offset: undefined, line: undefined });
  });
});

describe('validateAssertion', () => {
  it('returns the tree and hints, or throws the first error', () => {
    expect(validateAssertion('some { .flag }').hints.map((h) => h.code)).toEqual(['bare-attribute']);
    expect(() => validateAssertion('some { status = "error" }')).toThrow(CheckError);
  });
});

describe('hints', () => {
  it('flags at least 0, which every run satisfies', () => {
    expect(check('at least 0 { }')).toEqual([expect.objectContaining({ severity: 'hint', code: 'always-true' })]);
  });
});

describe('values next to status, kind and duration', () => {
  it('lists the status values when a word is none of them', () => {
    const e = firstError('some { status = failed }');
    expect(e).toMatchObject({ code: 'invalid-literal', column: 17 });
    expect(e.message).toBe("'failed' is not a status: status values are ok, error and unset.");
    expect(firstError('some { span:status != eror }').message).toBe("'eror' is not a status: status values are ok, error and unset. Did you mean 'error'?");
  });

  it('lists the kind values when a word is none of them', () => {
    expect(firstError('some { kind = sever }').message).toBe("'sever' is not a kind: kind values are unspecified, internal, server, client, producer and consumer. Did you mean 'server'?");
    expect(firstError('some { queue = span:kind }').message).toContain('kind values are unspecified, internal, server, client, producer and consumer');
  });

  it('accepts a status as its OTLP code, as Tempo does, and hints the word', () => {
    expect(errors('some { status = 2 }')).toEqual([]);
    expect(check('some { status = 2 }')).toEqual([expect.objectContaining({ severity: 'hint', code: 'status-code', message: 'status = 2 compares the OTLP status code; 2 is error: write status = error' })]);
    expect(check('some { 7 != status }')[0]?.message).toBe('7 != status never matches: status codes are 0 (unset), 1 (ok) and 2 (error); write status != error');
    expect(firstError('some { status > 1 }').code).toBe('type-mismatch');
  });

  it('reads a bare number next to a duration as nanoseconds, as Tempo does, and says how to write a unit', () => {
    expect(errors('some { duration > 5 }')).toEqual([]);
    expect(check('some { duration > 5 }')).toEqual([expect.objectContaining({
      severity: 'hint', code: 'unitless-duration', column: 19,
      message: '5 next to duration counts nanoseconds, as in Tempo (a number without a unit is nanoseconds); write 5ms or 5s if you meant milliseconds or seconds',
    })]);
    expect(check('some { span:duration = 1000000000 }')[0]?.message).toContain('write 1s to say so');
    expect(check('some { duration > 5ms && duration > 0 }')).toEqual([]);
  });

  it('accepts a pattern read from the span', () => {
    expect(check('some { .foo =~ .bar }')).toEqual([]);
    expect(firstError('some { .foo =~ 5 }').code).toBe('invalid-operator');
  });
});
