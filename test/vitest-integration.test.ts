import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, cliPath } from './support/build.js';
import { freePort } from './support/ports.js';

// @tracecheck/vitest in a real project: examples/vitest-shop (an API and a queue worker on
// @tracecheck/sdk, an uninstrumented provider), whose vitest.config.ts uses the plugin with its
// services. Its tests run in a separate `vitest run` (this repository's Vitest binary, four
// workers) with the JSON and JUnit reporters, and these tests read what it reported. Its
// tests/failing/ fails on purpose; each failure is checked for the evidence it must carry.

const shop = fileURLToPath(new URL('../examples/vitest-shop/', import.meta.url));
const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const docs = fileURLToPath(new URL('../docs/vitest.md', import.meta.url));

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: { title: string; status: string; duration: number; failureMessages: string[] }[] }[];
}

interface Result {
  code: number | null;
  output: string;
}


/** The environment of a child run: ours, without what the Vitest running us set or a `tracecheck run` around us. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TRACECHECK_|OTEL_)/.test(k) || k === 'TEST' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(command: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command, { cwd: shop, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The shop's services on free ports, so that nothing else on the machine is in the way. */
async function shopEnv(): Promise<Record<string, string>> {
  return { SHOP_API_PORT: String(await freePort()), SHOP_PROVIDER_PORT: String(await freePort()) };
}

describe('@tracecheck/vitest: examples/vitest-shop run by Vitest (real processes)', () => {
  let result: Result;
  let report: JsonReport;
  let junit: string;
  const byTitle = (title: string) => {
    const found = report.testResults.flatMap((f) => f.assertionResults).find((t) => t.title === title);
    if (found === undefined) throw new Error(`no test ${JSON.stringify(title)} in the report:\n${result.output}`);
    return found;
  };
  const junitCase = (title: string): { properties?: { property: { name: string; value: string } | { name: string; value: string }[] }; failure?: unknown } => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit) as {
      testsuites: { testsuite: { testcase: { name: string }[] | { name: string } }[] | { testcase: { name: string }[] | { name: string } } };
    };
    const suites = [parsed.testsuites.testsuite].flat();
    const cases = suites.flatMap((s) => [s.testcase].flat());
    const found = cases.find((c) => c.name === title);
    if (found === undefined) throw new Error(`no testcase ${JSON.stringify(title)} in junit.xml`);
    return found as ReturnType<typeof junitCase>;
  };

  beforeAll(async () => {
    buildWorkspace();
    const out = mkdtempSync(join(tmpdir(), 'tracecheck-vitest-'));
    const barrier = mkdtempSync(join(tmpdir(), 'tracecheck-vitest-barrier-'));
    const args = [vitestBin, 'run', '--maxWorkers=4', '--reporter=default', '--reporter=json', `--outputFile.json=${join(out, 'report.json')}`, '--reporter=junit', `--outputFile.junit=${join(out, 'junit.xml')}`];
    result = await run(args, cleanEnv({ ...(await shopEnv()), SHOP_BARRIER_DIR: barrier }), 150_000);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as JsonReport;
    junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  }, 180_000);

  it('runs every file: the passing ones pass, tests/failing/ fails, and Vitest exits 1', () => {
    expect(result.code, result.output).toBe(1);
    expect(report.numPassedTests).toBe(4);
    expect(report.numFailedTests).toBe(4);
  });

  it('a passing check: text, builder with a payload schema, and no-refund checks pass', () => {
    expect(byTitle('an order is charged once, shipped and confirmed by email').status).toBe('passed');
    expect(byTitle('nothing is refunded unless the order is cancelled').status).toBe('passed');
  });

  it('a failing check says its run id, the nearest miss, the trace tree and what the api logged', () => {
    const t = byTitle('a coupon that the coupon service fails on is charged at full price');
    expect(t.status).toBe('failed');
    const message = t.failureMessages.join('\n');
    expect(message).toContain('✘ one { name = "payment.charge" && span.amount = 2250 }');
    expect(message).toMatch(/Run: a-coupon-that-the-coupon-service-fails-o-[0-9a-f]{8} \(test "a coupon that/);
    expect(message).toContain('Nearest misses (spans that failed one condition):');
    expect(message).toMatch(/payment\.charge \(svc api\) amount=2500 .*\n {4}failed: span\.amount = 2250 \(was 2500\)/);
    expect(message).toMatch(/Trace tree \(9 spans in 1 trace\):\n {2}trace [0-9a-f]{32}/);
    expect(message).toMatch(/ {6}payment\.charge \(svc api\) [\d.]+[µm]?s ← near miss/);
    expect(message).toMatch(/Service logs since the test started:[\s\S]*api \(node --import @tracecheck\/sdk\/register api\.mjs\):\n[\s\S]* {4}order \d+: coupon service failed for "BROKEN"/);
    // One error: the check's, with the logs in it (no second error with the logs again).
    expect(t.failureMessages).toHaveLength(1);
  });

  it('the failing check annotates its test with the same evidence, which the JUnit report carries', () => {
    const t = byTitle('a coupon that the coupon service fails on is charged at full price');
    const runId = /Run: (\S+)/.exec(t.failureMessages[0]!)![1]!;
    const props = [junitCase('a coupon that the coupon service fails on is charged at full price').properties?.property ?? []].flat();
    const annotation = props.find((p) => p.name === 'tracecheck');
    expect(annotation, junit).toBeDefined();
    // XML attribute values normalise newlines to spaces.
    expect(annotation!.value).toContain(`Run: ${runId}`);
    expect(annotation!.value).toContain('failed: span.amount = 2250 (was 2500)');
    expect(annotation!.value).toMatch(/Trace tree \(9 spans in 1 trace\):/);
    expect(annotation!.value).toContain('← near miss');
  });

  it('a payload that drifted from its schema fails, named by its field path, with the receiver in the global setup', () => {
    const t = byTitle('the warehouse gets the order id as a number');
    expect(t.status).toBe('failed');
    const message = t.failureMessages.join('\n');
    expect(message).toContain('Payload did not fit the schema (1, not counted):');
    expect(message).toMatch(/warehouse\.webhook · span [0-9a-f]{16}: effect\.payload\.order_id: Invalid input: expected number, received string/);
    expect(message).toMatch(/warehouse\.webhook \(svc worker\) [\d.]+[µm]?s ← payload did not fit/);
  });

  it('two test files in parallel never see each other’s spans', () => {
    const a = report.testResults.find((f) => f.name.endsWith('parallel-a.test.ts'))!;
    const b = report.testResults.find((f) => f.name.endsWith('parallel-b.test.ts'))!;
    // Each placed its three orders while the other did (the files wait for each other first)...
    expect(a.startTime).toBeLessThan(b.endTime);
    expect(b.startTime).toBeLessThan(a.endTime);
    // ...and each counted exactly its own three charges and webhooks, and no other customer's.
    expect(byTitle('customer a: three orders, three charges').status).toBe('passed');
    expect(byTitle('customer b: three orders, three charges').status).toBe('passed');
  });

  it('a test that fails for another reason shows the services’ log tail', () => {
    const t = byTitle('an order without items is rejected');
    expect(t.status).toBe('failed');
    expect(t.failureMessages[0]).toContain('expected 400 to be 201');
    expect(t.failureMessages[1]).toMatch(/^ServiceLogs: the test failed; service logs since the test started:/);
    expect(t.failureMessages[1]).toMatch(/ {4}order \d+ rejected: no items \(from ada@example\.com\)/);
  });

  it('a pass overturned when the run is closed fails the test at teardown', () => {
    const t = byTitle('a cancelled order is refunded once');
    expect(t.status).toBe('failed');
    expect(t.failureMessages).toHaveLength(1);
    const message = t.failureMessages[0]!;
    expect(message).toMatch(/^OverturnedCheckError: tracecheck: a check of this test passed, and the end of its run overturned it \(run a-cancelled-order-is-refunded-once-[0-9a-f]{8}\):/);
    expect(message).toMatch(/OVERTURNED at the end of run a-cancelled-order-is-refunded-once-[0-9a-f]{8}: exactly 1 "payment\.refund"/);
    expect(message).toMatch(/overturned by a span that ended at \+[\d.]+s:\n {2}payment\.refund \(svc api\)/);
    expect(message).toContain('Received: 2 matching spans');
  });
});

describe('@tracecheck/vitest under `tracecheck run` (real processes)', () => {
  it('uses TRACECHECK_URL instead of embedding a receiver, and names the calling test file and line in junit.xml', async () => {
    buildWorkspace();
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-vitest-run-'));
    const args = [cliPath, 'run', '--report', dir, '--', process.execPath, vitestBin, 'run', 'tests/failing/evidence.test.ts', '-t', 'coupon'];
    const result = await run(args, cleanEnv(await shopEnv()), 120_000);
    expect(result.code, result.output).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { checks: { list: { assertion: string; pass: boolean; caller?: { file?: string; line?: number; test?: string } }[] } };
    const check = report.checks.list.find((c) => c.assertion === 'one { name = "payment.charge" && span.amount = 2250 }');
    expect(check, JSON.stringify(report.checks.list)).toMatchObject({ pass: false, caller: { line: 16, test: 'a coupon that the coupon service fails on is charged at full price' } });
    expect(check!.caller!.file).toMatch(/tests\/failing\/evidence\.test\.ts$/);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testcase [^>]*file="[^"]*tests\/failing\/evidence\.test\.ts"[^>]*line="16"/);
  }, 150_000);
});

describe('docs/vitest.md', () => {
  it('shows the example project’s files as they are (so the example is the one these tests run)', () => {
    const text = readFileSync(docs, 'utf8');
    const blocks = [...text.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual(expect.arrayContaining(['vitest.config.ts', 'tests/checkout.test.ts']));
    for (const [, file, body] of blocks) expect(body, file).toBe(readFileSync(join(shop, file!), 'utf8'));
  });
});

describe('toMatchEffectSnapshot on Vitest\'s snapshot machinery (examples/vitest-shop/tests/effects)', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('-u writes, CI passes unchanged, a renamed field fails with the review line and writes nothing, -u accepts it', async () => {
    const snaps = mkdtempSync(join(tmpdir(), 'tracecheck-vitest-snap-'));
    const vitest = async (extra: Record<string, string>, args: string[] = []) =>
      run([vitestBin, 'run', 'tests/effects', ...args], cleanEnv({ ...(await shopEnv()), SHOP_SNAPSHOTS: '1', SHOP_SNAPSHOT_DIR: snaps, ...extra }), 120_000);

    const written = await vitest({}, ['-u']);
    expect(written.code, written.output).toBe(0);
    const snapFile = join(snaps, 'effects.test.ts.snap');
    const ownFile = join(snaps, 'order.effects.txt');
    const snap = readFileSync(snapFile, 'utf8');
    const own = readFileSync(ownFile, 'utf8');
    expect(snap, written.output).toContain('payment.charge (svc api) ×1');
    expect(snap).toContain('    order_id: integer');
    expect(own).toMatch(/^# tracecheck effect snapshot\n/);
    expect(own).toContain('    currency: "EUR"');

    const same = await vitest({ CI: 'true' });
    expect(same.code, same.output).toBe(0);

    const drifted = await vitest({ CI: 'true', SHOP_FAULT: 'rename' });
    expect(drifted.code, drifted.output).toBe(1);
    expect(drifted.output, drifted.output).toMatch(/The effects of run order-effects-[0-9a-f]{8} changed:\n\s+payment\.charge \(svc api\) payload: - order_id: integer {2}\+ orderId: integer/);
    expect(drifted.output, drifted.output).toMatch(/The effects of run order-effects-in-their-own-file-[0-9a-f]{8} changed:\n\s+payment\.charge \(svc api\) payload: - order_id: integer {2}\+ orderId: integer/);
    expect(readFileSync(snapFile, 'utf8'), drifted.output).toBe(snap);
    expect(readFileSync(ownFile, 'utf8')).toBe(own);

    const accepted = await vitest({ SHOP_FAULT: 'rename' }, ['-u']);
    expect(accepted.code, accepted.output).toBe(0);
    expect(readFileSync(snapFile, 'utf8')).toContain('    orderId: integer');
    expect(readFileSync(ownFile, 'utf8')).toContain('    orderId: integer');
  }, 240_000);
});
