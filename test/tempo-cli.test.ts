import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';
import { TempoSim } from './tempo-sim/sim.js';
import { exportTo, hex, sleep, span } from './tempo-sim/spans.js';

// `tracecheck check --tempo URL` (the built CLI, as users run it) against the Tempo simulator, with a
// tenant header: a pass, a failure with Tempo's notes, and the ways the command refuses to start.

describe('tracecheck check --tempo', () => {
  let sim: TempoSim;
  const run = `cli-${hex(3)}`;
  const fast = ['--tempo-lag', '1100ms', '--tempo-poll', '50ms', '--settle', '100ms'];

  beforeAll(async () => {
    buildWorkspace();
    sim = new TempoSim({ requireTenant: true });
    await sim.start();
    const t = hex(16);
    const root = hex(8);
    await exportTo([sim.url], [span({ name: 'POST /refunds', traceId: t, spanId: root, run }), span({ name: 'stripe.refund.create', traceId: t, parent: root, attributes: { amount: 2500 } })], { 'X-Scope-OrgID': 'team-a' });
    await sleep(1100);
  }, 120_000);
  afterAll(() => sim.stop());

  it('decides every assertion on the run in Tempo, with the tenant header on every request', async () => {
    const r = await runCli(['check', '--tempo', sim.url, '--tempo-header', 'X-Scope-OrgID: team-a', '--run', run, ...fast, 'some "stripe.refund.create"', 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 }', 'no "charge"']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ some "stripe.refund.create"/);
    expect(r.stdout).toMatch(/✔ no "charge"[\s\S]*held, and the run was quiet for the settle window/);
    expect(r.stdout).toMatch(/3 of 3 checks passed/);
    expect(sim.requests.filter((q) => q.path.startsWith('/api/') && q.path !== '/api/status/buildinfo').every((q) => q.headers['x-scope-orgid'] === 'team-a')).toBe(true);
  });

  it('a failing check exits 1 and says it was decided on Tempo, with the lag', async () => {
    const r = await runCli(['check', '--tempo', sim.url, '--tempo-header', 'X-Scope-OrgID: team-a', '--run', run, ...fast, '--timeout', '2s', 'some "email.send"']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ some "email.send"/);
    expect(r.stdout).toMatch(/Warning: decided on Grafana Tempo \(http:\/\/127\.0\.0\.1:\d+\): a search finds a span up to 1\.1s after it was written \(as configured; --tempo-lag/);
  });

  it('refuses to start: no tenant header (401), Tempo unreachable, a bad header, --tempo with --url, no --run', async () => {
    const noTenant = await runCli(['check', '--tempo', sim.url, '--run', run, ...fast, 'some "x"']);
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/tracecheck check: Tempo answered 401 .*no org id/);
    const down = await runCli(['check', '--tempo', 'http://127.0.0.1:1', '--run', run, 'some "x"']);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Tempo at http:\/\/127\.0\.0\.1:1 did not answer/);
    const header = await runCli(['check', '--tempo', sim.url, '--tempo-header', 'no colon here', '--run', run, 'some "x"']);
    expect([header.code, header.stderr]).toEqual([2, expect.stringMatching(/--tempo-header: 'no colon here' is not a header/)]);
    const both = await runCli(['check', '--tempo', sim.url, '--url', 'http://127.0.0.1:1', '--run', run, 'some "x"']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/--tempo, --url and --file are exclusive/)]);
    const noRun = await runCli(['check', '--tempo', sim.url, 'some "x"']);
    expect([noRun.code, noRun.stderr]).toEqual([2, expect.stringMatching(/--run is required with --tempo/)]);
    const stray = await runCli(['check', '--url', 'http://127.0.0.1:1', '--tempo-lag', '1s', '--run', run, 'some "x"']);
    expect([stray.code, stray.stderr]).toEqual([2, expect.stringMatching(/go with --tempo URL/)]);
  });
});
