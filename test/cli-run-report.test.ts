import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';

// `tracecheck run --report DIR` writes junit.xml and index.html beside report.json. One real run
// feeds every test here: examples/inflight's late-duplicate suite (a check that passes, then is
// overturned by a duplicate webhook), then a script that makes more checks through POST /api/check
// with a `caller` (a near miss that fails, a pass) and sends a span whose name and attributes try to
// inject markup. The page is opened in headless Chromium (Debian's /usr/bin/chromium; .ci/run
// installs it). The screenshot is saved as test/artifacts/report.png (git-ignored).

const CHROMIUM = '/usr/bin/chromium';
const inflight = fileURLToPath(new URL('../examples/inflight/', import.meta.url));
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const RUN = 'ship-1';
const EVIL = '<img src=x onerror="window.__pwned=1">';
const EVIL_NOTE = '</script><script>window.__pwned=2</script>\u0001';
const EVIL_FILE = 'test/<evil>&\u0001.ts';

/** Run under `tracecheck run` after the suite: more checks, each with the caller a test integration would send. */
const moreChecks = `
const url = process.env.TRACECHECK_URL;
const post = async (path, body) => {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(path + ' answered ' + res.status + ': ' + (await res.text()));
  return res.json();
};
const s = (v) => ({ stringValue: v });
const now = BigInt(Date.now()) * 1000000n;
await post('/v1/traces', { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: s('evil<svc>') }] }, scopeSpans: [{ scope: { name: 'evil' }, spans: [{
  traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: ${JSON.stringify(EVIL)}, kind: 1,
  startTimeUnixNano: String(now - 5000000n), endTimeUnixNano: String(now),
  attributes: [{ key: 'test.run.id', value: s('evil-run') }, { key: 'note', value: s(${JSON.stringify(EVIL_NOTE)}) }, { key: 'effect.payload', value: s(JSON.stringify({ html: '<b>bold?</b>', amount: 5 })) }],
}] }] }] });
const run = ${JSON.stringify(RUN)};
await post('/api/check', { run, assertion: 'some { name = "fulfillment.webhook.send" && span.order.id = "10" }', timeoutMs: 500, caller: { file: 'test/shipping.test.ts', line: 42, column: 7, test: 'ships order 10' } });
await post('/api/check', { run, assertion: 'some "fulfillment.webhook.send"', caller: { file: 'test/shipping.test.ts', line: 12 } });
await post('/api/check', { run: 'evil-run', assertion: 'no { name =~ "<img.*" }', caller: { file: ${JSON.stringify(EVIL_FILE)}, line: 3, test: ${JSON.stringify(EVIL)} } });
console.log('more checks made');
`;

interface Check {
  id: number;
  run: string;
  assertion: string;
  pass: boolean;
  verdict: { matches: { traceId: string; spanId: string }[]; nearMisses: { span: { traceId: string; spanId: string } }[] };
  overturned?: { summary: string };
}

describe('tracecheck run --report: junit.xml and index.html (real processes)', () => {
  let dir = '';
  let result: { code: number | null; stdout: string; stderr: string };
  let report: { runs: { id: string; spans: number; file: string }[]; checks: { list: Check[] } };
  const checkOf = (assertion: string): Check => report.checks.list.find((c) => c.assertion === assertion)!;

  beforeAll(async () => {
    buildWorkspace();
    dir = mkdtempSync(join(tmpdir(), 'tracecheck-report-'));
    const script = join(mkdtempSync(join(tmpdir(), 'tracecheck-checks-')), 'more-checks.mjs');
    writeFileSync(script, moreChecks);
    const node = JSON.stringify(process.execPath);
    result = await runCli(['run', '--report', dir, '--', 'sh', '-c', `${node} ${JSON.stringify(join(inflight, 'late-duplicate-suite.mjs'))} && ${node} ${JSON.stringify(script)}`], { RUN_ID: RUN });
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  }, 90_000);

  it('ran the suite: one check overturned, two failed, one passed', () => {
    expect(result.stdout).toContain('more checks made');
    expect(result.code).toBe(1);
    expect(report.checks.list.map((c) => [c.run, c.pass, c.overturned !== undefined])).toEqual([
      [RUN, true, true],
      [RUN, false, false],
      [RUN, true, false],
      ['evil-run', false, false],
    ]);
  });

  describe('junit.xml', () => {
    let xml = '';
    let doc: JunitDoc;
    beforeAll(() => {
      xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
      doc = parseJunit(xml);
    });

    it('is well-formed XML 1.0 of the common JUnit shape', () => {
      expect(XMLValidator.validate(xml)).toBe(true);
      // No character XML 1.0 forbids (a control character in the data is spelled \\u0001), no raw < in attributes.
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      expect(xml).not.toMatch(/="[^"]*</);
      expect(junitShapeProblems(doc)).toEqual([]);
    });

    it('has a testsuite per run and a testcase per check, overturned first, named by assertion and caller', () => {
      const suites = doc.testsuites.testsuite;
      expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
        [RUN, '3', '2'],
        ['evil-run', '1', '1'],
      ]);
      expect(doc.testsuites).toMatchObject({ tests: '4', failures: '3', errors: '0' });
      const cases = suites[0]!.testcase!;
      expect(cases.map((c) => [c.name, c.classname, c.file, c.line])).toEqual([
        ['exactly 1 "fulfillment.webhook.send"', RUN, undefined, undefined],
        ['some { name = "fulfillment.webhook.send" && span.order.id = "10" }', 'test/shipping.test.ts', 'test/shipping.test.ts', '42'],
        ['some "fulfillment.webhook.send"', 'test/shipping.test.ts', 'test/shipping.test.ts', '12'],
      ]);
      expect(Number(cases[1]!.time)).toBeGreaterThanOrEqual(0.5);
      expect(cases[2]!.failure).toBeUndefined();
    });

    it('an overturned check fails with the overturn message and its evidence attached', () => {
      const c = doc.testsuites.testsuite[0]!.testcase![0]!;
      const f = c.failure![0]!;
      expect(f.type).toBe('tracecheck.overturned');
      expect(f.message).toMatch(/^OVERTURNED: passed at \+0\.\ds, overturned by `fulfillment\.webhook\.send` \(span [0-9a-f]{16}\) at \+\d\.\ds$/);
      expect(f['#text']).toMatch(/^✘ OVERTURNED at the end of run ship-1: exactly 1 "fulfillment.webhook.send"/);
      const id = checkOf('exactly 1 "fulfillment.webhook.send"').id;
      expect(f['#text']).toContain(`[[ATTACHMENT|${join(dir, 'evidence', `${id}.txt`)}]]`);
      expect(f['#text']).toContain(`[[ATTACHMENT|${join(dir, 'runs', `${RUN}.json`)}]]`);
      expect(c['system-out']).toContain(`[[ATTACHMENT|${join(dir, 'evidence', `${id}.txt`)}]]`);
      expect(readFileSync(join(dir, 'evidence', `${id}.txt`), 'utf8')).toMatch(/^check \d+: OVERTURNED\nassertion: exactly 1 "fulfillment\.webhook\.send"\n[\s\S]*--- overturn ---\n✘ OVERTURNED[\s\S]*--- verdict \(JSON\) ---\n\{/);
    });

    it('a failed check with a caller: the failure text starts with file:line:column, properties name the near misses\' traces', () => {
      const assertion = 'some { name = "fulfillment.webhook.send" && span.order.id = "10" }';
      const c = doc.testsuites.testsuite[0]!.testcase![1]!;
      const f = c.failure![0]!;
      expect(f.type).toBe('tracecheck.failed');
      expect(f.message).toBe(`✘ ${assertion}`);
      expect(f['#text']).toMatch(/^test\/shipping\.test\.ts:42:7\n✘ some \{ name = "fulfillment\.webhook\.send" && span\.order\.id = "10" \}\n/);
      const check = checkOf(assertion);
      const traces = [...new Set(check.verdict.nearMisses.map((m) => m.span.traceId))];
      expect(traces.length).toBeGreaterThan(0);
      const props = c.properties!.property!.map((p) => [p.name, p.value]);
      expect(props).toEqual(expect.arrayContaining([['tracecheck.run', RUN], ['tracecheck.check', String(check.id)], ['tracecheck.test', 'ships order 10'], ...traces.map((t) => ['tracecheck.near_miss.trace_id', t])]));
    });

    it('escapes the data: markup and control characters in run ids, files and test names', () => {
      const c = doc.testsuites.testsuite[1]!.testcase![0]!;
      expect(c.classname).toBe('test/<evil>&\\u0001.ts');
      expect(c.file).toBe('test/<evil>&\\u0001.ts');
      expect(c.failure![0]!['#text']).toMatch(/^test\/<evil>&\\u0001\.ts:3\n✘ no \{ name =~ "<img\.\*" \}/);
      expect(c.properties!.property).toEqual(expect.arrayContaining([{ name: 'tracecheck.test', value: EVIL }]));
    });
  });

  describe('index.html in headless Chromium', () => {
    let browser: Browser | undefined;
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the summary, the checks (overturned first), a waterfall row per span, details on click, failed checks\' spans highlighted', async (ctx) => {
      if (!existsSync(CHROMIUM)) return ctx.skip(`${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium; .ci/run does) to run this test`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${join(dir, 'index.html')}`);

      // The summary.
      await expect.poll(() => page.locator('#outcome').textContent()).toBe('FAILED: exit code 1');
      expect(await page.locator('#checks-count').textContent()).toBe('4: 1 passed, 2 failed, 1 overturned');
      expect(await page.locator('#command').textContent()).toContain('late-duplicate-suite.mjs');

      // The checks: overturned first, clearly marked, then the failures, then the pass.
      const statuses = await page.locator('article.check').evaluateAll((els) => els.map((e) => [e.getAttribute('data-status'), e.querySelector('.assertion')?.textContent]));
      expect(statuses).toEqual([
        ['overturned', 'exactly 1 "fulfillment.webhook.send"'],
        ['failed', 'some { name = "fulfillment.webhook.send" && span.order.id = "10" }'],
        ['failed', 'no { name =~ "<img.*" }'],
        ['passed', 'some "fulfillment.webhook.send"'],
      ]);
      const overturned = page.locator('article.check.overturned');
      expect(await overturned.locator('.badge').textContent()).toBe('OVERTURNED');
      expect(await overturned.locator('.overturn-summary').textContent()).toMatch(/^passed at \+0\.\ds, overturned by `fulfillment\.webhook\.send` \(span [0-9a-f]{16}\) at \+\d\.\ds$/);
      await expect.poll(() => overturned.locator('pre.message').isVisible()).toBe(true);
      expect(await overturned.locator('pre.message').textContent()).toContain('How to fix: nothing in the run showed this work still coming');
      const failed = page.locator('article.check.failed').first();
      expect(await failed.locator('.meta').textContent()).toContain('at test/shipping.test.ts:42:7');
      expect(await failed.locator('pre.message').textContent()).toMatch(/^✘ some \{ name = "fulfillment\.webhook\.send" && span\.order\.id = "10" \}/);

      // A waterfall row per span of each run.
      for (const [i, run] of report.runs.entries()) {
        const spans = JSON.parse(readFileSync(join(dir, run.file), 'utf8')).spans as { spanId: string }[];
        expect(await page.locator(`#run-${i} h3 code`).textContent()).toBe(run.id);
        const rows = await page.locator(`#run-${i} tr.span`).evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id')));
        expect(rows.sort()).toEqual(spans.map((s) => s.spanId).sort());
      }

      // The failed check's nearest misses are highlighted and tagged with its check id.
      const nearMiss = checkOf('some { name = "fulfillment.webhook.send" && span.order.id = "10" }');
      const missIds = nearMiss.verdict.nearMisses.map((m) => m.span.spanId);
      expect(missIds.length).toBeGreaterThan(0);
      const highlighted = await page.locator('tr.span.hl-near-miss').evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id')));
      expect(highlighted.sort()).toEqual([...missIds].sort());
      const missRow = page.locator(`tr.span[data-span-id="${missIds[0]}"]`);
      expect(await missRow.locator('.tag').allTextContents()).toContain(`near miss #${nearMiss.id}`);
      // (Page-side code as strings: this project's TypeScript has no DOM types.)
      expect(await missRow.evaluate('(e) => getComputedStyle(e).backgroundColor')).not.toBe('rgba(0, 0, 0, 0)');
      // The matches of the failed and the overturned check too, and the span that overturned the pass.
      const matchIds = [checkOf('no { name =~ "<img.*" }'), checkOf('exactly 1 "fulfillment.webhook.send"')].flatMap((c) => c.verdict.matches.map((m) => m.spanId));
      expect(matchIds).toHaveLength(2);
      expect((await page.locator('tr.span.hl-match').evaluateAll((els) => els.map((e) => e.getAttribute('data-span-id')))).sort()).toEqual(matchIds.sort());
      expect(await page.locator('tr.span.hl-overturned-by').count()).toBe(1);

      // Clicking a row shows its details: attributes and the pretty-printed payload.
      await missRow.click();
      const details = page.locator(`tr.span[data-span-id="${missIds[0]}"] + tr.detail-row`);
      await expect.poll(() => details.isVisible()).toBe(true);
      const detailText = (await details.textContent()) ?? '';
      expect(detailText).toContain('order.id');
      expect(detailText).toContain(missIds[0]);
      expect(await details.locator('pre.payload').textContent()).toBe(JSON.stringify({ order_id: '9', status: 'shipped' }, null, 2));
      expect(detailText).toContain('service.name');

      // Span data cannot inject markup: the evil span's name, attribute and payload show as text.
      const evilRow = page.locator('tr.span[data-span-id="b7ad6b7169203331"]');
      expect(await evilRow.locator('.sname').textContent()).toBe(EVIL);
      await evilRow.click();
      const evilDetails = page.locator('tr.span[data-span-id="b7ad6b7169203331"] + tr.detail-row');
      await expect.poll(() => evilDetails.isVisible()).toBe(true);
      expect(await evilDetails.textContent()).toContain('</script><script>window.__pwned=2</script>');
      expect(await evilDetails.locator('pre.payload').textContent()).toBe(JSON.stringify({ html: '<b>bold?</b>', amount: 5 }, null, 2));
      expect(await page.evaluate('[typeof window.__pwned, document.querySelectorAll("img, main b").length]')).toEqual(['undefined', 0]);

      // Self-contained: nothing but the file itself was loaded, and the script ran without errors.
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(errors).toEqual([]);

      mkdirSync(artifacts, { recursive: true });
      await missRow.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
      expect(existsSync(join(artifacts, 'report.png'))).toBe(true);

      // Without JavaScript the essentials are there: the summary, the checks with verdicts, the rows.
      const noJs = await browser.newPage({ javaScriptEnabled: false });
      await noJs.goto(`file://${join(dir, 'index.html')}`);
      expect(await noJs.locator('article.check').count()).toBe(4);
      expect(await noJs.locator('article.check.overturned .overturn-summary').isVisible()).toBe(true);
      expect(await noJs.locator('tr.span').count()).toBe(report.runs.reduce((n, r) => n + r.spans, 0));
    }, 60_000);
  });
});

interface JunitProperty {
  name: string;
  value: string;
}
interface JunitCase {
  [attr: string]: unknown;
  name: string;
  classname: string;
  time: string;
  file?: string;
  line?: string;
  properties?: { property?: JunitProperty[] };
  failure?: { message: string; type: string; '#text': string }[];
  'system-out'?: string;
}
interface JunitSuite {
  [attr: string]: unknown;
  name: string;
  tests: string;
  failures: string;
  testcase?: JunitCase[];
}
interface JunitDoc {
  testsuites: { [attr: string]: unknown; testsuite: JunitSuite[] };
}

function parseJunit(xml: string): JunitDoc {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
  });
  return parser.parse(xml) as JunitDoc;
}

/**
 * What the common JUnit XSD (Jenkins' junit-10.xsd, the format GitLab and GitHub reporters read)
 * requires of the elements and attributes tracecheck writes.
 */
function junitShapeProblems(doc: JunitDoc): string[] {
  const problems: string[] = [];
  const int = /^\d+$/;
  const decimal = /^\d+(\.\d+)?$/;
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
  const only = (where: string, o: object, allowed: string[]): void => {
    for (const [k, v] of Object.entries(o)) {
      if (k === '#text' && typeof v === 'string' && v.trim() === '') continue; // indentation
      if (!allowed.includes(k)) problems.push(`${where}: unexpected ${k}`);
    }
  };
  const root = doc.testsuites;
  if (root === undefined) return ['no <testsuites> root'];
  only('testsuites', root, ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'disabled', 'testsuite']);
  for (const a of ['tests', 'failures', 'errors']) if (!int.test(String(root[a]))) problems.push(`testsuites: ${a}="${String(root[a])}"`);
  let tests = 0;
  for (const s of root.testsuite ?? []) {
    const where = `testsuite ${s.name}`;
    only(where, s, ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'timestamp', 'hostname', 'id', 'package', 'properties', 'testcase', 'system-out', 'system-err']);
    if (typeof s.name !== 'string' || s.name === '') problems.push(`${where}: no name`);
    for (const a of ['tests', 'failures', 'errors', 'skipped']) if (!int.test(String(s[a]))) problems.push(`${where}: ${a}="${String(s[a])}"`);
    if (!decimal.test(String(s.time))) problems.push(`${where}: time="${String(s.time)}"`);
    if (!dateTime.test(String(s.timestamp))) problems.push(`${where}: timestamp="${String(s.timestamp)}"`);
    const cases = s.testcase ?? [];
    if (Number(s.tests) !== cases.length) problems.push(`${where}: tests=${s.tests} but ${cases.length} testcases`);
    if (Number(s.failures) !== cases.filter((c) => c.failure !== undefined).length) problems.push(`${where}: failures=${s.failures} does not count the failures`);
    tests += cases.length;
    for (const c of cases) {
      const cw = `${where} / testcase ${c.name}`;
      only(cw, c, ['name', 'classname', 'time', 'file', 'line', 'assertions', 'status', 'properties', 'failure', 'error', 'skipped', 'system-out', 'system-err']);
      if (typeof c.name !== 'string' || c.name === '') problems.push(`${cw}: no name`);
      if (typeof c.classname !== 'string' || c.classname === '') problems.push(`${cw}: no classname`);
      if (!decimal.test(String(c.time))) problems.push(`${cw}: time="${String(c.time)}"`);
      if (c.line !== undefined && !int.test(c.line)) problems.push(`${cw}: line="${c.line}"`);
      for (const p of c.properties?.property ?? []) if (typeof p.name !== 'string' || typeof p.value !== 'string') problems.push(`${cw}: property without name or value`);
      for (const f of c.failure ?? []) if (typeof f.message !== 'string' || typeof f.type !== 'string') problems.push(`${cw}: failure without message or type`);
    }
  }
  if (Number(root.tests) !== tests) problems.push(`testsuites: tests=${String(root.tests)} but ${tests} testcases`);
  return problems;
}
