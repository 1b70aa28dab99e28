/**
 * Evaluation conformance, part 1: what a filter matches. Every comparison operator on every value
 * type, missing attributes and nil, arrays, regex anchoring, every intrinsic, unscoped lookup,
 * event and link conditions per element, arithmetic. One trace of three spans; each case is an
 * assertion and the spans it must match.
 */
import type { AnyValue, Span } from '@tracecheck/model';
import { createResource, createSpan, toAttributes } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { parseAssertion } from '../parser.js';
import { compileAssertion } from './assertion.js';

const T1 = '000000000000000000000000000000a1';
const T9 = '0000000000000000000000000000f009';
const S9 = '000000000000f009';
const ID = { a: '00000000000000a0', b: '00000000000000b0', c: '00000000000000c0' };
const MS = 1_000_000n;
const BASE = 1_700_000_000_000n * MS;
const dbl = (value: number): AnyValue => ({ type: 'double', value });

const label = new Map<Span, string>();
const named = (l: string, s: Span): Span => (label.set(s, l), s);

const api = createResource({ 'service.name': 'api', str: 'from-resource' });
const spans: Span[] = [
  named('a', createSpan({
    traceId: T1, spanId: ID.a, name: 'pay', kind: 2, status: { code: 1 },
    startTimeUnixNano: BASE, endTimeUnixNano: BASE + 100n * MS,
    attributes: new Map<string, AnyValue>([
      ...toAttributes({ str: 'pay', int: 2500, flag: true, arr_s: ['x', 'y'], arr_i: [1, 2, 3], big: 9007199254740993n, neg: -5, text: 'line1\nline2', pat: 'pa.*' }),
      ['dbl', dbl(2.5)],
    ]),
    events: [
      { name: 'exception', timeUnixNano: BASE + 10n * MS, attributes: { 'exception.type': 'TimeoutError' } },
      { name: 'retry', timeUnixNano: BASE + 30n * MS, attributes: { attempt: 1 } },
    ],
    links: [{ traceId: T9, spanId: S9, attributes: { kind: 'follows' } }],
    resource: createResource({ 'service.name': 'payments', region: 'eu' }),
    scope: { name: 'io.otel.http', version: '1.2.3', attributes: toAttributes({ lib: 'http' }), droppedAttributesCount: 0, schemaUrl: '' },
  })),
  named('b', createSpan({
    traceId: T1, spanId: ID.b, parentSpanId: ID.a, name: 'payment', kind: 3, status: { code: 2, message: 'card declined' },
    startTimeUnixNano: BASE + 50n * MS, endTimeUnixNano: BASE + 70n * MS,
    attributes: new Map<string, AnyValue>([
      ...toAttributes({ str: 'payment', int: 250, flag: false, arr_s: [], big: 9007199254740992n, amount_s: '2500', pat: '(' }),
      ['dbl', dbl(25)],
    ]),
    events: [
      { name: 'exception', timeUnixNano: BASE + 55n * MS, attributes: { 'exception.type': 'CardError' } },
      { name: 'log', timeUnixNano: BASE + 65n * MS, attributes: { 'exception.type': 'TimeoutError' } },
    ],
    resource: api,
  })),
  named('c', createSpan({
    traceId: T1, spanId: ID.c, parentSpanId: ID.a, name: 'Pay', kind: 1,
    startTimeUnixNano: BASE + 60n * MS, endTimeUnixNano: BASE + 61n * MS, resource: api,
  })),
];

const ALL = ['a', 'b', 'c'];

/** [filter text, labels of the spans it must match]. */
const cases: [string, string[]][] = [
  // strings: every operator, code-point order, anchored RE2 regexes
  ['{ span.str = "pay" }', ['a']],
  ['{ span.str != "pay" }', ['b']],
  ['{ span.str < "payment" }', ['a']],
  ['{ span.str <= "payment" }', ['a', 'b']],
  ['{ span.str > "pay" }', ['b']],
  ['{ span.str >= "pay" }', ['a', 'b']],
  ['{ span.str =~ "pay" }', ['a']],
  ['{ span.str =~ "pay.*" }', ['a', 'b']],
  ['{ span.str =~ "ay" }', []],
  ['{ span.str !~ "pay" }', ['b']],
  ['{ span.str !~ "pay.*" }', []],
  ['{ name =~ "(?i)pay" }', ['a', 'c']],
  ['{ name =~ "pay|payment" }', ['a', 'b']],
  ['{ span.text =~ "line1.line2" }', ['a']],
  // ints: exact, int64 beyond 2^53 kept exact, int against float
  ['{ span.int = 2500 }', ['a']],
  ['{ span.int != 2500 }', ['b']],
  ['{ span.int < 2500 }', ['b']],
  ['{ span.int <= 2500 }', ['a', 'b']],
  ['{ span.int > 250 }', ['a']],
  ['{ span.int >= 250 }', ['a', 'b']],
  ['{ span.int = 2500.0 }', ['a']],
  ['{ span.big = 9007199254740993 }', ['a']],
  ['{ span.big > 9007199254740992 }', ['a']],
  ['{ span.big = 9007199254740992 }', ['b']],
  // values of other types never relate, whatever the operator
  ['{ span.int = "2500" }', []],
  ['{ span.int != "2500" }', []],
  ['{ span.amount_s = 2500 }', []],
  ['{ span.amount_s = "2500" }', ['b']],
  ['{ span.flag = 1 }', []],
  // floats
  ['{ span.dbl = 2.5 }', ['a']],
  ['{ span.dbl = 25 }', ['b']],
  ['{ span.dbl != 2.5 }', ['b']],
  ['{ span.dbl < 3 }', ['a']],
  ['{ span.dbl <= 2.5 }', ['a']],
  ['{ span.dbl > 2.5 }', ['b']],
  ['{ span.dbl >= 2.5 }', ['a', 'b']],
  // durations
  ['{ duration = 20ms }', ['b']],
  ['{ duration != 20ms }', ['a', 'c']],
  ['{ duration < 20ms }', ['c']],
  ['{ duration <= 1ms }', ['c']],
  ['{ duration > 20ms }', ['a']],
  ['{ duration >= 20ms }', ['a', 'b']],
  ['{ span:duration = 100000000 }', ['a']],
  ['{ duration > 0.05s }', ['a']],
  // booleans: = and != only; a bare attribute means "is true"; ! of a non-boolean matches nothing
  ['{ span.flag = true }', ['a']],
  ['{ span.flag != true }', ['b']],
  ['{ span.flag = false }', ['b']],
  ['{ .flag }', ['a']],
  ['{ !.flag }', ['b']],
  ['{ span.str }', []],
  ['{ !span.str }', []],
  ['{ !span.nope }', []],
  // status and kind: `ok` is an explicit OK, not unset
  ['{ status = ok }', ['a']],
  ['{ status = 2 }', ['b']],
  ['{ 1 != span:status }', ['b', 'c']],
  ['{ status = unset }', ['c']],
  ['{ status = error }', ['b']],
  ['{ status != error }', ['a', 'c']],
  ['{ kind = server }', ['a']],
  ['{ kind != server }', ['b', 'c']],
  ['{ span:kind = client && span:status = error }', ['b']],
  ['{ kind = unspecified }', []],
  // missing attributes and nil
  ['{ span.nope = 1 }', []],
  ['{ span.nope != 1 }', []],
  ['{ !(span.nope = 1) }', ALL],
  ['{ span.nope = nil }', ALL],
  ['{ span.str != nil }', ['a', 'b']],
  ['{ span.str = nil }', ['c']],
  ['{ nil = span.str }', ['c']],
  ['{ name != nil }', ALL],
  ['{ nil = nil }', []],
  ['{ nil != nil }', []],
  ['{ span:parentID = nil }', ['a']],
  // arrays: any element; != and !~ when none does
  ['{ span.arr_s = "x" }', ['a']],
  ['{ span.arr_s != "x" }', ['b']],
  ['{ span.arr_s != "z" }', ['a', 'b']],
  ['{ span.arr_i > 2 }', ['a']],
  ['{ span.arr_i > 3 }', []],
  ['{ 2 < span.arr_i }', ['a']],
  ['{ span.arr_i = 2.0 }', ['a']],
  ['{ span.arr_s =~ "y" }', ['a']],
  ['{ span.arr_s !~ "x" }', ['b']],
  ['{ span.arr_s !~ "z" }', ['a', 'b']],
  // a pattern read from the span: each span's own; one that is not RE2 matches nothing
  ['{ span.str =~ span.pat }', ['a']],
  ['{ span.str !~ span.pat }', []],
  ['{ "pay" =~ span.pat }', ['a']],
  // span intrinsics
  ['{ span:name = "payment" }', ['b']],
  ['{ name != "pay" }', ['b', 'c']],
  ['{ statusMessage = "card declined" }', ['b']],
  ['{ span:statusMessage = "" }', ['a', 'c']],
  [`{ span:id = "${ID.a}" }`, ['a']],
  ['{ span:id = "A0" }', ['a']],
  [`{ span:parentID = "${ID.a}" }`, ['b', 'c']],
  ['{ span:childCount = 2 }', ['a']],
  ['{ span:childCount = 0 }', ['b', 'c']],
  // trace intrinsics (legacy spellings too)
  [`{ trace:id = "${T1}" }`, ALL],
  ['{ trace:id = "A1" }', ALL],
  ['{ trace:id = "a2" }', []],
  ['{ trace:duration = 100ms }', ALL],
  ['{ traceDuration > 1s }', []],
  ['{ trace:rootName = "pay" }', ALL],
  ['{ rootName = "payment" }', []],
  ['{ trace:rootService = "payments" }', ALL],
  ['{ rootServiceName = "api" }', []],
  // events, links, instrumentation, resource, unscoped
  ['{ event:name = "retry" }', ['a']],
  ['{ event:timeSinceStart > 20ms }', ['a']],
  ['{ event:timeSinceStart >= 15ms }', ['a', 'b']],
  [`{ link:traceID = "${T9}" }`, ['a']],
  [`{ link:spanID = "${S9}" }`, ['a']],
  ['{ link.kind = "follows" }', ['a']],
  ['{ instrumentation:name = "io.otel.http" }', ['a']],
  ['{ instrumentation:version = "1.2.3" }', ['a']],
  ['{ instrumentation.lib = "http" }', ['a']],
  ['{ resource.service.name = "api" }', ['b', 'c']],
  ['{ resource.region = "eu" }', ['a']],
  ['{ resource.str = "from-resource" }', ['b', 'c']],
  ['{ .str = "pay" }', ['a']],
  ['{ .str = "from-resource" }', ['c']],
  ['{ .region = "eu" }', ['a']],
  // one event (one link) must satisfy all of a filter's event (link) conditions
  ['{ event:name = "exception" }', ['a', 'b']],
  ['{ event.exception.type = "TimeoutError" }', ['a', 'b']],
  ['{ event:name = "exception" && event.exception.type = "TimeoutError" }', ['a']],
  // = nil on an event (link) attribute needs an event (link) without it; a span without events has none
  ['{ event.exception.type = nil }', ['a']],
  ['{ event.attempt = nil }', ['a', 'b']],
  ['{ link.kind = nil }', []],
  ['{ link.other = nil }', ['a']],
  ['{ event:name = "log" && span.int = 250 }', ['b']],
  ['{ event:name != "exception" }', ['a', 'b']],
  ['{ event:name = "nothing" || name = "Pay" }', ['c']],
  [`{ link.kind = "follows" && link:spanID = "${S9}" }`, ['a']],
  ['{ link.kind = "follows" && link:spanID = "0000000000000001" }', []],
  ['{ event:name = "retry" && link.kind = "follows" }', ['a']],
  // arithmetic
  ['{ span.int + 1 = 2501 }', ['a']],
  ['{ span.int - 500 = 2000 }', ['a']],
  ['{ span.int * 2 > 1000 }', ['a']],
  ['{ span.int / 100 = 2 }', ['b']],
  ['{ span.int % 7 = 1 }', ['a']],
  ['{ span.int / 0 = 0 }', []],
  ['{ span.dbl * 2 = 5 }', ['a']],
  ['{ span.int + span.dbl = 2502.5 }', ['a']],
  ['{ 2 ^ 10 = 1024 }', ALL],
  ['{ -span.neg = 5 }', ['a']],
  ['{ span.neg < -4 }', ['a']],
  ['{ duration / 2 = 10ms }', ['b']],
  ['{ duration / 3 > 33333333ns && duration / 3 < 33333334ns }', ['a']],
  ['{ 9223372036854775807 + 1 < 0 }', ALL],
  ['{ 10 ^ -1 = 0 }', ALL],
  ['{ span.str + 1 = 2 }', []],
  // logic and shorthands
  ['{ name = "pay" || name = "Pay" }', ['a', 'c']],
  ['{ (span.int > 100 && span.int < 1000) || status = ok }', ['a', 'b']],
  ['{ }', ALL],
  ['"payment"', ['b']],
];

describe('filter evaluation', () => {
  it.each(cases)('%s', (text, expected) => {
    const outcome = compileAssertion(parseAssertion(`some ${text}`)).evaluate(spans);
    expect(outcome.matches.map((s) => label.get(s)).sort()).toEqual(expected);
    expect(outcome.holds).toBe(expected.length > 0);
  });

  it('has a case for every intrinsic', () => {
    const written = cases.map(([t]) => t).join(' ');
    for (const name of ['span:name', 'kind', 'status', 'statusMessage', 'duration', 'span:id', 'span:parentID', 'span:childCount',
      'trace:id', 'trace:duration', 'trace:rootName', 'trace:rootService', 'event:name', 'event:timeSinceStart', 'link:traceID',
      'link:spanID', 'instrumentation:name', 'instrumentation:version']) {
      expect(written).toContain(name);
    }
  });
});
