import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, packInto, readJson, type Result, run } from './support/packs.js';
import { checksInPassingTests, escapeRegExp, expectPassingReport, installShopProject, lines, output, properties, type RunReport, shopPorts, type Testcase, testcases } from './support/packs-vitest.js';

// @tracecheck/vitest as a user gets it before tracecheck is published: `npm run pack`, then a fresh
// project outside the repository installs the tarballs from its vendor/ with plain npm, with Vitest
// from the npm registry (the 4.x line the workspace develops against, and the 3.2.x line, the oldest
// the peer range allows), zod, and the SDK's OpenTelemetry peers. The project holds a copy of
// examples/vitest-shop's config, services and tests, and every run is a separate `npx vitest run`
// (or `npx tracecheck run -- npx vitest run`) process there, whose services the plugin starts as
// real instrumented processes. test/packs-vitest-ci.test.ts installs Vitest 4's project the same way
// and runs docs/ci.md's workflow, and examples/playwright-shop's checkout spec in Debian's Chromium,
// there. Helpers: test/support/packs-vitest.ts.
//
// test/vitest-integration.test.ts runs the same example inside the repository (workspace links);
// this file proves the packed packages do the same in someone else's project.

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

/** The line of `file` (in the project) whose text contains `needle`, 1-based. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
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
      projects.set(line.name, await installShopProject(base, tarballs, line));
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


  // Defined for Vitest 3.2 only: Vitest 4's project runs the same through docs/ci.md's workflow (test/packs-vitest-ci.test.ts).
  if (line.name !== '4') it('`npx tracecheck run --report DIR -- npx vitest run` on the passing tests: exit 0, every check passed in report.json, junit.xml and index.html', async () => {
    const passing = readdirSync(join(project, 'tests')).filter((f) => f.endsWith('.test.ts')).map((f) => `tests/${f}`);
    const r = await run('npx', ['--no', '--', 'tracecheck', 'run', '--report', 'passing-report', '--', 'npx', 'vitest', 'run', ...passing], { cwd: project, env: await shopPorts(), timeoutMs: 120_000 });
    expect(r.code, output(r)).toBe(0);
    expectPassingReport(join(project, 'passing-report'), project, checksInPassingTests(project));
  }, 150_000);
});
