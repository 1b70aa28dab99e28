import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';

// Effect coverage in `tracecheck run`'s report, for a suite where some effects are guarded by checks,
// some by a snapshot, and one by nothing (examples/inflight/coverage-suite.mjs, real processes).

const suite = fileURLToPath(new URL('../examples/inflight/coverage-suite.mjs', import.meta.url));

interface Entry {
  effect: string;
  seen: number;
  checked: number;
  snapshotted: number;
  unguarded: number;
}

describe('effect coverage in the report', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('lists what no check and no snapshot referenced, per run and for the suite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-coverage-'));
    const r = await runCli(['run', '--report', dir, '--', process.execPath, suite]);
    expect(r.stdout).toContain('passed: exactly 1 "fulfillment.webhook.send"');
    expect(r.stdout).toContain('passed: some { name = "crm.lead.create" }');
    expect(r.code).toBe(0);
    const { coverage } = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { coverage: { suite: Entry[]; runs: { run: string; effects: Entry[] }[] } };
    const suiteBy = new Map(coverage.suite.map((e) => [e.effect, e]));
    expect(suiteBy.get('analytics.track (svc api)')).toEqual({ effect: 'analytics.track (svc api)', seen: 2, checked: 0, snapshotted: 0, unguarded: 2 });
    expect(suiteBy.get('fulfillment.webhook.send (svc api)')).toEqual({ effect: 'fulfillment.webhook.send (svc api)', seen: 2, checked: 1, snapshotted: 1, unguarded: 0 });
    expect(suiteBy.get('crm.lead.create (svc api)')).toMatchObject({ seen: 2, checked: 1, snapshotted: 1, unguarded: 0 });
    expect(suiteBy.get('email.send (svc worker)')).toMatchObject({ seen: 2, checked: 0, snapshotted: 1, unguarded: 1 });
    // Unguarded first.
    expect(coverage.suite[0]!.effect).toBe('analytics.track (svc api)');
    const checkedRun = coverage.runs.find((x) => x.run === 'coverage-checked')!;
    expect(checkedRun.effects.filter((e) => e.unguarded > 0).map((e) => e.effect).sort()).toEqual(['analytics.track (svc api)', 'email.send (svc worker)', 'send email-jobs (svc api)']);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<h2>Effect coverage</h2>');
    expect(html).toMatch(/<tr class="unguarded"><td><code>analytics\.track \(svc api\)<\/code><\/td><td>2×<\/td><td>asserted nowhere<\/td><\/tr>/);
    expect(html).toMatch(/id="coverage-summary">4 of 5 effects guarded by a check or a snapshot; 1 asserted nowhere\./);
  }, 120_000);
});
