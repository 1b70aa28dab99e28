/**
 * What TypeScript rejects: each `@ts-expect-error` fails `tsc` when the line compiles, so these
 * lines are type tests; at run time each one also throws, or builds what the checker rejects.
 */
import { describe, expect, it } from 'vitest';
import { INTRINSICS } from '../intrinsics.js';
import { some } from './assertion.js';
import { BuilderError } from './errors.js';
import { INTRINSIC_TYPES, attr, intrinsic } from './expression.js';
import { lit } from './literals.js';
import { span } from './selection.js';

const rejects = (fn: () => unknown): void => {
  expect(fn).toThrow();
};

describe('type errors for what cannot be written', () => {
  it('enum values are words from their list', () => {
    // @ts-expect-error not a kind
    rejects(() => span({ kind: 'clinet' }));
    // @ts-expect-error not a status
    rejects(() => intrinsic('status').eq('failed'));
  });

  it('statuses and kinds allow only eq and ne', () => {
    // @ts-expect-error statuses do not order
    rejects(() => some(span(intrinsic('status').gt('ok'))));
    // @ts-expect-error kinds do not match regexes
    rejects(() => some(span(intrinsic('kind').matches('ser.*'))));
  });

  it('values have the field’s type', () => {
    // @ts-expect-error a name is a string
    rejects(() => some(span(intrinsic('name').eq(5))));
    // @ts-expect-error a duration is written as a duration
    rejects(() => intrinsic('duration').gt('fast'));
    // @ts-expect-error strings take no arithmetic
    rejects(() => some(span(intrinsic('name').plus(1).eq(2))));
  });

  it('where() takes plain values only', () => {
    // @ts-expect-error nested objects have no literal form
    rejects(() => span().where({ a: { b: 1 } }));
    // @ts-expect-error arrays neither
    rejects(() => span().where({ a: [1] }));
  });

  it('a filter needs a condition, not a value', () => {
    // @ts-expect-error an int is not a condition
    rejects(() => some(span(lit.int(1))));
    // @ts-expect-error and() joins conditions
    rejects(() => some(span(attr('a').eq(1).and(lit.str('x')))));
  });

  it('span() knows its intrinsics', () => {
    // @ts-expect-error amount is an attribute: where({ amount })
    rejects(() => span({ amount: 2500 }));
    // @ts-expect-error not an intrinsic
    rejects(() => intrinsic('trace:status'));
  });

  it('clauses end a selection', () => {
    // @ts-expect-error no structure after a clause
    rejects(() => span('a').after('b').child('c'));
    // @ts-expect-error a selection with a clause is no operand
    rejects(() => span('a').child(span('b').within('5s')));
  });

  it('throws BuilderError, with codes, for what types cannot see', () => {
    expect(() => span().where({ a: Number.NaN })).toThrow(BuilderError);
    expect(() => intrinsic('duration').gt('5x' as never)).toThrow(expect.objectContaining({ code: 'invalid-duration' }));
  });
});

describe('INTRINSIC_TYPES', () => {
  it('says what the intrinsics table says, for every spelling', () => {
    expect(Object.keys(INTRINSIC_TYPES).sort()).toEqual([...INTRINSICS.keys()].sort());
    for (const [name, info] of INTRINSICS) {
      expect(INTRINSIC_TYPES[name]).toBe(info.type);
      expect(intrinsic(name).type).toBe(info.type);
    }
  });
});
