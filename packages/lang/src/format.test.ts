import { describe, expect, it } from 'vitest';
import type { Assertion, Selection } from './ast.js';
import { formatAssertion, formatSelection } from './format.js';
import { parseSelection } from './parser.js';

describe('format', () => {
  it('prints selections as TraceQL that Tempo reads the same way', () => {
    expect(formatSelection(parseSelection('"refund.create" > ("a"||"b")'))).toBe('{ name = "refund.create" } > ({ name = "a" } || { name = "b" })');
  });

  it('parenthesizes && inside || (and the reverse) in trees built in code', () => {
    const or: Selection = { type: 'spanset', op: '||', left: { type: 'filter', expr: null }, right: { type: 'filter', expr: null } };
    expect(formatSelection({ type: 'spanset', op: '&&', left: or, right: { type: 'filter', expr: null } })).toBe('({ } || { }) && { }');
    expect(formatSelection({ type: 'spanset', op: '&&', left: { type: 'filter', expr: null }, right: or })).toBe('{ } && ({ } || { })');
  });

  it('quotes attribute names only when they need it', () => {
    const sel = (name: string, scope: 'span' | 'unscoped' = 'span'): string =>
      formatSelection({ type: 'filter', expr: { type: 'binary', op: '!=', left: { type: 'attribute', scope, name }, right: { type: 'nil' } } });
    expect(sel('http.method')).toBe('{ span.http.method != nil }');
    expect(sel('idempotency-key')).toBe('{ span.idempotency-key != nil }');
    expect(sel('a b')).toBe('{ span."a b" != nil }');
    expect(sel('say "hi"\\')).toBe('{ span."say \\"hi\\"\\\\" != nil }');
    expect(sel('5xx', 'unscoped')).toBe('{ ."5xx" != nil }');
  });

  it('prints an assertion built in code', () => {
    const a: Assertion = {
      type: 'assertion',
      quantifier: { type: 'quantifier', kind: 'at-most', count: 1 },
      selection: { type: 'filter', expr: { type: 'binary', op: '>', left: { type: 'intrinsic', name: 'duration' }, right: { type: 'duration', nanos: 1_500_000_000n } } },
      clauses: [{ type: 'within', nanos: 60_000_000_000n }],
    };
    expect(formatAssertion(a)).toBe('at most 1 { duration > 1s500ms } within 1m');
  });

  it('prints floats so they read back as floats', () => {
    const f = (value: number) => formatSelection({ type: 'filter', expr: { type: 'binary', op: '=', left: { type: 'attribute', scope: 'unscoped', name: 'x' }, right: { type: 'float', value } } });
    expect(f(3)).toBe('{ .x = 3.0 }');
    expect(f(1e21)).toBe('{ .x = 1e+21 }');
  });
});
