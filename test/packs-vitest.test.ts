import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort, installProject, type Manifest, packInto, readJson, type Result, root, run } from './support/packs.js';

// @tracecheck/vitest as a user gets it before tracecheck is published: `npm run pack`, then a fresh
// project outside the repository installs the tarballs from its vendor/ with plain npm, with Vitest
// from the npm registry (the 4.x line the workspace develops against, and the 3.2.x line, the oldest
// the peer range allows), zod, and the SDK's OpenTelemetry peers. The project holds a copy of
// examples/vitest-shop's config, services and tests, and every run is a separate `npx vitest run`
// (or `npx tracecheck run -- npx vitest run`) process there, whose services the plugin starts as
// real instrumented processes. Vitest 4's project also runs docs/ci.md's workflow, and
// examples/playwright-shop's checkout spec in Debian's Chromium from the same tarballs.
//
// test/vitest-integration.test.ts runs the same example inside the repository (workspace links);
// this file proves the packed packages do the same in someone else's project.

const shop = join(root, 'examples', 'vitest-shop');
const playwrightShop = join(root, 'examples', 'playwright-shop');
const ciDoc = join(root, 'docs', 'ci.md');
const CHROMIUM = '/usr/bin/chromium';

const vitestManifest = readJson<Manifest>(join(root, 'packages', 'vitest', 'package.json'));
const shopManifest = readJson<Manifest>(join(root, 'examples', 'vitest-shop', 'package.json'));

/**
 * The Vite this workspace's Vitest runs with. Vite 8.4.0 names a Windows-only optional dependency
 * (napi-windows-process-start-time) that the registry these machines reach does not have: `npm i`
 * skips it, but `npm ci` then refuses the lockfile ("Missing: … from lock file"). The project that
 * runs docs/ci.md's `npm ci` pins Vite to the workspace's, which does not name it.
 */
const workspaceVite = readJson<Manifest>(createRequire(realpathSync(join(root, 'node_modules', 'vitest', 'package.json'))).resolve('vite/package.json')).version;

interface Line {
  /** The Vitest line, as the test names it. */
  name: string;
  /** What the project installs besides the tarballs and their peers: `vitest@…` and more. */
  versions: Record<string, string>;
  /** The version installed must match. */
  installed: RegExp;
}

const lines: Line[] = [
  // The range the package is developed and tested with in this repository (the newest 4.x).
  { name: '4', versions: { vitest: vitestManifest.devDependencies!.vitest!, vite: workspaceVite }, installed: /^4\./ },
  // The oldest line the peer range (>=3.2.0) allows, at its newest patch.
  { name: '3.2', versions: { vitest: '~3.2.0' }, installed: /^3\.2\./ },
];

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

interface Property {
  name: string;
  value: string;
}
interface Testcase {
  name: string;
  classname: string;
  file?: string;
  line?: string;
  properties?: { property: Property | Property[] };
  failure?: { message: string; type: string; '#text': string };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });

function testcases(junit: string): Testcase[] {
  const parsed = xml.parse(junit) as { testsuites: { testsuite?: { testcase?: Testcase | Testcase[] } | { testcase?: Testcase | Testcase[] }[] } };
  return [parsed.testsuites.testsuite ?? []].flat().flatMap((s) => [s.testcase ?? []].flat());
}

const properties = (c: Testcase): Property[] => [c.properties?.property ?? []].flat();

/** examples/vitest-shop without its package.json (the project has its own); `tests/effects/` stays, excluded by the config as in the example. */
function copyShop(project: string): void {
  for (const name of readdirSync(shop)) {
    if (name === 'package.json' || name === 'node_modules') continue;
    cpSync(join(shop, name), join(project, name), { recursive: true });
  }
}

/** The line of `file` (in the project) whose text contains `needle`, 1-based. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

/** The shop's services on free ports, so that nothing else on the machine is in the way; no colours in what the runs print. */
async function shopPorts(): Promise<Record<string, string>> {
  return { NO_COLOR: '1', SHOP_API_PORT: String(await freePort()), SHOP_PROVIDER_PORT: String(await freePort()) };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const output = (r: Result): string => `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

interface RunReport {
  exitCode: number;
  commandExitCode: number;
  checks: { total: number; failed: number; overturned: number; list: { assertion: string; pass: boolean; caller?: { file?: string; line?: number; test?: string } }[] };
  runs: unknown[];
}

/** What `tracecheck run --report DIR` wrote for a suite whose every check passed. */
function expectPassingReport(dir: string, project: string, expectedChecks: number): void {
  for (const f of ['report.json', 'junit.xml', 'index.html']) expect(existsSync(join(dir, f)), f).toBe(true);
  const report = readJson<RunReport>(join(dir, 'report.json'));
  expect(report.exitCode).toBe(0);
  expect(report.commandExitCode).toBe(0);
  expect(report.checks.total).toBe(expectedChecks);
  expect(report.checks.failed).toBe(0);
  expect(report.checks.list.every((c) => c.pass)).toBe(true);
  // Each check names the test that made it, in the project.
  for (const c of report.checks.list) expect(c.caller?.file, c.assertion).toMatch(new RegExp(`^${escapeRegExp(project)}/tests/[^/]+\\.test\\.ts$`));
  // The runs kept their spans for the report.
  expect(readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);

  const cases = testcases(readFileSync(join(dir, 'junit.xml'), 'utf8'));
  expect(cases).toHaveLength(expectedChecks);
  for (const c of cases) {
    expect(c.failure, c.name).toBeUndefined();
    expect(c.file, c.name).toMatch(new RegExp(`^${escapeRegExp(project)}/tests/[^/]+\\.test\\.ts$`));
    expect(Number(c.line), c.name).toBeGreaterThan(0);
  }
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain('<dd id="exit-code">0 (command: 0)</dd>');
  expect(html).toContain(`<dd id="checks-count">${expectedChecks}: <span class="count passed">${expectedChecks} passed</span>`);
  expect(html).not.toMatch(/class="check (failed|overturned)"/);
}

/** How many checks the passing tests (tests/*.test.ts, not tests/failing/) make: one per `await expect(run).toHold(`. */
function checksInPassingTests(project: string): number {
  return readdirSync(join(project, 'tests'))
    .filter((f) => f.endsWith('.test.ts'))
    .reduce((n, f) => n + (readFileSync(join(project, 'tests', f), 'utf8').match(/await expect\(run\)\.toHold\(/g) ?? []).length, 0);
}

let base = '';
const projects = new Map<string, string>();

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tracecheck-packs-vitest-')));
  const tarballs = join(base, 'tarballs');
  await packInto(tarballs);
  // Both projects install at once (npm mostly waits on its cache and the registry).
  await Promise.all(
    lines.map(async (line) => {
      const project = join(base, `vitest-${line.name}`);
      mkdirSync(project);
      cpSync(tarballs, join(project, 'vendor'), { recursive: true });
      await installProject(project, { ...line.versions, zod: shopManifest.devDependencies!.zod! });
      copyShop(project);
      projects.set(line.name, project);
    }),
  );
}, 300_000);

afterAll(async () => {
  // Two projects' node_modules: long to remove on a busy disk.
  if (base) await rm(base, { recursive: true, force: true });
}, 120_000);

describe.each(lines)('Vitest $name in a fresh project that installed the tarballs (examples/vitest-shop copied in)', (line) => {
  let project = '';
  let out = '';
  let result: Result;
  let report: JsonReport;
  let junit: string;
  const test = (title: string) => {
    const found = report.testResults.flatMap((f) => f.assertionResults).find((t) => t.title === title);
    if (found === undefined) throw new Error(`no test ${JSON.stringify(title)} in the report:\n${output(result)}`);
    return found;
  };

  beforeAll(async () => {
    project = projects.get(line.name)!;
    out = join(base, `out-${line.name}`);
    const barrier = join(base, `barrier-${line.name}`);
    mkdirSync(barrier, { recursive: true });
    // Four workers, so that parallel-a and parallel-b run at the same time (each waits for the other at SHOP_BARRIER_DIR).
    const args = ['vitest', 'run', '--maxWorkers=4', '--reporter=default', '--reporter=json', `--outputFile.json=${join(out, 'report.json')}`, '--reporter=junit', `--outputFile.junit=${join(out, 'junit.xml')}`];
    result = await run('npx', ['--no', '--', ...args], { cwd: project, env: { ...(await shopPorts()), SHOP_BARRIER_DIR: barrier }, timeoutMs: 150_000 });
    if (!existsSync(join(out, 'report.json'))) throw new Error(`vitest run wrote no report (exit ${result.code})\n${output(result)}`);
    report = readJson<JsonReport>(join(out, 'report.json'));
    junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  }, 180_000);

  it(`runs Vitest ${line.name} from the npm registry with @tracecheck/vitest from its tarball, one copy of Vitest`, async () => {
    expect(readJson<Manifest>(join(project, 'node_modules', 'vitest', 'package.json')).version).toMatch(line.installed);
    const lock = readJson<{ packages: Record<string, { resolved?: string; version?: string }> }>(join(project, 'package-lock.json'));
    expect(lock.packages['node_modules/@tracecheck/vitest']?.resolved).toMatch(/^file:vendor\/tracecheck-vitest-.*\.tgz$/);
    // One Vitest in the tree: a second copy could not register the fixture or the matchers with the one running the tests.
    expect(Object.keys(lock.packages).filter((p) => /(^|\/)node_modules\/vitest$/.test(p))).toEqual(['node_modules/vitest']);
    // The shop's tests ran in the fresh project: the passing files passed, tests/failing/ failed, Vitest exited 1.
    expect(result.code, output(result)).toBe(1);
    expect(report.numPassedTests, output(result)).toBe(4);
    expect(report.numFailedTests, output(result)).toBe(4);
  });

  it('a passing check passes: text, typed builder with a payload schema, a `no` check', () => {
    expect(test('an order is charged once, shipped and confirmed by email').status).toBe('passed');
    expect(test('nothing is refunded unless the order is cancelled').status).toBe('passed');
  });

  it('a failing check’s message carries the run id, the nearest miss and the trace tree, and so does its annotation in the JUnit report', () => {
    const t = test('a coupon that the coupon service fails on is charged at full price');
    expect(t.status).toBe('failed');
    const message = t.failureMessages.join('\n');
    expect(message).toContain('✘ one { name = "payment.charge" && span.amount = 2250 }');
    const runId = /Run: (a-coupon-that-the-coupon-service-fails-o-[0-9a-f]{8}) \(test "a coupon that/.exec(message)?.[1];
    expect(runId, message).toBeDefined();
    expect(message).toContain('Nearest misses (spans that failed one condition):');
    expect(message).toMatch(/payment\.charge \(svc api\) amount=2500 .*\n {4}failed: span\.amount = 2250 \(was 2500\)/);
    expect(message).toMatch(/Trace tree \(9 spans in 1 trace\):\n {2}trace [0-9a-f]{32}/);
    expect(message).toMatch(/ {6}payment\.charge \(svc api\) [\d.]+[µm]?s ← near miss/);
    expect(message).toMatch(/Service logs since the test started:[\s\S]* {4}order \d+: coupon service failed for "BROKEN"/);

    // The test's annotation (context.annotate), which Vitest's JUnit reporter writes as a property.
    const testcase = testcases(junit).find((c) => c.name === 'a coupon that the coupon service fails on is charged at full price');
    expect(testcase, junit).toBeDefined();
    const annotation = properties(testcase!).find((p) => p.name === 'tracecheck');
    expect(annotation, junit).toBeDefined();
    // XML attribute values normalise newlines to spaces.
    expect(annotation!.value).toContain(`Run: ${runId}`);
    expect(annotation!.value).toContain('failed: span.amount = 2250 (was 2500)');
    expect(annotation!.value).toMatch(/Trace tree \(9 spans in 1 trace\):/);
    expect(annotation!.value).toContain('payment.charge (svc api)');
    expect(annotation!.value).toContain('← near miss');
  });

  it('a payload that drifted from its schema fails, named by its field path, with the receiver in the global setup', () => {
    // No TRACECHECK_URL in this run: the plugin's global setup embedded the receiver the checks asked.
    const t = test('the warehouse gets the order id as a number');
    expect(t.status).toBe('failed');
    const message = t.failureMessages.join('\n');
    expect(message).toContain('Payload did not fit the schema (1, not counted):');
    expect(message).toMatch(/warehouse\.webhook · span [0-9a-f]{16}: effect\.payload\.order_id: Invalid input: expected number, received string/);
    expect(message).toMatch(/warehouse\.webhook \(svc worker\) [\d.]+[µm]?s ← payload did not fit/);
  });

  it('two test files in parallel never see each other’s spans', () => {
    const a = report.testResults.find((f) => f.name.endsWith('parallel-a.test.ts'))!;
    const b = report.testResults.find((f) => f.name.endsWith('parallel-b.test.ts'))!;
    // Both placed their orders at the same time (each file waited for the other first)...
    expect(a.startTime).toBeLessThan(b.endTime);
    expect(b.startTime).toBeLessThan(a.endTime);
    // ...and each counted exactly its own three charges and webhooks, and no other customer's charge.
    expect(test('customer a: three orders, three charges').status).toBe('passed');
    expect(test('customer b: three orders, three charges').status).toBe('passed');
  });

  it('`npx tracecheck run --report DIR -- npx vitest run` on the failing tests: exit 1, the failing checks in junit.xml at the calling test’s file and line', async () => {
    const dir = 'failing-report';
    const r = await run('npx', ['--no', '--', 'tracecheck', 'run', '--report', dir, '--', 'npx', 'vitest', 'run', 'tests/failing'], { cwd: project, env: await shopPorts(), timeoutMs: 120_000 });
    expect(r.code, output(r)).toBe(1);
    const report = readJson<RunReport>(join(project, dir, 'report.json'));
    expect(report.exitCode).toBe(1);
    expect(report.commandExitCode).toBe(1);
    expect(report.checks.overturned).toBe(1);
    expect(existsSync(join(project, dir, 'index.html'))).toBe(true);

    const file = join(project, 'tests', 'failing', 'evidence.test.ts');
    const cases = testcases(readFileSync(join(project, dir, 'junit.xml'), 'utf8'));
    const byName = (name: string): Testcase => {
      const found = cases.find((c) => c.name === name);
      if (found === undefined) throw new Error(`no testcase ${name}: ${cases.map((c) => c.name).join(' | ')}`);
      return found;
    };

    // A check that failed: the verdict after the location, its evidence attached.
    const coupon = byName('one { name = "payment.charge" && span.amount = 2250 }');
    const couponLine = lineOf(file, 'span.amount = 2250');
    expect(coupon).toMatchObject({ file, line: String(couponLine), classname: file });
    expect(coupon.failure?.type).toBe('tracecheck.failed');
    expect(coupon.failure!['#text']).toMatch(new RegExp(`^${escapeRegExp(file)}:${couponLine}:\\d+\\n✘ one \\{ name = "payment\\.charge" && span\\.amount = 2250 \\}`));
    expect(coupon.failure!['#text']).toContain('failed: span.amount = 2250 (was 2500)');
    const attachment = /\[\[ATTACHMENT\|(failing-report\/evidence\/\d+\.txt)\]\]/.exec(coupon.failure!['#text'])?.[1];
    expect(attachment).toBeDefined();
    expect(readFileSync(join(project, attachment!), 'utf8')).toContain('span.amount = 2250');

    // A check that passed, then was overturned when the run ended.
    const refund = byName('exactly 1 "payment.refund"');
    const refundLine = lineOf(file, 'exactly 1 "payment.refund"');
    expect(refund).toMatchObject({ file, line: String(refundLine) });
    expect(refund.failure?.type).toBe('tracecheck.overturned');
    expect(refund.failure?.message).toMatch(/^OVERTURNED: passed at \+[\d.]+s, overturned by `payment\.refund`/);
    expect(refund.failure!['#text']).toMatch(new RegExp(`^${escapeRegExp(file)}:${refundLine}:\\d+\\n✘ OVERTURNED at the end of run a-cancelled-order-is-refunded-once-[0-9a-f]{8}`));

    // A payload schema runs in the test process (a schema is code); the client reports how it ended
    // the check, so junit.xml shows the failure the test saw, named by the payload's field path.
    const webhook = byName('exactly 1 { name = "warehouse.webhook" }');
    expect(webhook.failure?.type).toBe('tracecheck.failed');
    expect(webhook.failure!['#text']).toContain('effect.payload.order_id');
  }, 150_000);


  // Defined for Vitest 3.2 only: Vitest 4's project runs the same through docs/ci.md's workflow, below.
  if (line.name !== '4') it('`npx tracecheck run --report DIR -- npx vitest run` on the passing tests: exit 0, every check passed in report.json, junit.xml and index.html', async () => {
    const passing = readdirSync(join(project, 'tests')).filter((f) => f.endsWith('.test.ts')).map((f) => `tests/${f}`);
    const r = await run('npx', ['--no', '--', 'tracecheck', 'run', '--report', 'passing-report', '--', 'npx', 'vitest', 'run', ...passing], { cwd: project, env: await shopPorts(), timeoutMs: 120_000 });
    expect(r.code, output(r)).toBe(0);
    expectPassingReport(join(project, 'passing-report'), project, checksInPassingTests(project));
  }, 150_000);
});

describe.skipIf(!existsSync(CHROMIUM))('@tracecheck/playwright from the tarballs: examples/playwright-shop’s checkout spec in Debian’s Chromium', () => {
  it('installs with its peer @playwright/test, and the spec passes in the browser against the instrumented services', async () => {
    const project = projects.get('4')!;
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
    const project = projects.get('4')!;
    const workflow = workflowFromDocs();
    const jobs = Object.values(workflow.jobs);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job['runs-on']).toBe('ubuntu-latest');
    // The workflow runs the suite the project has: the shop's passing tests (tests/failing/ fails on purpose, and has had its run above).
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
