import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckVerdict, TracecheckClient } from '@tracecheck/client';
import { SpanKind, type Span } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { TempoChecker } from '@tracecheck/tempo';
import { TempoSim } from './tempo-sim/sim.js';
import { exportTo, hex, sleep, span, zeroLedTraceId } from './tempo-sim/spans.js';

// The differential suite: every deciding scenario of the embedded receiver, played at once into the
// receiver and into the Tempo simulator (one tee, as a Collector exporting to both would), decided by
// the receiver's POST /api/check and by TempoChecker on the simulator: the verdicts must agree (pass,
// reason, count, the spans matched). The simulator lags as Tempo does, scaled down: a search sees a trace
// only once its live trace was cut (idle 60 ms, checked every 30 ms) and 200 ms after its spans
// (query_end_cutoff), at one-second resolution (the API's start/end are seconds): about 1.3 s at most.

const LAG_MS = 1500;
const BASE = { settleMs: 150, timeoutMs: 12_000 };

interface Step {
  atMs: number;
  spans: () => Span[];
}
interface Plan {
  before?: () => Span[];
  steps?: Step[];
  /** Other runs' spans, exported alongside (concurrent runs). */
}
interface Scenario {
  name: string;
  assertion: (run: string) => string;
  options?: Partial<typeof BASE> & { parentCapMs?: number; consumerCapMs?: number; openCapMs?: number };
  plan: (run: string) => Plan;
  expected: { pass: boolean; reason: CheckVerdict['reason']; count?: number };
  /** Compare pass and reason only (the count at a timeout depends on when each source last looked). */
  verdictOnly?: boolean;
}

const trace = (): string => hex(16);
const id = (): string => hex(8);

const scenarios: Scenario[] = [
  {
    name: 'a positive check passes the moment its span arrives',
    assertion: () => 'some "stripe.refund.create"',
    plan: (run) => {
      const t = trace();
      const root = id();
      return {
        before: () => [span({ name: 'refund.requested', traceId: t, spanId: root, run })],
        steps: [{ atMs: 300, spans: () => [span({ name: 'stripe.refund.create', traceId: t, parent: root, run })] }],
      };
    },
    expected: { pass: true, reason: 'held', count: 1 },
  },
  {
    name: 'a positive check whose span never comes times out',
    assertion: () => 'some "nope"',
    options: { timeoutMs: 3000 },
    plan: (run) => ({ before: () => [span({ name: 'refund.requested', traceId: trace(), run })] }),
    expected: { pass: false, reason: 'timeout', count: 0 },
  },
  {
    name: 'exactly 1 fails early on a duplicate in the same trace',
    assertion: () => 'exactly 1 "warehouse.webhook"',
    // The duplicate comes well within the settle window, so the receiver cannot pass first even on a loaded machine.
    options: { settleMs: 800 },
    plan: (run) => {
      const t = trace();
      const root = id();
      return {
        before: () => [span({ name: 'POST /refunds', traceId: t, spanId: root, run }), span({ name: 'warehouse.webhook', traceId: t, parent: root })],
        steps: [{ atMs: 100, spans: () => [span({ name: 'warehouse.webhook', traceId: t, parent: root })] }],
      };
    },
    expected: { pass: false, reason: 'hopeless', count: 2 },
  },
  {
    name: 'a duplicate in a new trace within the settle window fails exactly 1 (the lagging search must not let it pass first)',
    assertion: () => 'exactly 1 "email.send"',
    options: { settleMs: 1000 },
    plan: (run) => ({
      before: () => [span({ name: 'email.send', traceId: trace(), run })],
      steps: [{ atMs: 250, spans: () => [span({ name: 'email.send', traceId: zeroLedTraceId(), run })] }],
    }),
    expected: { pass: false, reason: 'hopeless', count: 2 },
  },
  {
    name: 'no passes once the run is quiet for the settle window',
    assertion: () => 'no "charge"',
    plan: (run) => {
      const t = trace();
      return {
        before: () => [span({ name: 'POST /subscriptions/cancel', traceId: t, run })],
        steps: [100, 200, 300].map((atMs) => ({ atMs, spans: () => [span({ name: 'audit.log', traceId: t, run })] })),
      };
    },
    expected: { pass: true, reason: 'settled', count: 0 },
  },
  {
    name: 'after: the effect after its anchor, settled',
    assertion: () => 'exactly 1 "stripe.refund.create" after "refund.requested"',
    plan: (run) => {
      const t = trace();
      return { before: () => [span({ name: 'refund.requested', traceId: t, run, atMs: -50, durationMs: 1 }), span({ name: 'stripe.refund.create', traceId: t, run })] };
    },
    expected: { pass: true, reason: 'settled', count: 1 },
  },
  {
    name: 'in flight: a parent still open (a job waiting out a retry backoff) brings a second webhook after the quiet window',
    assertion: () => 'exactly 1 "fulfillment.webhook.send"',
    options: { parentCapMs: 8000 },
    plan: (run) => {
      const t = trace();
      const job = id();
      return {
        before: () => [span({ name: 'fulfillment.webhook.send', traceId: t, parent: job, run })],
        // Later than the Tempo check's own quiet wait (settle + twice the lag): only waiting for the parent catches it.
        steps: [{ atMs: 4000, spans: () => [span({ name: 'fulfillment.webhook.send', traceId: t, parent: job, run }), span({ name: 'process fulfillment', traceId: t, spanId: job, run, atMs: -4100, durationMs: 4100 })] }],
      };
    },
    expected: { pass: false, reason: 'hopeless', count: 2 },
  },
  {
    name: 'in flight: a parent that arrives late, with nothing more, lets exactly 1 settle',
    assertion: () => 'exactly 1 "email.send"',
    options: { parentCapMs: 5000 },
    plan: (run) => {
      const t = trace();
      const job = id();
      return {
        before: () => [span({ name: 'email.send', traceId: t, parent: job, run })],
        steps: [{ atMs: 700, spans: () => [span({ name: 'job', traceId: t, spanId: job, run, atMs: -800, durationMs: 800 })] }],
      };
    },
    expected: { pass: true, reason: 'settled', count: 1 },
  },
  {
    name: 'in flight: a producer awaiting its consumer (a new, untagged trace linking to it) within the consumer cap',
    assertion: () => 'no "email.send"',
    // The consumer comes after the Tempo check's quiet wait and within the cap, but a lag later on Tempo:
    // only a cap counted on Tempo's horizon waits for it.
    options: { consumerCapMs: 5000 },
    plan: (run) => {
      const t = trace();
      const producer = id();
      return {
        before: () => [span({ name: 'send email-jobs', traceId: t, spanId: producer, run, kind: SpanKind.PRODUCER })],
        steps: [
          {
            atMs: 4000,
            spans: () => {
              const c = trace();
              const consumer = id();
              return [
                span({ name: 'process email-jobs', traceId: c, spanId: consumer, kind: SpanKind.CONSUMER, links: [{ traceId: t, spanId: producer }], service: 'worker' }),
                span({ name: 'email.send', traceId: c, parent: consumer, service: 'worker' }),
              ];
            },
          },
        ],
      };
    },
    expected: { pass: false, reason: 'hopeless', count: 1 },
  },
  {
    name: 'in flight: a consumer that never comes is waited for up to its cap',
    assertion: () => 'no "email.send"',
    options: { consumerCapMs: 600 },
    plan: (run) => ({ before: () => [span({ name: 'send analytics-events', traceId: trace(), run, kind: SpanKind.PRODUCER })] }),
    expected: { pass: true, reason: 'settled', count: 0 },
  },
  {
    name: 'in flight at the timeout: a consumer still awaited (within its cap) when the time is up',
    assertion: () => 'no "email.send"',
    options: { consumerCapMs: 20_000, timeoutMs: 3500 },
    plan: (run) => ({ before: () => [span({ name: 'send email-jobs', traceId: trace(), run, kind: SpanKind.PRODUCER })] }),
    expected: { pass: false, reason: 'in-flight', count: 0 },
  },
  {
    name: 'links across traces: an untagged consumer trace joins the run through its link',
    assertion: () => 'some "worker.process"',
    plan: (run) => {
      const t = zeroLedTraceId();
      const producer = id();
      return {
        before: () => [span({ name: 'send jobs', traceId: t, spanId: producer, run, kind: SpanKind.PRODUCER })],
        steps: [
          {
            atMs: 200,
            spans: () => {
              const c = zeroLedTraceId();
              const consumer = id();
              return [span({ name: 'process jobs', traceId: c, spanId: consumer, kind: SpanKind.CONSUMER, links: [{ traceId: t, spanId: producer }] }), span({ name: 'worker.process', traceId: c, parent: consumer })];
            },
          },
        ],
      };
    },
    expected: { pass: true, reason: 'held', count: 1 },
  },
  {
    name: 'links, two hops: a consumer of a consumer belongs to the run, and is counted',
    assertion: () => 'exactly 2 { kind = consumer }',
    plan: (run) => {
      const a = trace();
      const pa = id();
      return {
        before: () => {
          const b = trace();
          const cb = id();
          const c = trace();
          return [
            span({ name: 'send a', traceId: a, spanId: pa, run, kind: SpanKind.PRODUCER }),
            span({ name: 'process a', traceId: b, spanId: cb, kind: SpanKind.CONSUMER, links: [{ traceId: a, spanId: pa }] }),
            span({ name: 'process b', traceId: c, kind: SpanKind.CONSUMER, links: [{ traceId: b, spanId: cb }] }),
          ];
        },
      };
    },
    expected: { pass: true, reason: 'settled', count: 2 },
  },
  {
    name: 'a run tagged on its resource',
    assertion: () => 'one "batch.import"',
    plan: (run) => ({ before: () => [span({ name: 'batch.import', traceId: trace(), resourceRun: run, service: 'batch' })] }),
    expected: { pass: true, reason: 'settled', count: 1 },
  },
  {
    name: 'structure: a server span with a db child',
    assertion: () => 'some { kind = server } > { name = "db.query" }',
    plan: (run) => {
      const t = trace();
      const root = id();
      return { before: () => [span({ name: 'GET /orders', traceId: t, spanId: root, run, kind: SpanKind.SERVER }), span({ name: 'db.query', traceId: t, parent: root })] };
    },
    expected: { pass: true, reason: 'held', count: 1 },
  },
  {
    name: 'a run that never sent a span',
    assertion: () => 'some "anything"',
    options: { timeoutMs: 2500 },
    plan: () => ({}),
    expected: { pass: false, reason: 'empty-run', count: 0 },
  },
  {
    name: 'spans that keep arriving until the timeout never settle',
    assertion: () => 'at most 100 "tick"',
    // A tick every 80 ms against a 600 ms settle window: quiet never comes, even on a loaded machine.
    options: { timeoutMs: 3500, settleMs: 600 },
    plan: (run) => {
      const t = trace();
      return { before: () => [span({ name: 'tick', traceId: t, run })], steps: Array.from({ length: 50 }, (_, i) => ({ atMs: 80 * (i + 1), spans: () => [span({ name: 'tick', traceId: t, run })] })) };
    },
    expected: { pass: false, reason: 'never-settled' },
    verdictOnly: true,
  },
];

describe('the embedded receiver and TempoSource on the Tempo simulator decide alike', () => {
  let receiver: Receiver;
  let client: TracecheckClient;
  let sim: TempoSim;
  let tempo: TempoChecker;

  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
    client = new TracecheckClient({ url: receiver.httpUrl });
    sim = new TempoSim({ queryEndCutoffMs: 200, maxTraceIdleMs: 60, flushCheckPeriodMs: 30 });
    await sim.start();
    tempo = new TempoChecker({ url: sim.url, visibilityLagMs: LAG_MS, pollIntervalMs: 100, horizonGraceMs: 300 });
  });
  afterAll(async () => {
    tempo.close();
    await sim.stop();
    await receiver.stop();
  });

  const summary = (v: CheckVerdict) => ({ pass: v.pass, reason: v.reason, count: v.count, matches: v.matches.map((m) => `${m.traceId}/${m.spanId}`).sort() });

  async function play(s: Scenario, run: string): Promise<{ receiver: CheckVerdict; tempo: CheckVerdict }> {
    const plan = s.plan(run);
    const both = [receiver.httpUrl, sim.url];
    if (plan.before) await exportTo(both, plan.before());
    const started = Date.now();
    const emitting = (async () => {
      for (const step of plan.steps ?? []) {
        await sleep(started + step.atMs - Date.now());
        await exportTo(both, step.spans());
      }
    })();
    const options = { ...BASE, ...s.options };
    const [r, t] = await Promise.all([client.check(run, s.assertion(run), options), tempo.check(run, s.assertion(run), options)]);
    await emitting;
    return { receiver: r, tempo: t };
  }

  it.concurrent.each(scenarios.map((s, i) => [s.name, s, i] as const))('%s', async (_name, s, i) => {
    const run = `diff-${i}-${hex(3)}`;
    const v = await play(s, run);
    expect(summary(v.receiver), v.receiver.message).toMatchObject(s.expected);
    const pick = (v: CheckVerdict) => (s.verdictOnly ? { pass: v.pass, reason: v.reason } : summary(v));
    expect(pick(v.tempo), v.tempo.message).toEqual(pick(v.receiver));
  });

  it.concurrent('an aborted check rejects with the signal’s reason on both', async () => {
    const run = `diff-abort-${hex(3)}`;
    await exportTo([receiver.httpUrl, sim.url], [span({ name: 'POST /x', traceId: trace(), run })]);
    const reason = new Error('the test gave up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 300);
    const options = { ...BASE, settleMs: 5000, signal: controller.signal };
    const results = await Promise.allSettled([client.check(run, 'no "charge"', options), tempo.check(run, 'no "charge"', options)]);
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.value))).toEqual([reason, reason]);
  });

  it.concurrent('re-verification: a settled pass that a later span contradicts is overturned when the run is closed, on both', async () => {
    const run = `diff-close-${hex(3)}`;
    const t = trace();
    const both = [receiver.httpUrl, sim.url];
    await exportTo(both, [span({ name: 'warehouse.webhook', traceId: t, run })]);
    const options = { ...BASE, parentCapMs: 0, consumerCapMs: 0 };
    const passes = await Promise.all([client.check(run, 'exactly 1 "warehouse.webhook"', options), tempo.check(run, 'exactly 1 "warehouse.webhook"', options)]);
    expect(passes.map((v) => [v.pass, v.reason])).toEqual([
      [true, 'settled'],
      [true, 'settled'],
    ]);
    await exportTo(both, [span({ name: 'warehouse.webhook', traceId: t, run })]);
    const closed = await Promise.all([client.closeRun(run, { settleMs: 150 }), tempo.closeRun(run, { settleMs: 150 })]);
    expect(closed.map((c) => [c.settled, c.checks, c.overturned.length])).toEqual([
      [true, 1, 1],
      [true, 1, 1],
    ]);
    expect(closed[1]!.overturned[0]!.by?.spanId).toBe(closed[0]!.overturned[0]!.by?.spanId);
  });

  it.concurrent('concurrent runs with the same span names stay apart', async () => {
    const a = `diff-a-${hex(3)}`;
    const b = `diff-b-${hex(3)}`;
    const both = [receiver.httpUrl, sim.url];
    await exportTo(both, [span({ name: 'order.placed', traceId: trace(), run: a }), span({ name: 'order.placed', traceId: trace(), run: b })]);
    const later = sleep(200).then(() => exportTo(both, [span({ name: 'order.placed', traceId: trace(), run: a })]));
    const checks = await Promise.all([
      client.check(a, 'exactly 2 "order.placed"', BASE),
      tempo.check(a, 'exactly 2 "order.placed"', BASE),
      client.check(b, 'exactly 1 "order.placed"', BASE),
      tempo.check(b, 'exactly 1 "order.placed"', BASE),
    ]);
    await later;
    expect(checks.map((v) => [v.pass, v.reason, v.count])).toEqual([
      [true, 'settled', 2],
      [true, 'settled', 2],
      [true, 'settled', 1],
      [true, 'settled', 1],
    ]);
    expect(summary(checks[1]!)).toEqual(summary(checks[0]!));
    expect(summary(checks[3]!)).toEqual(summary(checks[2]!));
  });
});
