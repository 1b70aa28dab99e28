/**
 * Property test: for random builder expressions (seeded, so a failure reproduces from its seed) and
 * random traces, the builder and the text agree: the built tree prints as text that parses back to
 * it, `toBuilderCode` of it builds it again, and the built check evaluates as the text does (with a
 * payload schema: as the text's matches filtered by the schema).
 */
import type { Span } from '@tracecheck/model';
import { createResource, createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stripLoc } from '../ast.js';
import type { KindValue, StatusValue } from '../ast.js';
import { compileAssertion } from '../eval/index.js';
import { formatAssertion } from '../format.js';
import { parseAssertion } from '../parser.js';
import * as b from './index.js';
import type { BuiltAssertion, Condition, DurationText, SelectionSpec, SpanFilter, SpanSet } from './index.js';
import { rng } from '../testing/rng.js';

const NAMES = ['a', 'b', 'charge', 'db.query', 'refund.requested'];
const STATUSES: StatusValue[] = ['ok', 'error', 'unset'];
const KINDS: KindValue[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const DURATIONS: DurationText[] = ['0s', '1ms', '250ms', '1s', '1.5s', '2m'];
const PATTERNS = ['a.*', 'EU.', '.*', 'x|y', '[A-Z]+', 'char.*'];
const ATTR_FNS = [b.attr, b.spanAttr, b.resourceAttr, b.eventAttr, b.linkAttr, b.instrumentationAttr];
const ATTR_NAMES = ['amount', 'currency', 'flag', 'tags', 'http.status_code', 'retry-count'];

class Gen {
  constructor(private readonly next: () => number) {}
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }

  plain(): string | number | bigint | boolean {
    switch (this.int(7)) {
      case 0: return this.int(3000) - 500;
      case 1: return 2500;
      case 2: return this.pick([2.5, -0.5, 1e-3, 2500.25]);
      case 3: return BigInt(this.int(100)) - 10n;
      case 4: return this.chance(0.5);
      case 5: return this.pick(['EUR', 'USD', 'a', '']);
      default: return this.pick(NAMES);
    }
  }

  /** A value the random runs often have for this attribute, so conditions match about half the time. */
  valueFor(name: string): string | number | bigint | boolean {
    switch (name) {
      case 'amount': return this.pick([2500, 250, 2500.25, -5, 7n, '2500']);
      case 'currency': return this.pick(['EUR', 'USD', 'eur']);
      case 'flag': return this.chance(0.5);
      case 'tags': return this.pick(['a', 'EUR', 'x']);
      case 'http.status_code': return this.pick([200, 404, 503]);
      default: return this.plain();
    }
  }

  ordered(): string | number | bigint {
    const v = this.plain();
    return typeof v === 'boolean' ? 1 : v;
  }

  comparison(): Condition {
    const roll = this.int(9);
    if (roll === 0) {
      const f = this.pick(['name', 'span:name', 'statusMessage', 'trace:rootName', 'event:name', 'rootServiceName'] as const);
      const field = b.intrinsic(f);
      const value = this.pick([...NAMES, 'exception', 'svc-a']);
      return this.pick([() => field.eq(value), () => field.ne(value), () => field.matches(this.pick(PATTERNS)), () => field.gt(value)])();
    }
    if (roll === 1) {
      const field = b.intrinsic(this.pick(['duration', 'span:duration', 'trace:duration', 'event:timeSinceStart'] as const));
      const d = this.pick(DURATIONS);
      return this.pick([() => field.gt(d), () => field.lte(d), () => field.eq(d), () => field.minus('1ms').gte(d)])();
    }
    if (roll === 2) return this.chance(0.5) ? b.intrinsic(this.pick(['status', 'span:status'] as const)).eq(this.pick(STATUSES)) : b.intrinsic('status').ne(this.pick(STATUSES));
    if (roll === 3) return this.chance(0.5) ? b.intrinsic(this.pick(['kind', 'span:kind'] as const)).eq(this.pick(KINDS)) : b.intrinsic('kind').ne(this.pick(KINDS));
    if (roll === 4) return b.intrinsic('span:childCount').gte(this.int(3));
    const name = this.pick(ATTR_NAMES);
    const field = this.pick(ATTR_FNS)(name);
    switch (this.int(10)) {
      case 0: return field.exists();
      case 1: return field.missing();
      case 2: return field.matches(this.pick(PATTERNS));
      case 3: return field.notMatches(this.pick(PATTERNS));
      case 4: return field.plus(this.int(10)).gt(this.int(3000));
      case 5: return b.attr('flag');
      case 6: return field.lt(this.ordered());
      case 7: return field.ne(this.plain());
      default: return field.eq(this.valueFor(name));
    }
  }

  condition(depth: number): Condition {
    if (depth <= 0 || this.chance(0.4)) return this.comparison();
    switch (this.int(3)) {
      case 0: return b.not(this.condition(depth - 1));
      case 1: return this.condition(depth - 1).and(this.condition(depth - 1));
      default: return this.condition(depth - 1).or(this.condition(depth - 1));
    }
  }

  filter(): SpanFilter {
    let f: SpanFilter;
    switch (this.int(5)) {
      case 0: f = b.span(); break;
      case 1: f = b.span(this.pick(NAMES)); break;
      case 2: f = b.span(this.chance(0.5) ? { kind: this.pick(KINDS), name: this.pick(NAMES) } : { status: this.pick(STATUSES) }); break;
      default: f = b.span(this.condition(1));
    }
    for (let i = this.chance(0.5) ? 0 : this.int(2) + 1; i > 0; i--) {
      if (this.chance(0.5)) {
        const fields: Record<string, string | number | bigint | boolean> = {};
        for (let k = this.int(2) + 1; k > 0; k--) {
          const name = this.pick(ATTR_NAMES);
          fields[name] = this.valueFor(name);
        }
        f = f.where(fields);
      } else f = f.where(this.condition(1));
    }
    return f;
  }

  selection(depth: number): SpanSet {
    if (depth <= 0 || this.chance(0.6)) return this.filter();
    const ops = ['and', 'or', 'child', 'descendant', 'parent', 'ancestor', 'sibling', 'notChild', 'notDescendant', 'notParent', 'notAncestor', 'notSibling',
      'unionChild', 'unionDescendant', 'unionParent', 'unionAncestor', 'unionSibling'] as const;
    const left = this.selection(depth - 1);
    return left[this.pick(ops)](this.chance(0.2) ? this.pick(NAMES) : this.selection(depth - 1));
  }

  target(payload: boolean): SelectionSpec | SpanSet {
    const sel = this.selection(2);
    let spec: SelectionSpec | SpanSet = sel;
    for (let i = this.chance(0.5) ? 0 : this.int(2) + 1; i > 0; i--) {
      const roll = this.int(3);
      const anchor = this.chance(0.8) ? this.pick(NAMES) : this.selection(1);
      spec = roll === 0 ? spec.after(anchor) : roll === 1 ? spec.before(anchor) : spec.within(this.pick(DURATIONS));
    }
    return payload ? spec.payload(Payload) : spec;
  }

  assertion(payload: boolean): BuiltAssertion {
    const t = this.target(payload);
    switch (this.int(6)) {
      case 0: return b.exactly(this.int(3), t);
      case 1: return b.atLeast(this.int(3) + 1, t);
      case 2: return b.atMost(this.int(3), t);
      case 3: return b.no(t);
      case 4: return b.one(t);
      default: return b.some(t);
    }
  }

  /** A run: a few traces of spans with random names, kinds, statuses, attributes, events, links, times, payloads. */
  spans(): Span[] {
    const out: Span[] = [];
    const resources = [createResource({ 'service.name': 'svc-a' }), createResource({ 'service.name': 'svc-b', amount: 2500 })];
    for (let t = this.int(3) + 1; t > 0; t--) {
      const traceId = t.toString(16).padStart(32, '0');
      const ids: string[] = [];
      for (let i = this.int(8) + 1; i > 0; i--) {
        const spanId = (out.length + 1).toString(16).padStart(16, '0');
        const attributes: Record<string, unknown> = {};
        if (this.chance(0.6)) attributes.amount = this.pick([2500, 250, 2500.25, '2500', -5, 7n]);
        if (this.chance(0.5)) attributes.currency = this.pick(['EUR', 'USD', 'eur']);
        if (this.chance(0.3)) attributes.flag = this.chance(0.5);
        if (this.chance(0.3)) attributes.tags = ['a', this.pick(['EUR', 'x'])];
        if (this.chance(0.3)) attributes['http.status_code'] = this.pick([200, 404, 503]);
        if (this.chance(0.5)) attributes['effect.payload'] = this.pick([JSON.stringify({ amount: 1, currency: 'EUR' }), JSON.stringify({ amount: 'x' }), '{bad']);
        const start = BigInt(this.int(5000)) * 1_000_000n;
        out.push(createSpan({
          traceId,
          spanId,
          parentSpanId: ids.length > 0 && this.chance(0.8) ? this.pick(ids) : this.chance(0.2) ? 'f'.repeat(16) : '',
          name: this.pick(NAMES),
          kind: this.int(6) as 0,
          status: { code: this.int(3) as 0, message: this.pick(['', 'boom']) },
          startTimeUnixNano: start,
          endTimeUnixNano: start + BigInt(this.int(3000)) * 1_000_000n,
          attributes,
          events: this.chance(0.3) ? [{ name: 'exception', timeUnixNano: start + 1000n, attributes: { currency: 'EUR', amount: 3 } }] : [],
          links: this.chance(0.2) ? [{ traceId, spanId: '1'.padStart(16, '0'), attributes: { flag: true } }] : [],
          resource: this.pick(resources),
        }));
        ids.push(spanId);
      }
    }
    return out;
  }
}

const Payload = z.object({ amount: z.number(), currency: z.string() });

function run(code: string): BuiltAssertion {
  const names = Object.keys(b);
  return new Function(...names, `return ${code};`)(...names.map((n) => (b as Record<string, unknown>)[n])) as BuiltAssertion;
}

const seeds = Array.from({ length: 300 }, (_, i) => i + 1);

describe('builder and text agree on random assertions', () => {
  it.each(seeds)('seed %i', (seed) => {
    const gen = new Gen(rng(seed));
    const withPayload = seed % 4 === 0;
    const built = gen.assertion(withPayload);
    const text = formatAssertion(built.ast);
    // (a) the same tree, both ways.
    const parsed = parseAssertion(text);
    expect(stripLoc(parsed)).toEqual(built.ast);
    expect(run(b.toBuilderCode(parsed)).ast).toEqual(built.ast);
    // (b) the same evaluation on random runs.
    const fromText = compileAssertion(parsed);
    const fromBuilder = b.compileBuilt(built);
    expect(fromBuilder.passesEarly).toBe(fromText.passesEarly);
    for (let i = 0; i < 4; i++) {
      const spans = gen.spans();
      const t = fromText.evaluate(spans);
      const o = fromBuilder.evaluate(spans);
      const fits = (s: Span) => !withPayload || b.checkPayload(s, [Payload]) === undefined;
      const expected = t.matches.filter(fits);
      const count = expected.length;
      const holds = !t.emptyRun && t.clauseProblems.length === 0 && count >= t.min && (t.max === undefined || count <= t.max);
      expect({ ids: o.matches.map((s) => s.spanId), count: o.count, holds: o.holds, failures: o.payloadFailures.length }, text)
        .toEqual({ ids: expected.map((s) => s.spanId), count, holds, failures: t.matches.length - count });
      if (!withPayload) expect({ holds: o.holds, hopeless: o.hopeless }).toEqual({ holds: t.holds, hopeless: t.hopeless });
    }
  });
});
