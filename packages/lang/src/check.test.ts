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
    expect(firstError('some { status = 1 }').message).toContain('ok, error or unset');
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
    expect(() => validateAssertion('some { status = 1 }')).toThrow(CheckError);
  });
});

describe('hints', () => {
  it('flags at least 0, which every run satisfies', () => {
    expect(check('at least 0 { }')).toEqual([expect.objectContaining({ severity: 'hint', code: 'always-true' })]);
  });
});
