import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, cliPath } from './support/build.js';
import { freePort } from './support/ports.js';

// @tracecheck/playwright in a real Playwright run: examples/playwright-shop (a checkout page served by
// an instrumented web front end, posting to an instrumented API on another origin, an uninstrumented
// payment provider and a third-party analytics pixel, all started by Playwright's webServer) is run
// with `playwright test` as a separate process in headless Debian Chromium, with the JSON and JUnit
// reporters; its playwright.config.ts starts the receiver with tracecheckReceiver(). Then again under
// `tracecheck run`, whose receiver the config must reuse.

const CHROMIUM = '/usr/bin/chromium';
const shop = fileURLToPath(new URL('../examples/playwright-shop/', import.meta.url));
const playwright = join(shop, 'node_modules/.bin/playwright');

interface Attachment {
  name: string;
  path?: string;
  contentType: string;
}
interface JsonTest {
  annotations: { type: string; description?: string }[];
  results: { status: string; attachments: Attachment[]; errors: { message?: string }[] }[];
}
interface JsonSpec {
  title: string;
  file: string;
  tests: JsonTest[];
}
interface JsonSuite {
  specs: JsonSpec[];
  suites?: JsonSuite[];
}

/** Error messages keep Playwright's colours in the JSON report. */
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

function specsOf(suites: JsonSuite[]): JsonSpec[] {
  return suites.flatMap((s) => [...s.specs, ...specsOf(s.suites ?? [])]);
}


/** The environment of a run: free ports, no receiver of the caller's, output in `dir`. */
async function shopEnv(dir: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(TRACECHECK_|OTEL_|PLAYWRIGHT_|TEST_WORKER_INDEX|TEST_PARALLEL_INDEX)/.test(key)) delete env[key];
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  return {
    ...env,
    SHOP_WEB_PORT: String(ports[0]),
    SHOP_API_PORT: String(ports[1]),
    SHOP_PROVIDER_PORT: String(ports[2]),
    SHOP_PIXEL_PORT: String(ports[3]),
    PIXEL_LOG: join(dir, 'pixel.jsonl'),
    PLAYWRIGHT_JSON_OUTPUT_FILE: join(dir, 'report.json'),
    PLAYWRIGHT_JUNIT_OUTPUT_FILE: join(dir, 'junit.xml'),
    FORCE_COLOR: '0',
    ...extra,
  };
}

/** Runs a command in the shop's folder; resolves with its exit code and output, killing it after `ms`. */
function runIn(command: string, args: string[], env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: shop, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!existsSync(CHROMIUM))('@tracecheck/playwright in a real Playwright run (examples/playwright-shop, headless Chromium)', () => {
  let dir = '';
  let result: { code: number | null; stdout: string; stderr: string };
  let specs: JsonSpec[] = [];
  const spec = (title: string): JsonTest => {
    const found = specs.find((s) => s.title === title);
    if (found === undefined) throw new Error(`no test '${title}' in the JSON report; tests: ${specs.map((s) => s.title).join(' | ')}\n${result.stdout}\n${result.stderr}`);
    return found.tests[0]!;
  };

  beforeAll(async () => {
    buildWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'tracecheck-playwright-'));
    // SHOP_SHOW_FAILURES=1 runs the planted bugs' tests too: a check that fails, a pass overturned.
    const env = await shopEnv(dir, { SHOP_SHOW_FAILURES: '1' });
    result = await runIn(playwright, ['test', '--reporter=json,junit', '--output', join(dir, 'test-results')], env, 150_000);
    specs = specsOf((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { suites: JsonSuite[] }).suites);
  }, 180_000);

  it('runs every test: the shop passes (also with merged fixtures and matchers), the two planted bugs fail (exit code 1)', () => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    const statuses = Object.fromEntries(specs.map((s) => [s.title, s.tests[0]!.results.at(-1)!.status]));
    expect(statuses).toEqual({
      'an order placed in the page charges the card once and sends the confirmation': 'passed',
      'the third-party pixel gets no baggage or trace context, and the calls the page makes to it still succeed': 'passed',
      'an API call from the test itself carries the run with run.headers()': 'passed',
      'a RETRY coupon charges the card twice': 'failed',
      'a LATE coupon sends a fraud review after the check passed': 'failed',
      'merged fixtures and matchers: an order for 3 mugs': 'passed',
    });
  });

  it('a form submitted in the page triggers the backend effects that toHold asserts', () => {
    // The test's checks passed (status above); it used the page only, so the page's own requests
    // (navigation, the form's fetch to the API on another origin) carried the run.
    const t = spec('an order placed in the page charges the card once and sends the confirmation');
    expect(t.results[0]!.errors).toEqual([]);
    // A passing test gets no evidence and no annotation.
    expect(t.results[0]!.attachments.filter((a) => a.name.startsWith('tracecheck'))).toEqual([]);
  });

  it('the third-party origin never sees baggage, traceparent or tracestate', () => {
    const seen = readFileSync(join(dir, 'pixel.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { method: string; url: string; headers: Record<string, string> });
    // The image on every page load and the beacon the form sends (its spec checked that the page saw
    // it succeed, CORS included).
    expect(seen.some((r) => r.method === 'GET' && r.url.startsWith('/pixel.gif'))).toBe(true);
    expect(seen.some((r) => r.method === 'POST' && r.url === '/collect')).toBe(true);
    for (const r of seen) {
      expect(r.headers, `${r.method} ${r.url}`).not.toHaveProperty('baggage');
      expect(r.headers, `${r.method} ${r.url}`).not.toHaveProperty('traceparent');
      expect(r.headers, `${r.method} ${r.url}`).not.toHaveProperty('tracestate');
      // While a context has routes, Playwright answers CORS preflights itself in Chromium; one that
      // does reach the pixel must not ask for the run's headers either.
      expect(r.headers['access-control-request-headers'] ?? '', `${r.method} ${r.url}`).not.toMatch(/baggage|traceparent|tracestate/);
    }
  });

  it('a failing check fails with the verdict and the run id, attaches the spans and the verdict text, and annotates the run id', () => {
    const t = spec('a RETRY coupon charges the card twice');
    const runId = t.annotations.find((a) => a.type === 'tracecheck run')?.description;
    expect(runId).toMatch(/^a-retry-coupon-charges-the-card-twice-[0-9a-f]{8}$/);
    const r = t.results[0]!;
    const message = plain(r.errors.map((e) => e.message ?? '').join('\n'));
    expect(message).toContain('expect(run).toHold(assertion) failed');
    expect(message).toContain(`Run: ${runId}`);
    expect(message).toContain('✘ exactly 1 "payment.charge"');
    expect(message).toContain('Received: 2 matching spans');
    expect(message).toMatch(/Trace tree \(\d+ spans in 1 trace\):/);
    expect(message).toMatch(/POST \/orders \(svc api\)/);

    const verdict = r.attachments.find((a) => a.name === 'tracecheck verdict')!;
    const spans = r.attachments.find((a) => a.name === 'tracecheck spans')!;
    expect(verdict).toMatchObject({ contentType: 'text/plain' });
    expect(spans).toMatchObject({ contentType: 'application/json' });
    expect(existsSync(verdict.path!)).toBe(true);
    expect(existsSync(spans.path!)).toBe(true);
    const text = readFileSync(verdict.path!, 'utf8');
    expect(text).toContain(`Run: ${runId}`);
    expect(text).toContain('Matched (2, 1 more than allowed):');
    expect(text).not.toMatch(/\u001b\[/); // plain text, no colours
    // The spans as GET /api/runs/{id}/spans answers them (what `tracecheck check --file` reads).
    const body = JSON.parse(readFileSync(spans.path!, 'utf8')) as { run: string; spans: { name: string; traceState: string }[] };
    expect(body.run).toBe(runId);
    expect(body.spans.filter((s) => s.name === 'payment.charge')).toHaveLength(2);
    // The page's requests carried the run's trace context, with the entry that marks its parent as the test's.
    expect(body.spans.every((s) => /^tracecheck=[0-9a-f]{16}$/.test(s.traceState))).toBe(true);
    // Also written where the test's output goes (testInfo.outputPath), not only the reporter's copies.
    expect(existsSync(join(dir, 'test-results', 'planted-bugs-a-RETRY-coupon-charges-the-card-twice', 'tracecheck-1-verdict.txt'))).toBe(true);
  });

  it('the JUnit report carries the failure, the attachments and the run id', () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { testsuite: { testcase: { name: string; failure?: { message: string; '#text'?: string }; error?: unknown; 'system-out'?: string; properties?: { property: { name: string; value: string } | { name: string; value: string }[] } } | unknown[] }[] | unknown };
    };
    const suites = [parsed.testsuites.testsuite].flat() as { testcase: unknown }[];
    const cases = suites.flatMap((s) => [s.testcase].flat()) as { name: string; failure?: { '#text'?: string }; 'system-out'?: string; properties?: { property: unknown } }[];
    const retry = cases.find((c) => c.name === 'a RETRY coupon charges the card twice')!;
    expect(retry.failure).toBeDefined();
    const runId = spec('a RETRY coupon charges the card twice').annotations.find((a) => a.type === 'tracecheck run')!.description!;
    expect(String(retry.failure!['#text'])).toContain(`Run: ${runId}`);
    const out = String(retry['system-out']);
    expect(out).toMatch(/\[\[ATTACHMENT\|[^\]]*tracecheck-verdict-[0-9a-f]+\.txt\]\]/);
    expect(out).toMatch(/\[\[ATTACHMENT\|[^\]]*tracecheck-spans-[0-9a-f]+\.json\]\]/);
    const properties = [retry.properties?.property].flat() as { name: string; value: string }[];
    expect(properties).toContainEqual({ name: 'tracecheck run', value: runId });
  });

  it('a settled pass that the end of the test overturns fails the test with the overturn and its evidence', () => {
    const t = spec('a LATE coupon sends a fraud review after the check passed');
    const runId = t.annotations.find((a) => a.type === 'tracecheck run')?.description;
    expect(runId).toBeDefined();
    const r = t.results[0]!;
    const message = plain(r.errors.map((e) => e.message ?? '').join('\n'));
    expect(message).toContain(`overturned when run ${runId} was closed`);
    expect(message).toContain(`OVERTURNED at the end of run ${runId}: no "fraud.review"`);
    expect(message).toMatch(/fraud\.review \(svc api\)/);
    const overturned = r.attachments.find((a) => a.name === 'tracecheck overturned')!;
    expect(readFileSync(overturned.path!, 'utf8')).toContain('OVERTURNED');
    expect(existsSync(r.attachments.find((a) => a.name === 'tracecheck spans')!.path!)).toBe(true);
  });

  it('under `tracecheck run`, the config reuses its receiver: the checks reach its report, with the caller', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'tracecheck-playwright-run-'));
    const env = await shopEnv(runDir, { SHOP_KEEP_RUNS: '1' });
    const report = join(runDir, 'tracecheck-report');
    const r = await runIn(process.execPath, [cliPath, 'run', '--report', report, '--', playwright, 'test', 'tests/checkout.spec.ts', '--reporter=json', '--output', join(runDir, 'test-results')], env, 150_000);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const json = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as {
      runs: { id: string; spans: number }[];
      checks: { total: number; failed: number; list: { run: string; assertion: string; pass: boolean; caller?: { file?: string; line?: number; test?: string } }[] };
    };
    // Four checks from three tests, all decided by tracecheck run's receiver (a receiver of the
    // config's own would have left this report empty).
    expect(json.checks.failed).toBe(0);
    expect(json.checks.list.map((c) => c.assertion).sort()).toEqual(
      [
        'exactly 1 { name = "payment.charge" && span.amount = 3600 }',
        'exactly 1 { name = "payment.charge" && span.amount = 5000 } after "order.create"',
        'one { name = "email.send" && span.template = "order-confirmation" }',
        'some "checkout.page.render"',
      ].sort(),
    );
    const charge = json.checks.list.find((c) => c.assertion.includes('span.amount = 3600'))!;
    expect(charge.caller).toMatchObject({ file: 'tests/checkout.spec.ts', test: 'an API call from the test itself carries the run with run.headers()' });
    // The line of the `expect(run).toHold(...)` call, not the test's.
    const lines = readFileSync(join(shop, 'tests/checkout.spec.ts'), 'utf8').split('\n');
    expect(charge.caller!.line).toBe(lines.findIndex((l) => l.includes('span.amount = 3600')) + 1);
    // SHOP_KEEP_RUNS=1 kept the runs, so the report has their spans.
    expect(json.runs.find((run) => run.id === charge.run)?.spans).toBeGreaterThan(0);
  }, 180_000);
});

describe.skipIf(!existsSync(CHROMIUM))('toMatchEffectSnapshot with Playwright\'s snapshot machinery (examples/playwright-shop/tests/effects.spec.ts)', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('writes with --update-snapshots, passes unchanged, fails on a renamed payload field with the review line, and -u accepts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-pw-snap-'));
    const snaps = join(dir, 'snapshots');
    const run = async (extra: NodeJS.ProcessEnv, args: string[] = []) =>
      runIn(playwright, ['test', 'tests/effects.spec.ts', '--reporter=line', '--output', join(dir, 'test-results'), ...args], await shopEnv(dir, { SHOP_SNAPSHOTS: '1', SHOP_SNAPSHOT_DIR: snaps, ...extra }), 120_000);

    const written = await run({}, ['--update-snapshots']);
    expect(written.code, written.stdout + written.stderr).toBe(0);
    const file = join(snaps, 'checkout-effects.txt'); // Playwright sanitizes the name's dots
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# tracecheck effect snapshot\n/);
    expect(text).toContain('payment.charge (svc api) ×1');
    expect(text).toContain('    currency: "eur"');
    expect(text).toContain('email.send (svc api) ×1');

    const same = await run({});
    expect(same.code, same.stdout + same.stderr).toBe(0);

    const drifted = await run({ SHOP_FAULT: 'rename' });
    expect(drifted.code).toBe(1);
    const out = plain(drifted.stdout);
    expect(out).toMatch(/The effects of run checkout-effects-[0-9a-f]{8} changed:\n\s+email\.send \(svc api\) payload: - orderId: string {2}\+ order_id: string/);
    expect(readFileSync(file, 'utf8')).toBe(text); // a mismatch writes nothing

    const accepted = await run({ SHOP_FAULT: 'rename' }, ['--update-snapshots']);
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('    order_id: string');
  }, 240_000);
});

describe('docs/playwright.md shows the example that this test runs', () => {
  it('every file it quotes (<!-- path --> before a code block) is that file, character for character', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const doc = readFileSync(join(root, 'docs/playwright.md'), 'utf8');
    const quoted = [...doc.matchAll(/<!-- (examples\/[^ ]+) -->\n```\w*\n([\s\S]*?)```/g)];
    expect(quoted.map((m) => m[1])).toEqual(['examples/playwright-shop/playwright.config.ts', 'examples/playwright-shop/tests/checkout.spec.ts']);
    for (const [, path, text] of quoted) expect(text, path).toBe(readFileSync(join(root, path!), 'utf8'));
  });
});
