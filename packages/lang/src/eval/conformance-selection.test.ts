/**
 * Evaluation conformance, part 2: what an assertion counts over a run. Structural, negated and union
 * operators, spanset `&&` / `||`, quantifiers, clauses (ties, anchors that match nothing), several
 * traces in one run (structure never crosses traces; a linked worker trace), duplicates, empty runs.
 */
import type { Span, SpanInit } from '@tracecheck/model';
import { createResource, createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { parseAssertion } from '../parser.js';
import { compileAssertion } from './assertion.js';

const MS = 1_000_000n;
const BASE = 1_700_000_000_000n * MS;
const label = new Map<Span, string>();
let nextId = 1;
const ids = new Map<string, string>();
const idOf = (l: string): string => ids.get(l) ?? '';

/** A span labelled `l`, at `at`..`at+ms` milliseconds, its parent given by label (or a raw id). */
function mk(l: string, trace: string, init: Partial<SpanInit> & { parent?: string; at: number; ms: number; svc?: string }): Span {
  const spanId = (nextId++).toString(16).padStart(16, '0');
  ids.set(l, spanId);
  const s = createSpan({
    name: l,
    ...init,
    traceId: trace.padStart(32, '0'),
    spanId,
    parentSpanId: init.parent === undefined ? '' : (ids.get(init.parent) ?? init.parent),
    startTimeUnixNano: BASE + BigInt(init.at) * MS,
    endTimeUnixNano: BASE + BigInt(init.at + init.ms) * MS,
    ...(init.svc === undefined ? {} : { resource: createResource({ 'service.name': init.svc }) }),
  });
  label.set(s, l);
  return s;
}

// A checkout trace (t2) with a browser span whose parent never arrived, and the worker trace (t3)
// its email job started, linked to the producer span.
const tree: Span[] = [
  mk('root', 't2', { name: 'POST /checkout', kind: 2, at: 0, ms: 200, svc: 'web' }),
  mk('api', 't2', { name: 'checkout', kind: 2, parent: 'root', at: 10, ms: 180, svc: 'api' }),
  mk('db1', 't2', { name: 'db.query', kind: 3, parent: 'api', at: 20, ms: 10, svc: 'api' }),
  mk('db2', 't2', { name: 'db.query', kind: 3, parent: 'api', at: 40, ms: 10, svc: 'api' }),
  mk('pay', 't2', { name: 'charge', kind: 3, parent: 'api', at: 60, ms: 60, svc: 'api' }),
  mk('stripe', 't2', { name: 'stripe.charge', kind: 3, parent: 'pay', at: 70, ms: 40, svc: 'payments', status: { code: 2 } }),
  mk('mail', 't2', { name: 'email.send', kind: 4, parent: 'api', at: 130, ms: 10, svc: 'api' }),
  mk('click', 't2', { name: 'browser.click', parent: 'ffffffffffffffff', at: 0, ms: 5 }),
  mk('consume', 't3', { name: 'email.consume', kind: 5, at: 300, ms: 50, svc: 'worker', links: [{ traceId: 't2'.padStart(32, '0'), spanId: idOf('mail') }] }),
  mk('smtp', 't3', { name: 'smtp.send', kind: 3, parent: 'consume', at: 310, ms: 30, svc: 'worker' }),
];

// One trace on a timeline (ms): a refund request, refunds around its end, a cancellation, charges.
const timeline: Span[] = [
  mk('req', 't4', { name: 'refund.requested', at: 0, ms: 10 }),
  mk('r1', 't4', { name: 'refund.create', at: 5, ms: 10 }),
  mk('r2', 't4', { name: 'refund.create', at: 10, ms: 10 }),
  mk('r3', 't4', { name: 'refund.create', at: 30, ms: 10 }),
  mk('ch1', 't4', { name: 'charge', at: 20, ms: 5 }),
  mk('prep', 't4', { name: 'prepare', at: 45, ms: 5 }),
  mk('cancel', 't4', { name: 'subscription.cancel', at: 50, ms: 5 }),
  mk('ch2', 't4', { name: 'charge', at: 60, ms: 10 }),
];

// Three traces of one run: a producer, the consumer trace it started (linked), and a span in a
// third trace whose parent id happens to equal the producer's span id. The consumer's child is
// listed twice (a retried export).
const multiBase = [
  mk('producer', 't5', { name: 'order.place', at: 0, ms: 20, svc: 'shop' }),
  mk('publish', 't5', { name: 'queue.publish', kind: 4, parent: 'producer', at: 5, ms: 5, svc: 'shop' }),
  mk('consumer', 't6', { name: 'queue.consume', kind: 5, at: 30, ms: 20, svc: 'worker', links: [{ traceId: 't5'.padStart(32, '0'), spanId: idOf('publish') }] }),
  mk('write', 't6', { name: 'db.write', parent: 'consumer', at: 35, ms: 5, svc: 'worker' }),
  mk('stray', 't7', { name: 'stray', parent: 'publish', at: 40, ms: 1, svc: 'other' }),
];
const multi = [...multiBase, multiBase[3]!];

// Broken data: two spans naming each other as parent. Evaluation must end.
const cycleX = mk('x', 't8', { name: 'x', parent: '00000000000000ff', at: 0, ms: 1 });
const cycleY = mk('y', 't8', { name: 'y', parent: 'x', at: 1, ms: 1 });
const cycle = [{ ...cycleX, parentSpanId: cycleY.spanId }, cycleY];
label.set(cycle[0]!, 'x');

// Spans whose parents never arrived: two under one missing parent, one with a child of its own.
const orphans = [
  mk('o1', 't9', { parent: 'eeeeeeeeeeeeeeee', at: 0, ms: 5 }),
  mk('o2', 't9', { parent: 'eeeeeeeeeeeeeeee', at: 1, ms: 5 }),
  mk('o3', 't9', { parent: 'dddddddddddddddd', at: 2, ms: 5 }),
  mk('o3child', 't9', { parent: 'o3', at: 3, ms: 1 }),
];

// Two spans without a parent in one trace, one with a child.
const roots = [
  mk('r1', 't10', { at: 0, ms: 5 }),
  mk('r2', 't10', { at: 1, ms: 5 }),
  mk('r1child', 't10', { parent: 'r1', at: 2, ms: 1 }),
];

const runs: Record<string, Span[]> = { tree, timeline, multi, cycle, orphans, roots, empty: [] };

/** [run, assertion, labels of the counted spans, holds]. */
const cases: [string, string, string[], boolean][] = [
  // structural: right-hand spans
  ['tree', 'some { name = "checkout" } > { name = "db.query" }', ['db1', 'db2'], true],
  ['tree', 'some { name = "POST /checkout" } > { name = "db.query" }', [], false],
  ['tree', 'some { name = "POST /checkout" } >> { name = "db.query" }', ['db1', 'db2'], true],
  ['tree', 'some { name = "db.query" } < { }', ['api'], true],
  ['tree', 'some { name = "stripe.charge" } << { }', ['api', 'pay', 'root'], true],
  ['tree', 'some { name = "db.query" } ~ { }', ['db1', 'db2', 'mail', 'pay'], true],
  ['tree', 'some { name = "charge" } ~ { name = "charge" }', [], false],
  ['tree', 'some { name = "POST /checkout" } > { name = "checkout" } > { name = "charge" }', ['pay'], true],
  ['tree', 'some { } > { name = "browser.click" }', [], false],
  ['tree', 'some { name = "browser.click" } ~ { }', [], false],
  // negated: right-hand spans without the relation (roots and orphans have no parent)
  ['tree', 'some { name = "checkout" } !> { name = "db.query" }', [], false],
  ['tree', 'some { name = "charge" } !> { name = "db.query" || name = "stripe.charge" }', ['db1', 'db2'], true],
  ['tree', 'some { } !> { }', ['click', 'consume', 'root'], true],
  ['tree', 'some { name = "checkout" } !>> { kind = client }', ['smtp'], true],
  ['tree', 'some { name = "db.query" } !< { name = "checkout" || name = "charge" }', ['pay'], true],
  ['tree', 'some { name = "stripe.charge" } !<< { kind = server }', [], false],
  ['tree', 'some { name = "stripe.charge" } !<< { }', ['click', 'consume', 'db1', 'db2', 'mail', 'smtp', 'stripe'], true],
  ['tree', 'some { name = "db.query" } !~ { kind = client }', ['smtp', 'stripe'], true],
  // union: both sides of every related pair
  ['tree', 'some { name = "checkout" } &> { name = "db.query" }', ['api', 'db1', 'db2'], true],
  ['tree', 'some { name = "POST /checkout" } &>> { status = error }', ['root', 'stripe'], true],
  ['tree', 'some { name = "db.query" } &< { }', ['api', 'db1', 'db2'], true],
  ['tree', 'some { name = "stripe.charge" } &<< { name = "checkout" }', ['api', 'stripe'], true],
  ['tree', 'some { name = "db.query" } &~ { name = "charge" }', ['db1', 'db2', 'pay'], true],
  ['tree', 'some { name = "email.send" } &> { }', [], false],
  // spanset && / || are per trace
  ['tree', 'some ({ name = "charge" } > { }) && { name = "email.send" }', ['mail', 'stripe'], true],
  ['tree', 'some { name = "charge" } && { name = "smtp.send" }', [], false],
  ['tree', 'some { name = "charge" } || { name = "smtp.send" }', ['pay', 'smtp'], true],
  ['tree', 'some { name = "nope" } && { name = "charge" }', [], false],
  ['tree', 'some "db.query" && "db.query"', ['db1', 'db2'], true],
  // trace-level intrinsics per trace
  ['tree', 'some { trace:rootName = "email.consume" }', ['consume', 'smtp'], true],
  ['tree', 'exactly 8 { trace:rootService = "web" }', ['api', 'click', 'db1', 'db2', 'mail', 'pay', 'root', 'stripe'], true],
  ['tree', 'some { trace:duration = 50ms }', ['consume', 'smtp'], true],
  // quantifiers count distinct spans
  ['tree', 'exactly 2 "db.query"', ['db1', 'db2'], true],
  ['tree', 'exactly 1 "db.query"', ['db1', 'db2'], false],
  ['tree', 'at least 2 "db.query"', ['db1', 'db2'], true],
  ['tree', 'at least 3 "db.query"', ['db1', 'db2'], false],
  ['tree', 'at most 2 "db.query"', ['db1', 'db2'], true],
  ['tree', 'at most 1 "db.query"', ['db1', 'db2'], false],
  ['tree', 'at most 0 "nope"', [], true],
  ['tree', 'no "nope"', [], true],
  ['tree', 'no "db.query"', ['db1', 'db2'], false],
  ['tree', 'some "charge"', ['pay'], true],
  ['tree', 'some "nope"', [], false],
  ['tree', 'one "charge"', ['pay'], true],
  ['tree', 'one "db.query"', ['db1', 'db2'], false],
  ['tree', 'exactly 0 "nope"', [], true],
  ['tree', 'exactly 2 { name = "db.query" } || { kind = client && name = "db.query" }', ['db1', 'db2'], true],
  // clauses: after (start >= anchor end, ties count), before (end <= anchor start), within
  ['timeline', 'exactly 2 "refund.create" after "refund.requested"', ['r2', 'r3'], true],
  ['timeline', 'exactly 3 "refund.create"', ['r1', 'r2', 'r3'], true],
  ['timeline', 'no "charge" after "subscription.cancel"', ['ch2'], false],
  ['timeline', 'exactly 1 "charge" before "subscription.cancel"', ['ch1'], true],
  ['timeline', 'some "prepare" before "subscription.cancel"', ['prep'], true],
  ['timeline', 'exactly 2 "refund.create" within 10ms', ['r1', 'r2'], true],
  ['timeline', 'exactly 1 "refund.create" after "refund.requested" within 20ms', ['r2'], true],
  ['timeline', 'exactly 1 "refund.create" after "refund.requested" before "charge"', ['r2', 'r3'], false],
  ['timeline', 'some { name = "refund.create" } after ({ name = "charge" } || { name = "prepare" })', ['r3'], true],
  ['timeline', 'some "refund.create" after "never.happened"', [], false],
  ['timeline', 'no "charge" after "never.happened"', [], false],
  ['timeline', 'no "charge" before "never.happened"', [], false],
  // several traces in one run
  ['multi', 'some { name = "queue.publish" } > { name = "stray" }', [], false],
  ['multi', 'some { name = "queue.consume" } > { name = "db.write" }', ['write'], true],
  ['multi', 'exactly 1 "db.write"', ['write'], true],
  ['multi', 'some { } !> { }', ['consumer', 'producer', 'stray'], true],
  ['multi', 'exactly 4 { trace:rootName != nil }', ['consumer', 'producer', 'publish', 'write'], true],
  ['multi', 'some { trace:rootService = "worker" }', ['consumer', 'write'], true],
  ['multi', `one { link:spanID = "${idOf('publish')}" }`, ['consumer'], true],
  ['multi', 'exactly 5 { }', ['consumer', 'producer', 'publish', 'stray', 'write'], true],
  ['multi', 'some "db.write" after "queue.publish"', ['write'], true],
  // as in Tempo, a span not reached from a root (its parent, or an ancestor's, never arrived) relates
  // to nothing: no parent, child, ancestor or sibling; the negated forms keep it
  ['orphans', 'some { name = "o3" } > { }', [], false],
  ['orphans', 'some { name = "o3" } >> { }', [], false],
  ['orphans', 'some { name = "o1" } ~ { }', [], false],
  ['orphans', 'some { } !> { }', ['o1', 'o2', 'o3', 'o3child'], true],
  ['orphans', 'some { } !~ { name = "o2" }', ['o2'], true],
  ['orphans', 'no { trace:rootName != nil }', [], true],
  // the roots of one trace are siblings (Tempo gives every root the same parent number)
  ['roots', 'some { name = "r1" } ~ { }', ['r2'], true],
  ['roots', 'some { name = "r1" } &~ { name = "r2" }', ['r1', 'r2'], true],
  ['roots', 'some { name = "r1" } > { }', ['r1child'], true],
  ['roots', 'some { name = "r1child" } ~ { }', [], false],
  // a cyclic parent chain ends, and reaches no root
  ['cycle', 'some { name = "x" } >> { name = "y" }', [], false],
  ['cycle', 'some { name = "y" } << { }', [], false],
  ['cycle', 'no { } !> { }', ['x', 'y'], false],
  // an empty run fails every check
  ['empty', 'no "anything"', [], false],
  ['empty', 'at most 3 { }', [], false],
];

describe('assertion evaluation', () => {
  it.each(cases)('%s: %s', (run, text, expected, holds) => {
    const outcome = compileAssertion(parseAssertion(text)).evaluate(runs[run]!);
    expect(outcome.matches.map((s) => label.get(s)).sort()).toEqual(expected);
    expect(outcome.count).toBe(expected.length);
    expect(outcome.holds).toBe(holds);
  });

  it('fails a clause whose anchor matched nothing, saying so', () => {
    const outcome = compileAssertion(parseAssertion('no "charge" after "never.happened"')).evaluate(timeline);
    expect(outcome.clauseProblems).toEqual(['after { name = "never.happened" }: no span matched it, so nothing can be after it']);
  });

  it('records the matches a clause excluded and by how much they missed', () => {
    const outcome = compileAssertion(parseAssertion('some "refund.create" after "refund.requested"')).evaluate(timeline);
    expect(outcome.excluded.map((e) => [label.get(e.span), label.get(e.anchor!), e.missByNanos])).toEqual([['r1', 'req', -5n * MS]]);
  });

  it('says an empty run is empty', () => {
    const outcome = compileAssertion(parseAssertion('no "x"')).evaluate([]);
    expect(outcome.emptyRun).toBe(true);
  });
});
