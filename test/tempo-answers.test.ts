import { afterAll, describe, expect, it } from 'vitest';
import { TempoChecker, TempoRequestError, TempoSource, type TempoOptions } from '@tracecheck/tempo';
import { TempoSim, type TempoSimBehaviour } from './tempo-sim/sim.js';
import { exportTo, hex, sleep, span, zeroLedTraceId } from './tempo-sim/spans.js';

// Each kind of answer Tempo gives, through TempoSource on the simulator: what the source makes of it
// (a poll is complete only when everything Tempo should show was read), and what a check then decides.
// The simulator here has no cutoff and no idle wait: a search sees a span from the next whole second.
// Every test has a simulator of its own, so they run at once.

const LAG_MS = 1100;
const sims: TempoSim[] = [];
const sources: TempoSource[] = [];
const checkers: TempoChecker[] = [];

async function simWith(behaviour: Partial<TempoSimBehaviour> = {}): Promise<TempoSim> {
  const sim = new TempoSim(behaviour);
  await sim.start();
  sims.push(sim);
  return sim;
}

function options(sim: TempoSim, extra: Partial<TempoOptions> = {}): TempoOptions {
  return { url: sim.url, visibilityLagMs: LAG_MS, pollIntervalMs: 50, horizonGraceMs: 200, ...extra };
}

function sourceFor(sim: TempoSim, run: string, extra: Partial<TempoOptions> = {}): TempoSource {
  const s = new TempoSource(run, options(sim, extra));
  sources.push(s);
  return s;
}

function checkerFor(sim: TempoSim, extra: Partial<TempoOptions> = {}): TempoChecker {
  const c = new TempoChecker(options(sim, extra));
  checkers.push(c);
  return c;
}

/** Waits until a search can see what was written (the next whole second, plus a little). */
const searchable = () => sleep(1100);

afterAll(async () => {
  for (const s of sources.splice(0)) s.close();
  for (const c of checkers.splice(0)) c.close();
  for (const s of sims.splice(0)) await s.stop();
});

describe.concurrent('search answers', () => {
  it('puts back the leading zeros Tempo strips from trace ids, and fetches the trace by its full id', async () => {
    const sim = await simWith();
    const run = `zeros-${hex(3)}`;
    const t = zeroLedTraceId();
    await exportTo([sim.url], [span({ name: 'a', traceId: t, run })]);
    await searchable();
    const source = sourceFor(sim, run);
    const poll = await source.refresh();
    expect(poll.complete).toBe(true);
    expect(source.spans().map((s) => s.traceId)).toEqual([t]);
    expect(sim.requests.some((r) => r.path === `/api/v2/traces/${t}`)).toBe(true);
    // and the search answer did strip them
    expect(sim.requests.filter((r) => r.path === '/api/search').every((r) => r.status === 200)).toBe(true);
  });

  it('sends the run queries with start/end in seconds, spss=1 and a large limit', async () => {
    const sim = await simWith();
    const source = sourceFor(sim, 'shape-run', { since: Date.parse('2026-01-01T00:00:00Z') });
    await source.refresh();
    const searches = sim.requests.filter((r) => r.path === '/api/search');
    expect(searches.map((r) => r.query.get('q'))).toEqual(['{ span.test.run.id = "shape-run" }', '{ resource.test.run.id = "shape-run" }']);
    for (const r of searches) {
      expect(r.query.get('spss')).toBe('1');
      expect(r.query.get('limit')).toBe('10000');
      expect(r.query.get('start')).toBe(String(Date.parse('2026-01-01T00:00:00Z') / 1000 - 1));
      expect(Number(r.query.get('end'))).toBeGreaterThan(Date.now() / 1000);
    }
  });

  it('lowers the limit to Tempo’s max_result_limit when a larger one is refused with a 400', async () => {
    const sim = await simWith({ maxResultLimit: 500 });
    const run = `limit-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'a', traceId: hex(16), run })]);
    await searchable();
    const source = sourceFor(sim, run);
    const poll = await source.refresh();
    expect(poll.complete).toBe(true);
    expect(source.spans()).toHaveLength(1);
    const limits = sim.requests.filter((r) => r.path === '/api/search').map((r) => [r.query.get('limit'), r.status]);
    expect(limits).toContainEqual(['10000', 400]);
    expect(limits).toContainEqual(['500', 200]);
    expect(source.notesSince(0).join('\n')).toMatch(/max_result_limit is 500/);
  });

  it('searches again in narrower time windows when an answer fills the limit, and finds every trace', async () => {
    const sim = await simWith();
    const run = `bisect-${hex(3)}`;
    // Three traces minutes apart: each half of the window holds fewer than the limit.
    await exportTo([sim.url], [span({ name: 'a', traceId: hex(16), run, atMs: -20 * 60_000 }), span({ name: 'b', traceId: hex(16), run, atMs: -10 * 60_000 }), span({ name: 'c', traceId: hex(16), run })]);
    await searchable();
    const source = sourceFor(sim, run, { searchLimit: 2 });
    const poll = await source.refresh();
    expect(poll.complete).toBe(true);
    expect(source.spans().map((s) => s.name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a result as long as the limit that no narrower window splits is "maybe truncated": incomplete, and the verdict says so', async () => {
    const sim = await simWith();
    const run = `trunc-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'a', traceId: hex(16), run }), span({ name: 'b', traceId: hex(16), run }), span({ name: 'c', traceId: hex(16), run })]);
    await searchable();
    const source = sourceFor(sim, run, { searchLimit: 2 });
    expect((await source.refresh()).complete).toBe(false);
    const checker = checkerFor(sim, { searchLimit: 2 });
    const v = await checker.check(run, 'no "d"', { timeoutMs: 3000, settleMs: 100 });
    expect(v).toMatchObject({ pass: false, reason: 'never-settled' });
    expect(v.warnings.join('\n')).toMatch(/returned as many traces as its limit \(2\).*cut short/);
  });
});

describe.concurrent('trace-by-id answers', () => {
  it('reads v2 protobuf (TraceByIDResponse) and v1 protobuf (Trace) alike', async () => {
    const sim = await simWith();
    const run = `proto-${hex(3)}`;
    const t = hex(16);
    const root = hex(8);
    await exportTo([sim.url], [span({ name: 'root', traceId: t, spanId: root, run, attributes: { amount: 2500 } }), span({ name: 'child', traceId: t, parent: root, links: [{ traceId: hex(16), spanId: hex(8) }] })]);
    await searchable();
    const v2 = sourceFor(sim, run);
    const v1 = sourceFor(sim, run, { traceApi: 'v1' });
    await v2.refresh();
    await v1.refresh();
    expect(v2.spans()).toHaveLength(2);
    expect(v1.spans()).toEqual(v2.spans());
    expect(sim.requests.some((r) => r.path === `/api/traces/${t}` && r.headers.accept === 'application/protobuf')).toBe(true);
  });

  it('reads JSON answers from a gateway that ignores Accept: v2 `{trace: {resourceSpans}}` and v1 `{batches}`, base64 ids', async () => {
    const sim = await simWith();
    const run = `json-${hex(3)}`;
    const t = hex(16);
    const root = hex(8);
    await exportTo([sim.url], [span({ name: 'root', traceId: t, spanId: root, run }), span({ name: 'child', traceId: t, parent: root, links: [{ traceId: hex(16), spanId: hex(8) }] })]);
    await searchable();
    const jsonOnly: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), accept: 'application/json' } });
    const reference = sourceFor(sim, run);
    const v2 = sourceFor(sim, run, { fetch: jsonOnly });
    const v1 = sourceFor(sim, run, { fetch: jsonOnly, traceApi: 'v1' });
    for (const s of [reference, v2, v1]) expect((await s.refresh()).complete).toBe(true);
    const key = (s: TempoSource) => s.spans().map((x) => [x.traceId, x.spanId, x.parentSpanId, x.name, x.links.map((l) => l.traceId + l.spanId)]);
    expect(key(v2)).toEqual(key(reference));
    expect(key(v1)).toEqual(key(reference));
    const v1Body = (await (await fetch(`${sim.url}/api/traces/${t}`, { headers: { accept: 'application/json' } })).json()) as object;
    expect(Object.keys(v1Body)).toEqual(['batches']);
  });

  for (const v2NotFound of ['404', 'empty'] as const) {
    it(`v2 answering ${v2NotFound === '404' ? '404' : '200 with an empty trace'} for a link target Tempo does not hold: absent, the poll is complete`, async () => {
      const sim = await simWith({ v2NotFound });
      const run = `absent-${hex(3)}`;
      const missing = hex(16);
      await exportTo([sim.url], [span({ name: 'consumer', traceId: hex(16), run, links: [{ traceId: missing, spanId: hex(8) }] })]);
      await searchable();
      const source = sourceFor(sim, run);
      const poll = await source.refresh();
      expect(poll.complete).toBe(true);
      expect(sim.requests.find((r) => r.path === `/api/v2/traces/${missing}`)?.status).toBe(v2NotFound === '404' ? 404 : 200);
    });

    it(`a trace the search found that v2 answers ${v2NotFound === '404' ? '404' : 'empty'} for is "not yet", never 0 spans: no negative check passes on it`, async () => {
      const sim = await simWith();
      const run = `notyet-${hex(3)}`;
      const t = hex(16);
      await exportTo([sim.url], [span({ name: 'POST /orders', traceId: t, run }), span({ name: 'charge', traceId: t, run })]);
      await searchable();
      const until = Date.now() + 3500;
      sim.inject({ route: 'trace-v2', status: 404, ...(v2NotFound === 'empty' ? { emptyTrace: true } : {}), untilMs: until, when: (u) => u.pathname.endsWith(t) });
      const checker = checkerFor(sim);
      const v = await checker.check(run, 'no "charge"', { timeoutMs: 8000, settleMs: 100 });
      // Without the faults this would have passed (wrongly) at about settle + 2 × lag; it failed when Tempo served the trace.
      expect(v).toMatchObject({ pass: false, reason: 'hopeless', count: 1 });
      expect(Date.now()).toBeGreaterThanOrEqual(until);
      expect(v.warnings.join('\n')).toMatch(new RegExp(`trace ${t} was found by search, but Tempo answered ${v2NotFound === '404' ? '404' : '200 with an empty trace'}`));
    });
  }

  it('a PARTIAL trace (v2, over max_bytes_per_trace): its spans count for a positive check; a negative check cannot settle on it', async () => {
    const sim = await simWith({ maxSpansPerTrace: 2 });
    const run = `partial-${hex(3)}`;
    const t = hex(16);
    await exportTo([sim.url], [span({ name: 'a', traceId: t, run }), span({ name: 'b', traceId: t, run }), span({ name: 'c', traceId: t, run })]);
    await searchable();
    const source = sourceFor(sim, run);
    expect((await source.refresh()).complete).toBe(false);
    expect(source.spans()).toHaveLength(2);
    const checker = checkerFor(sim);
    const [positive, negative] = await Promise.all([checker.check(run, 'some "a"', { timeoutMs: 3000 }), checker.check(run, 'no "zzz"', { timeoutMs: 3000, settleMs: 100 })]);
    expect(positive).toMatchObject({ pass: true, reason: 'held' });
    expect(negative).toMatchObject({ pass: false, reason: 'never-settled' });
    expect(negative.warnings.join('\n')).toMatch(/PARTIAL \("Trace exceeds maximum size of 2 bytes, a partial trace is returned"\)/);
  });

  it('a 422 (v1, trace too large): not read as an empty trace; the verdict says why it could not settle', async () => {
    const sim = await simWith({ maxSpansPerTrace: 1 });
    const run = `toolarge-${hex(3)}`;
    const t = hex(16);
    await exportTo([sim.url], [span({ name: 'a', traceId: t, run }), span({ name: 'b', traceId: t, run })]);
    await searchable();
    const checker = checkerFor(sim, { traceApi: 'v1' });
    const v = await checker.check(run, 'no "zzz"', { timeoutMs: 3000, settleMs: 100 });
    expect(v.pass).toBe(false);
    expect(v.warnings.join('\n')).toMatch(/larger than its max_bytes_per_trace \(422\)/);
    expect(sim.requests.filter((r) => r.path === `/api/traces/${t}`).every((r) => r.status === 422)).toBe(true);
  });
});

describe.concurrent('errors: retried with backoff, never read as "no spans"', () => {
  it('429 with Retry-After: the source waits as told, the check does not pass during it, and the verdict says so', async () => {
    const sim = await simWith();
    const run = `ratelimit-${hex(3)}`;
    const t = hex(16);
    await exportTo([sim.url], [span({ name: 'POST /orders', traceId: t, run })]);
    await searchable();
    const checker = checkerFor(sim);
    await checker.source(run).start(); // the trace is known before Tempo starts refusing
    sim.inject({ route: 'any', status: 429, retryAfterSec: 1, untilMs: Date.now() + 3000 });
    // The duplicate charge is written while Tempo refuses every request.
    await exportTo([sim.url], [span({ name: 'charge', traceId: t, run })]);
    const started = Date.now();
    const v = await checker.check(run, 'no "charge"', { timeoutMs: 9000, settleMs: 100 });
    expect(v).toMatchObject({ pass: false, reason: 'hopeless', count: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    expect(v.warnings.join('\n')).toMatch(/429 \(too many requests\).*never as no spans \(Retry-After honoured\)/);
    // Retry-After: 1 s spaced the polls while refused (one span-level run search per poll).
    const refused = sim.requests.filter((r) => r.status === 429 && r.path === '/api/search' && r.query.get('q')?.startsWith('{ span.')).map((r) => r.at);
    const gaps = refused.slice(1).map((at, i) => at - refused[i]!);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
  });

  it('a lagging live store ("cannot guarantee complete results", 5xx): retried, not an empty answer', async () => {
    const sim = await simWith();
    const run = `lagerr-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'POST /orders', traceId: hex(16), run })]);
    await searchable();
    sim.inject({ route: 'search', status: 500, body: 'Search: cannot guarantee complete results', times: 4 });
    const checker = checkerFor(sim);
    const v = await checker.check(run, 'no "charge"', { timeoutMs: 8000, settleMs: 100 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    expect(v.warnings.join('\n')).toMatch(/live store was behind its ingest queue \("cannot guarantee complete results"\)/);
  });

  it('a missing trace behind a lagging search does not make `no` pass: it waits out the lag', async () => {
    // The search lags 2 s (query_end_cutoff); the check is told the lag; the effect's trace is written just before the check.
    const sim = await simWith({ queryEndCutoffMs: 2000 });
    const run = `lagging-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'POST /cancel', traceId: hex(16), run, atMs: -5000 })]);
    await sleep(1100);
    const checker = checkerFor(sim, { visibilityLagMs: 3200 });
    await exportTo([sim.url], [span({ name: 'charge', traceId: hex(16), run })]);
    const v = await checker.check(run, 'no "charge"', { timeoutMs: 12_000, settleMs: 100 });
    expect(v).toMatchObject({ pass: false, reason: 'hopeless', count: 1 });
  });

  it('unreachable Tempo, and a tenant header missing, reject before any waiting', async () => {
    const closed = await simWith();
    const url = closed.url;
    await closed.stop();
    const err1 = await new TempoChecker({ url, pollIntervalMs: 50 }).check('r', 'some "x"').catch((e: unknown) => e);
    expect(err1).toBeInstanceOf(TempoRequestError);
    expect((err1 as TempoRequestError).kind).toBe('unreachable');

    const sim = await simWith({ requireTenant: true });
    const err2 = await checkerFor(sim).check('r', 'some "x"').catch((e: unknown) => e);
    expect((err2 as TempoRequestError).kind).toBe('refused');
    expect((err2 as TempoRequestError).message).toMatch(/401.*no org id/);
  });

  it('sends --tempo-header headers (X-Scope-OrgID) with every request, and sees only that tenant', async () => {
    const sim = await simWith({ requireTenant: true });
    const run = `tenant-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'mine', traceId: hex(16), run })], { 'X-Scope-OrgID': 'team-a' });
    await exportTo([sim.url], [span({ name: 'theirs', traceId: hex(16), run })], { 'X-Scope-OrgID': 'team-b' });
    await searchable();
    const checker = checkerFor(sim, { headers: { 'X-Scope-OrgID': 'team-a' } });
    const v = await checker.check(run, 'exactly 1 { name =~ ".*" }', { timeoutMs: 8000, settleMs: 100 });
    expect(v).toMatchObject({ pass: true, count: 1 });
    expect(v.matches.map((m) => m.name)).toEqual(['mine']);
    expect(sim.requests.filter((r) => r.path !== '/v1/traces').every((r) => r.headers['x-scope-orgid'] === 'team-a')).toBe(true);
  });
});

describe.concurrent('version and names', () => {
  it('takes the default lag from Tempo’s version (buildinfo): 3.x 35 s, 2.x 20 s, unknown 3.x', async () => {
    for (const [version, lag] of [
      ['3.0.3', 35_000],
      ['v2.9.1', 20_000],
      ['main-abc123', 35_000],
    ] as const) {
      const sim = await simWith({ version });
      const s = sourceFor(sim, 'v', { visibilityLagMs: undefined });
      await s.start();
      expect([version, s.lagMs]).toEqual([version, lag]);
    }
  });

  it('typo hints know the span names Tempo holds (tag values of `name`)', async () => {
    const sim = await simWith();
    await exportTo([sim.url], [span({ name: 'stripe.refund.create', traceId: hex(16), run: 'someone-else' })]);
    await searchable();
    const checker = checkerFor(sim);
    const run = `names-${hex(3)}`;
    await exportTo([sim.url], [span({ name: 'POST /refunds', traceId: hex(16), run })]);
    await searchable();
    const v = await checker.check(run, 'no "stripe.refund.create"', { timeoutMs: 8000, settleMs: 100 });
    expect(v.pass).toBe(true);
    expect(v.warnings.join('\n')).not.toMatch(/no span named/);
    expect(sim.requests.some((r) => r.path === '/api/v2/search/tag/name/values')).toBe(true);
  });
});

describe.concurrent('closeRun re-verifies settled passes on what Tempo holds at the end', () => {
  it('overturns a settled pass contradicted by a span written after it', async () => {
    const sim = await simWith();
    const run = `close-${hex(3)}`;
    const t = hex(16);
    await exportTo([sim.url], [span({ name: 'warehouse.webhook', traceId: t, run })]);
    await searchable();
    const checker = checkerFor(sim);
    const v = await checker.check(run, 'exactly 1 "warehouse.webhook"', { timeoutMs: 8000, settleMs: 100, parentCapMs: 0, consumerCapMs: 0 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    await exportTo([sim.url], [span({ name: 'warehouse.webhook', traceId: t, run })]);
    const closed = await checker.closeRun(run, { settleMs: 100, timeoutMs: 8000 });
    expect(closed.settled).toBe(true);
    expect(closed.checks).toBe(1);
    expect(closed.overturned).toHaveLength(1);
    expect(closed.overturned[0]!.message).toMatch(/OVERTURNED at the end of run/);
  });
});
