import { createSpan, plainSpan, type Span } from '@tracecheck/model';
import { decodeProtobufRequest, encodeProtobufRequest, releaseSkim, skimProtobufRequest } from '@tracecheck/otlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPACT_MIN_BYTES } from './arenas.js';
import { ColumnarStore } from './columnar-store.js';

// What only the columnar store does: arenas (kept, freed, compacted), deletion in parts, views
// that outlive their rows. The contract both stores keep is in store-contract.test.ts.

const tid = (i: number): string => (i + 1).toString(16).padStart(32, '0');
const sid = (i: number): string => (i + 1).toString(16).padStart(16, '0');

/** `n` spans of run `run` in traces of 10, with a payload so arenas have some size. */
function spans(run: string, n: number, from = 0): Span[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return createSpan({
      traceId: tid(Math.floor(i / 10)),
      spanId: sid(i),
      name: i % 10 === 0 ? 'POST /refunds' : 'email.send',
      attributes: { ...(i % 10 === 0 ? { 'test.run.id': run } : {}), 'effect.payload': JSON.stringify({ order: i, note: 'x'.repeat(100) }) },
    });
  });
}

describe('ColumnarStore and released skims', () => {
  it('keeps the spans of a request whose skim columns were released and reused by the next request', () => {
    const store = new ColumnarStore();
    const first = spans('A', 200);
    const second = spans('B', 150, 1000).map((s): Span => ({ ...s, parentSpanId: sid(5000), kind: 3, name: 'other' }));
    const a = skimProtobufRequest(encodeProtobufRequest(first));
    store.addSkim(a);
    releaseSkim(a);
    const b = skimProtobufRequest(encodeProtobufRequest(second));
    expect(b.ids.buffer).toBe(a.ids.buffer);
    store.addSkim(b);
    releaseSkim(b);
    expect(store.runSpans('A').map(plainSpan)).toEqual(first.map(plainSpan));
    expect(store.runSpans('B').map(plainSpan)).toEqual(second.map(plainSpan));
  });
});

describe('ColumnarStore arenas', () => {
  it('charges a request once, ignores a retried one, and frees everything when its runs go', () => {
    const store = new ColumnarStore();
    const skim = () => skimProtobufRequest(encodeProtobufRequest(spans('A', 100)));
    expect(store.addSkim(skim())).toEqual({ accepted: 100, duplicates: 0 });
    const used = store.usedBytes;
    // An exporter's retry: every span is a duplicate, and its bytes are not kept.
    expect(store.addSkim(skim())).toEqual({ accepted: 0, duplicates: 100 });
    expect(store.usedBytes).toBe(used);
    store.deleteRun('A');
    expect(store.usedBytes).toBe(0);
    expect(store.spanCount).toBe(0);
  });

  it('copies the live spans of a mostly deleted arena into a smaller one, and they read the same', () => {
    const store = new ColumnarStore();
    // One request: 10 spans of run A, then 990 of run B: deleting B leaves A's 1% of the arena.
    const request = [...spans('A', 10), ...spans('B', 990, 10)];
    const bytes = encodeProtobufRequest(request);
    expect(bytes.length).toBeGreaterThan(COMPACT_MIN_BYTES);
    store.addSkim(skimProtobufRequest(bytes));
    const before = store.runSpans('A').map(plainSpan);
    const used = store.usedBytes;
    store.deleteRun('B');
    expect(store.usedBytes).toBeLessThan(used - bytes.length * 0.9);
    expect(store.runSpans('A').map(plainSpan)).toEqual(before);
  });

  it('hands out views that keep reading their own span after its row is reused', () => {
    const store = new ColumnarStore();
    store.add(spans('A', 10));
    const [view] = store.runSpans('A');
    store.deleteRun('A');
    store.add(spans('B', 10, 500)); // reuses the freed rows
    expect(view!.name).toBe('POST /refunds');
    expect(view!.spanId).toBe(sid(0));
    expect(view!.attributes.get('test.run.id')).toEqual({ type: 'string', value: 'A' });
  });
});

describe('ColumnarStore deletion in parts', () => {
  it('deletes a run in parts to the same end as at once, keeping what other runs share', () => {
    const whole = new ColumnarStore();
    const parts = new ColumnarStore();
    // Run B tags a span in A's first trace, so that trace's untagged spans belong to both runs and
    // stay; B also has a trace of its own.
    const shared = createSpan({ traceId: tid(0), spanId: sid(99_999), name: 'shared', attributes: { 'test.run.id': 'B' } });
    for (const store of [whole, parts]) store.add([...spans('A', 2000), shared, ...spans('B', 10, 5000)]);
    whole.deleteRun('A');
    const steps: string[] = [];
    for (let p = parts.deleteRunSome('A', 300); ; p = parts.deleteRunSome('A', 300)) {
      steps.push(p);
      if (p !== 'more') break;
    }
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.at(-1)).toBe('done');
    expect(parts.deleteRunSome('A', 300)).toBe('unknown');
    for (const store of [whole, parts]) {
      expect(store.run('A')).toBeUndefined();
      expect(store.runSpans('B').map((s) => s.name).sort()).toEqual([...Array(18).fill('email.send'), 'POST /refunds', 'shared'].sort());
    }
    expect(parts.spanCount).toBe(whole.spanCount);
    expect(parts.usedBytes).toBe(whole.usedBytes);
  });

  it('sweeps a large expired run over several turns', () => {
    let now = 0;
    const store = new ColumnarStore({ retentionMs: 1000, now: () => now });
    store.add(spans('A', 5000));
    now = 5000;
    const steps: number[] = [];
    for (let n = store.sweep(1000); ; n = store.sweep(1000)) {
      steps.push(n);
      if (n < 1000) break;
    }
    expect(steps.length).toBeGreaterThan(3);
    expect(store.spanCount).toBe(0);
    expect(store.usedBytes).toBe(0);
    expect(store.runs()).toEqual([]);
  });
});

describe('ColumnarStore views', () => {
  it('read every field as the full decoder decodes the request they came in', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            parent: fc.boolean(),
            kind: fc.integer({ min: 0, max: 5 }),
            status: fc.integer({ min: 0, max: 2 }),
            start: fc.bigInt({ min: 0n, max: 2n ** 64n - 2n ** 40n }),
            duration: fc.bigInt({ min: 0n, max: 2n ** 40n }),
            traceState: fc.constantFrom('', 'a=1', 'tracecheck=0000000000000001,b=2'),
            events: fc.nat(2),
            links: fc.nat(2),
            attributes: fc.dictionary(fc.constantFrom('a', 'b', 'amount', 'é', 'test.run.id'), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.double({ noNaN: true }))),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (inits) => {
          const spans = inits.map((s, i) => ({
            ...createSpan({
              traceId: tid(i % 3),
              spanId: sid(i),
              parentSpanId: s.parent ? sid(1000 + i) : '',
              name: `op${i % 4}`,
              kind: s.kind as Span['kind'],
              startTimeUnixNano: s.start,
              endTimeUnixNano: s.start + s.duration,
              attributes: { ...s.attributes, 'test.run.id': 'R' },
              events: Array.from({ length: s.events }, (_, e) => ({ name: `e${e}`, attributes: { n: e } })),
              links: Array.from({ length: s.links }, (_, l) => ({ traceId: tid(50 + l), spanId: sid(50 + l) })),
              status: { code: s.status as Span['status']['code'], message: s.status === 2 ? 'boom' : '' },
            }),
            traceState: s.traceState,
            flags: i % 2,
          }));
          const bytes = encodeProtobufRequest(spans);
          const store = new ColumnarStore();
          store.addSkim(skimProtobufRequest(bytes));
          const decoded = decodeProtobufRequest(bytes).spans;
          const views = store.runSpans('R');
          expect(views.map(plainSpan)).toEqual(decoded.map(plainSpan));
          // Fields read one at a time, before anything decodes the span whole.
          const fresh = store.runSpans('R');
          fresh.forEach((v, i) => {
            expect([v.links.length, v.events.length, v.traceState, v.startTimeUnixNano, v.endTimeUnixNano, v.flags]).toEqual([
              decoded[i]!.links.length,
              decoded[i]!.events.length,
              decoded[i]!.traceState,
              decoded[i]!.startTimeUnixNano,
              decoded[i]!.endTimeUnixNano,
              decoded[i]!.flags,
            ]);
          });
        },
      ),
      { numRuns: Number(process.env.TRACECHECK_FUZZ_RUNS ?? 200), seed: Number(process.env.TRACECHECK_FUZZ_SEED ?? 3) },
    );
  });
});
