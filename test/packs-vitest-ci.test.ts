import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort, packInto, readJson, root, run } from './support/packs.js';
import { checksInPassingTests, expectPassingReport, installShopProject, lines, output, shopPorts } from './support/packs-vitest.js';

// What else a project that installed the tarballs runs, with Vitest 4 from the npm registry (installed
// as in test/packs-vitest.test.ts, with a copy of examples/vitest-shop): examples/playwright-shop's
// checkout spec with @tracecheck/playwright in Debian's Chromium, and the GitHub Actions workflow of
// docs/ci.md, its `run:` steps executed in order. Helpers: test/support/packs-vitest.ts.

const playwrightShop = join(root, 'examples', 'playwright-shop');
const ciDoc = join(root, 'docs', 'ci.md');
const CHROMIUM = '/usr/bin/chromium';

let base = '';
let project = '';

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tracecheck-packs-vitest-ci-')));
  const tarballs = join(base, 'tarballs');
  await packInto(tarballs);
  project = await installShopProject(base, tarballs, lines.find((l) => l.name === '4')!);
}, 300_000);

afterAll(async () => {
  // The project's node_modules: long to remove on a busy disk.
  if (base) await rm(base, { recursive: true, force: true });
}, 120_000);

describe.skipIf(!existsSync(CHROMIUM))('@tracecheck/playwright from the tarballs: examples/playwright-shop’s checkout spec in Debian’s Chromium', () => {
  it('installs with its peer @playwright/test, and the spec passes in the browser against the instrumented services', async () => {
    const copy = join(project, 'playwright-shop');
    for (const name of readdirSync(playwrightShop)) {
      if (['package.json', 'node_modules', 'test-results', 'playwright-report'].includes(name)) continue;
      cpSync(join(playwrightShop, name), join(copy, name), { recursive: true });
    }
    expect(readJson<{ packages: Record<string, { resolved?: string }> }>(join(project, 'package-lock.json')).packages['node_modules/@tracecheck/playwright']?.resolved).toMatch(/^file:vendor\//);
    const ports = Object.fromEntries(await Promise.all(['SHOP_WEB_PORT', 'SHOP_API_PORT', 'SHOP_PROVIDER_PORT', 'SHOP_PIXEL_PORT'].map(async (k) => [k, String(await freePort())] as const)));
    const results = join(base, 'playwright-results');
    const json = join(base, 'playwright-report.json');
    const r = await run('npx', ['--no', '--', 'playwright', 'test', '-c', 'playwright-shop', 'tests/checkout.spec.ts', '--reporter=json', '--output', results], {
      cwd: project,
      env: { ...ports, CHROMIUM_PATH: CHROMIUM, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
      timeoutMs: 120_000,
    });
    expect(r.code, output(r)).toBe(0);
    interface Suite {
      specs: { title: string; tests: { results: { status: string }[] }[] }[];
      suites?: Suite[];
    }
    const specs = (s: Suite[]): Suite['specs'] => s.flatMap((x) => [...x.specs, ...specs(x.suites ?? [])]);
    const found = specs(readJson<{ suites: Suite[] }>(json).suites);
    expect(found.map((s) => [s.title, s.tests[0]!.results.at(-1)!.status])).toEqual([
      ['an order placed in the page charges the card once and sends the confirmation', 'passed'],
      ['the third-party pixel gets no baggage or trace context, and the calls the page makes to it still succeed', 'passed'],
      ['an API call from the test itself carries the run with run.headers()', 'passed'],
    ]);
  }, 150_000);
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  'working-directory'?: string;
  env?: Record<string, string | number | boolean>;
  with?: Record<string, string | number | boolean>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string | number | boolean>;
  jobs: Record<string, { 'runs-on': string; env?: Record<string, string | number | boolean>; steps: Step[] }>;
}

/** The fenced block of docs/ci.md titled .github/workflows/test.yml, parsed. */
function workflowFromDocs(): Workflow {
  const blocks = [...readFileSync(ciDoc, 'utf8').matchAll(/```yaml title="\.github\/workflows\/test\.yml"\n([\s\S]*?)```/g)];
  expect(blocks, 'docs/ci.md has one workflow block').toHaveLength(1);
  return parseYaml(blocks[0]![1]!) as Workflow;
}

const strings = (env: Record<string, string | number | boolean> | undefined): Record<string, string> => Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));

describe('docs/ci.md: the GitHub Actions workflow, run in the fresh project (Vitest 4)', () => {
  it('runs its `run:` steps in order (skipping the GitHub-hosted actions checkout, setup-node, upload-artifact, action-junit-report): they succeed, and the report directory has what the upload step uploads', async () => {
    const workflow = workflowFromDocs();
    const jobs = Object.values(workflow.jobs);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job['runs-on']).toBe('ubuntu-latest');
    // The workflow runs the suite the project has: the shop's passing tests (tests/failing/ fails on purpose, and has its run in test/packs-vitest.test.ts).
    rmSync(join(project, 'tests', 'failing'), { recursive: true, force: true });
    rmSync(join(project, 'tracecheck-report'), { recursive: true, force: true });

    // As on GitHub's runner: CI and GITHUB_ACTIONS set, the checkout as the workspace; the shop's
    // services on free ports here (the example's fixed ports may be taken on this machine).
    const runnerEnv = { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: project, RUNNER_OS: 'Linux', ...(await shopPorts()) };
    const done: { step: string; outcome: 'success' | 'failure' | 'skipped'; why?: string; ms?: number }[] = [];
    let failed = false;
    for (const step of job.steps) {
      const label = step.name ?? step.run ?? step.uses ?? '?';
      // `if:` as GitHub evaluates it, for the conditions this workflow uses.
      let runs: boolean;
      if (step.if === undefined) runs = !failed;
      else if (step.if === 'always()') runs = true;
      else {
        const m = /^hashFiles\('([^'*?[\]]+)'\)\s*!=\s*''$/.exec(step.if);
        if (m === null) throw new Error(`step "${label}": this test does not evaluate if: ${step.if}`);
        runs = !failed && existsSync(join(project, m[1]!));
      }
      if (!runs) {
        done.push({ step: label, outcome: 'skipped', why: `if: ${step.if ?? 'success()'}` });
        continue;
      }
      if (step.uses !== undefined) {
        done.push({ step: label, outcome: 'skipped', why: `uses: ${step.uses} (a GitHub-hosted action)` });
        continue;
      }
      expect(step.run, label).toBeTypeOf('string');
      expect(step.run, `${label}: no expressions for this test to evaluate`).not.toContain('${{');
      expect(step.shell ?? 'bash', label).toBe('bash');
      const started = Date.now();
      const r = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        cwd: join(project, step['working-directory'] ?? '.'),
        env: { ...runnerEnv, ...strings(workflow.env), ...strings(job.env), ...strings(step.env) },
        timeoutMs: 240_000,
      });
      const outcome = r.code === 0 ? 'success' : 'failure';
      done.push({ step: label, outcome, ms: Date.now() - started });
      if (outcome === 'failure') {
        failed = true;
        console.error(`step "${label}" exited with ${r.code}\n${output(r)}`);
      }
    }
    console.log(`docs/ci.md's workflow in ${project}:\n${done.map((d) => `  ${d.outcome.padEnd(7)} ${d.step}${d.why ? ` (${d.why})` : ''}${d.ms ? ` ${(d.ms / 1000).toFixed(1)}s` : ''}`).join('\n')}`);

    const uses = (action: string): Step => {
      const found = job.steps.filter((s) => s.uses?.split('@')[0] === action);
      expect(found, action).toHaveLength(1);
      return found[0]!;
    };
    // What was skipped: exactly the GitHub-hosted actions, and the browser step by its condition (no playwright.config.ts at the root).
    expect(done.filter((d) => d.outcome === 'skipped').map((d) => d.why)).toEqual([
      `uses: ${uses('actions/checkout').uses} (a GitHub-hosted action)`,
      `uses: ${uses('actions/setup-node').uses} (a GitHub-hosted action)`,
      `if: hashFiles('playwright.config.ts') != ''`,
      `uses: ${uses('actions/upload-artifact').uses} (a GitHub-hosted action)`,
      `uses: ${uses('mikepenz/action-junit-report').uses} (a GitHub-hosted action)`,
    ]);
    // What ran: npm ci, then the suite under tracecheck, both successfully.
    expect(done.filter((d) => d.outcome !== 'skipped').map((d) => [d.step, d.outcome])).toEqual([
      ['Install dependencies', 'success'],
      ['Run the tests under tracecheck', 'success'],
    ]);
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', "npx playwright install --with-deps chromium", 'npx tracecheck run --report tracecheck-report -- npx vitest run']);
    expect(String(uses('actions/setup-node').with?.['node-version'])).toBe('22');

    // The upload step: always, the report directory, which holds the report.
    const upload = uses('actions/upload-artifact');
    expect(upload.if).toBe('always()');
    const uploaded = join(project, String(upload.with!.path));
    expectPassingReport(uploaded, project, checksInPassingTests(project));
    // The publish step: always, the junit.xml of that directory (expectPassingReport read it: every check, with file and line).
    const publish = uses('mikepenz/action-junit-report');
    expect(publish.if).toBe('always()');
    expect(join(project, String(publish.with!.report_paths))).toBe(join(uploaded, 'junit.xml'));
    expect(workflow.permissions?.checks).toBe('write');
  }, 300_000);
});
