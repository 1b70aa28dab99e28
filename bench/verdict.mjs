#!/usr/bin/env node
// Time to verdict and evaluation cost, measured side by side in one run.
//
//   pnpm run build && node bench/verdict.mjs [--positive 200] [--settling 40] [--evaluation-only]
//
// 1. Time to verdict: a check waits on an embedded receiver (POST /api/check over HTTP); then the
//    deciding span is posted (OTLP/HTTP protobuf). Measured from the moment the store holds that span
//    (a store subscription records it) to the moment the client has the verdict. Positive checks
//    (`some`) should answer at once; settling checks (`exactly 1`) after the settle window (300 ms),
//    so for them the overhead beyond the window is printed too.
//    The same for a positive check on a run that already holds 100,000 spans (the check's graph of
//    the run grows with each arrival instead of being rebuilt).
// 2. Evaluation of selectors over a run of 100,000 spans (10,000 traces x 10 spans), median of
//    several runs, reading the run from the object store (plain spans: before the columnar store)
//    and from the columnar store (lazily decoding views: now), each in a process of its own, taking
//    turns, beside a hand-written JS loop doing the simplest of them (the baseline).
//    `no { span.amount = 99999 }` reads an attribute of every span; the `>` and `!>` checks are
//    structural selections. --evaluation-only runs this part alone.
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TracecheckClient } from '@tracecheck/client';
import { compileAssertion, parseAssertion, RunGraphBuilder } from '@tracecheck/lang';
import { createResource, createSpan, SpanStore } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { startReceiver } from '@tracecheck/receiver';
import { ColumnarStore } from '@tracecheck/store';

const { values } = parseArgs({
  options: {
    positive: { type: 'string', default: '200' },
    settling: { type: 'string', default: '40' },
    'evaluation-only': { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const self = fileURLToPath(import.meta.url);

let n = 0;
const span = (run, name, extra = {}) =>
  createSpan({ traceId: (++n).toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0'), name, attributes: { 'test.run.id': run, ...extra } });

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (ms) => `${ms.toFixed(2)} ms`;

async function timeToVerdict(receiver, client, kind, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const run = `${kind}-${i}`;
    receiver.store.add([span(run, 'refund.requested')]);
    let arrived;
    const off = receiver.store.subscribe(run, (u) => {
      if (u.spans.some((s) => s.name === 'stripe.refund.create')) arrived = performance.now();
    });
    const assertion = kind === 'positive' ? 'some "stripe.refund.create"' : 'exactly 1 "stripe.refund.create"';
    const verdict = client.check(run, assertion, { timeoutMs: 10_000, settleMs: 300 });
    await new Promise((r) => setTimeout(r, 20)); // the check is waiting
    const res = await fetch(`${receiver.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeProtobufRequest([span(run, 'stripe.refund.create')])) });
    if (res.status !== 200) throw new Error(`export answered ${res.status}`);
    const v = await verdict;
    const done = performance.now();
    off();
    if (!v.pass) throw new Error(`${kind} check failed: ${v.message}`);
    samples.push(done - arrived);
    receiver.store.deleteRun(run);
  }
  return samples.sort((a, b) => a - b);
}

async function timeToVerdictOnBigRun(receiver, client, count, kind = 'positive', options = {}) {
  const big = bigRun();
  for (let i = 0; i < big.length; i += 1000) receiver.store.add(big.slice(i, i + 1000));
  const samples = [];
  for (let i = 0; i < count; i++) {
    const name = `deciding-${i}`;
    let arrived;
    const off = receiver.store.subscribe('big', (u) => {
      if (u.spans.some((s) => s.name === name)) arrived = performance.now();
    });
    const verdict = client.check('big', kind === 'positive' ? `some "${name}"` : `exactly 1 "${name}"`, { timeoutMs: 10_000, settleMs: 300, ...options });
    await new Promise((r) => setTimeout(r, 50));
    const deciding = createSpan({ traceId: 'f'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), name, attributes: { 'test.run.id': 'big' } });
    const res = await fetch(`${receiver.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeProtobufRequest([deciding])) });
    if (res.status !== 200) throw new Error(`export answered ${res.status}`);
    const v = await verdict;
    const done = performance.now();
    off();
    if (!v.pass) throw new Error(`check failed: ${v.message}`);
    samples.push(done - arrived);
  }
  receiver.store.deleteRun('big');
  return samples.sort((a, b) => a - b);
}

function bigRun() {
  const resource = [createResource({ 'service.name': 'api' }), createResource({ 'service.name': 'payments' })];
  const spans = [];
  for (let t = 0; t < 10_000; t++) {
    const traceId = (t + 1).toString(16).padStart(32, '0');
    const start = 1_700_000_000_000_000_000n + BigInt(t) * 1_000_000_000n;
    const rootId = (t * 10 + 1).toString(16).padStart(16, '0');
    for (let i = 0; i < 10; i++) {
      const id = (t * 10 + i + 1).toString(16).padStart(16, '0');
      spans.push(
        createSpan({
          traceId,
          spanId: id,
          parentSpanId: i === 0 ? '' : rootId,
          name: i === 0 ? 'POST /refunds' : ['db.query', 'stripe.refund.create', 'email.send', 'cache.get'][i % 4],
          kind: i === 0 ? 2 : 3,
          startTimeUnixNano: start + BigInt(i) * 1_000_000n,
          endTimeUnixNano: start + BigInt(i) * 1_000_000n + 500_000n,
          attributes: { 'test.run.id': 'big', amount: 2500 + (t % 7), 'http.route': `/v1/refunds/${t}`, retry: i % 3 === 0 },
          status: { code: t % 50 === 0 && i === 2 ? 2 : 0 },
          resource: resource[i % 2],
        }),
      );
    }
  }
  return spans;
}

function median(fn, runs = 7) {
  fn(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** The evaluation rows: each reads the run afresh (runSpans), as a check does, so views' decoding counts. */
const EVALUATIONS = [
  'some "stripe.refund.create"',
  'no { span.amount = 99999 }',
  'exactly 2500 { name = "stripe.refund.create" && span.amount = 2500 }',
  'some { span.http.route =~ "/v1/refunds/1.*" && kind = client }',
  'no { kind = server } > { status = error && name = "email.send" }',
  'at least 1 { name = "email.send" } after "POST /refunds"',
  'some { kind = server } !> { name = "nothing" }',
];
const ROUNDS = 3;

/**
 * Child mode: one store (`object`: plain spans decoded at ingest, as before the columnar store;
 * `columnar`: lazily decoding views, now) holding the 100,000-span run, alone in its process as in a
 * receiver, with the spans it was given dropped; prints the median time of each row as JSON.
 */
function evaluationChild(kind) {
  let spans = bigRun();
  const store = kind === 'object' ? new SpanStore({ maxBytes: 16 * 1024 ** 3 }) : new ColumnarStore({ maxBytes: 16 * 1024 ** 3 });
  for (let i = 0; i < spans.length; i += 1000) store.add(spans.slice(i, i + 1000));
  spans = undefined;
  global.gc();
  // As a check reads a run: the store's own graph when it has one (the columnar store's, over its
  // rows), else the one lang builds over span ids (the object store's case, as before).
  const graphOf = () => {
    const graph = store.runGraph?.('big') ?? new RunGraphBuilder();
    graph.add(store.runSpans('big'));
    return graph.graph();
  };
  const out = {
    baseline: median(() => store.runSpans('big').filter((s) => s.name === 'stripe.refund.create').length),
    'runSpans alone': median(() => store.runSpans('big')),
    "runSpans + the run's trace graph": median(graphOf),
  };
  for (const text of EVALUATIONS) {
    const compiled = compileAssertion(parseAssertion(text));
    out[text] = median(() => compiled.evaluateGraph(graphOf()));
  }
  process.stdout.write(JSON.stringify(out));
}

/**
 * Before and after the columnar store, side by side: the same run read from the object store and
 * from the columnar store, each in a process of its own (as in a receiver, where only one store's
 * data is on the heap: in one process, every full collection during the columnar store's turn would
 * also mark the object store's 100,000 spans). The two take turns, ROUNDS times each; each row's
 * time is the least of its turns' medians (the turn least disturbed by the shared machine).
 */
async function evaluationFigures() {
  const turns = { object: [], columnar: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['object', 'columnar']) {
      turns[kind].push(JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, '--child', kind], { encoding: 'utf8', maxBuffer: 1e6 })));
    }
  }
  const least = (kind, row) => Math.min(...turns[kind].map((t) => t[row]));
  console.log(`\nevaluation over one run of 100000 spans (10000 traces), each store in its own process, ${ROUNDS} turns each, the least of the turns' medians of 7, each reading the run afresh:`);
  console.log(`  ${'baseline: runSpans + JS filter on name (object store)'.padEnd(70)} ${fmt(least('object', 'baseline')).padStart(10)}`);
  console.log(`  ${''.padEnd(70)} ${'object store'.padStart(12)} ${'columnar'.padStart(10)} ${'columnar/object'.padStart(16)}`);
  for (const row of Object.keys(turns.object[0]).filter((r) => r !== 'baseline')) {
    const before = least('object', row);
    const after = least('columnar', row);
    console.log(`  ${row.padEnd(70)} ${fmt(before).padStart(12)} ${fmt(after).padStart(10)} ${`${(after / before).toFixed(2)}x`.padStart(16)}`);
  }
}

if (values.child) {
  evaluationChild(values.child);
  process.exit(0);
}
if (values['evaluation-only']) {
  await evaluationFigures();
  process.exit(0);
}

const receiver = await startReceiver({ httpPort: 0, grpcPort: false, limits: { maxMemoryBytes: 4 * 1024 ** 3 } });
try {
  const client = new TracecheckClient({ url: receiver.httpUrl });
  console.log(`tracecheck verdict benchmark, node ${process.version}\n`);
  console.log('time to verdict (deciding span stored -> client has the verdict):');
  for (const [kind, count] of [['positive', Number(values.positive)], ['settling', Number(values.settling)]]) {
    const s = await timeToVerdict(receiver, client, kind, count);
    const extra = kind === 'settling' ? `   (beyond the 300 ms settle window: p50 ${fmt(percentile(s, 50) - 300)}, p99 ${fmt(percentile(s, 99) - 300)})` : '';
    console.log(`  ${kind.padEnd(9)} n=${count}  p50 ${fmt(percentile(s, 50))}  p99 ${fmt(percentile(s, 99))}  max ${fmt(s.at(-1))}${extra}`);
  }

  const big = await timeToVerdictOnBigRun(receiver, client, 20);
  console.log(`  positive on a 100,000-span run  n=20  p50 ${fmt(percentile(big, 50))}  p99 ${fmt(percentile(big, 99))}  max ${fmt(big.at(-1))}`);
  // Settling checks look for work in flight (parents, consumers, open spans) on each evaluation that
  // holds: the cost shows on a big run, beside the same check with the in-flight reasons off.
  for (const [label, options] of [['in-flight on', {}], ['in-flight off (caps 0)', { parentCapMs: 0, consumerCapMs: 0, openCapMs: 0 }]]) {
    const s = await timeToVerdictOnBigRun(receiver, client, 10, 'settling', options);
    console.log(`  settling on a 100,000-span run, ${label.padEnd(22)} n=10  p50 ${fmt(percentile(s, 50))}  p99 ${fmt(percentile(s, 99))}   (beyond the window: p50 ${fmt(percentile(s, 50) - 300)})`);
  }

  await evaluationFigures();
} finally {
  await receiver.stop();
}
