import { describe, expect, it } from 'vitest';
import type { Assertion, AttributeScope, BinaryOperator, Clause, Expr, Quantifier, Selection, SpansetOperator } from './ast.js';
import { stripLoc } from './ast.js';
import { checkAssertion } from './check.js';
import { formatAssertion } from './format.js';
import { INTRINSICS, KIND_VALUES, STATUS_VALUES } from './intrinsics.js';
import { parseAssertion } from './parser.js';
import { rng } from './testing/rng.js';

class Gen {
  constructor(private readonly next: () => number) {}
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }

  /** Text with the characters that stress quoting: quotes, backslashes, spaces, operators, unicode. */
  text(): string {
    const alphabet = ['a', 'b', 'z', '0', '9', '.', '-', '_', ' ', '"', '\\', '\n', '\t', '{', '}', '=', '~', '!', '&', '|', ',', '(', ')', 'é', 'µ', '\u00a0', '😀', '`', "'", ':', '/', '*'];
    let s = '';
    const len = this.int(7);
    for (let i = 0; i < len; i++) s += this.pick(alphabet);
    return s;
  }

  literal(): Expr {
    switch (this.int(8)) {
      case 0: return { type: 'string', value: this.text() };
      case 1: return { type: 'int', value: this.chance(0.2) ? (1n << 63n) - 1n : BigInt(this.int(100000)) };
      case 2: return { type: 'float', value: this.pick([0.5, 3, 1e21, 1.25e-7, 123.456, 0, 2.5e300, this.next() * 1000]) };
      case 3: return { type: 'duration', nanos: this.pick([0n, 1n, 1500n, 250_000_000n, 5_400_000_000_000n, (1n << 63n) - 1n, BigInt(this.int(1e9)) * 1000n]) };
      case 4: return { type: 'bool', value: this.chance(0.5) };
      case 5: return { type: 'status', value: this.pick(STATUS_VALUES) };
      case 6: return { type: 'kind', value: this.pick(KIND_VALUES) };
      default: return { type: 'intrinsic', name: this.pick([...INTRINSICS.keys()]) };
    }
  }

  leaf(): Expr {
    if (this.chance(0.5)) return this.literal();
    const scopes: AttributeScope[] = ['unscoped', 'span', 'resource', 'event', 'link', 'instrumentation'];
    const name = this.chance(0.5) ? this.pick(['http.method', 'amount', 'a', '5xx', 'idempotency-key', 'k8s/pod:name']) : this.text();
    return { type: 'attribute', scope: this.pick(scopes), name };
  }

  expr(depth: number): Expr {
    if (depth <= 0 || this.chance(0.25)) return this.leaf();
    const roll = this.int(10);
    if (roll === 0) return { type: 'unary', op: this.pick(['!', '-'] as const), operand: this.expr(depth - 1) };
    if (roll === 1) {
      // nil only as an operand of = / != (the grammar allows nothing else).
      const other = this.expr(depth - 1);
      const op = this.pick(['=', '!='] as const);
      return this.chance(0.5) ? { type: 'binary', op, left: other, right: { type: 'nil' } } : { type: 'binary', op, left: { type: 'nil' }, right: other };
    }
    const ops: BinaryOperator[] = ['&&', '||', '=', '!=', '<', '<=', '>', '>=', '=~', '!~', '+', '-', '*', '/', '%', '^'];
    return { type: 'binary', op: this.pick(ops), left: this.expr(depth - 1), right: this.expr(depth - 1) };
  }

  selection(depth: number): Selection {
    if (depth <= 0 || this.chance(0.4)) return { type: 'filter', expr: this.chance(0.1) ? null : this.expr(3) };
    const ops: SpansetOperator[] = ['&&', '||', '>', '<', '>>', '<<', '~', '!>', '!<', '!>>', '!<<', '!~', '&>', '&<', '&>>', '&<<', '&~'];
    return { type: 'spanset', op: this.pick(ops), left: this.selection(depth - 1), right: this.selection(depth - 1) };
  }

  assertion(): Assertion {
    const kind = this.pick(['exactly', 'at-least', 'at-most', 'no', 'some', 'one'] as const);
    const quantifier: Quantifier = kind === 'no' || kind === 'some' || kind === 'one' ? { type: 'quantifier', kind } : { type: 'quantifier', kind, count: this.int(20) };
    const clauses: Clause[] = [];
    for (let i = this.int(3); i > 0; i--) {
      clauses.push(this.chance(0.3) ? { type: 'within', nanos: BigInt(this.int(1e6)) * 1_000_000n } : { type: this.pick(['after', 'before'] as const), selection: this.selection(2) });
    }
    return { type: 'assertion', quantifier, selection: this.selection(3), clauses };
  }
}

describe('format -> parse round trip on random trees', () => {
  const seeds = Array.from({ length: 400 }, (_, i) => i + 1);
  it.each(seeds)('seed %i', (seed) => {
    const ast = new Gen(rng(seed)).assertion();
    const text = formatAssertion(ast);
    const parsed = parseAssertion(text);
    expect(stripLoc(parsed)).toEqual(ast);
    expect(formatAssertion(parsed)).toBe(text);
    // The checker accepts or rejects, but never throws, whatever the tree.
    expect(Array.isArray(checkAssertion(parsed, text))).toBe(true);
    // Formatted text never trips the &&/|| mixing rule: the formatter adds the parentheses.
    expect(checkAssertion(parsed, text).map((d) => d.code)).not.toContain('mixed-and-or');
  });
});
