import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpan } from '@tracecheck/model';
import { encodeJsonRequest } from '@tracecheck/otlp';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';

// `tracecheck check` as a real process, against a live receiver and against files: exit codes
// 0 (all hold) / 1 (one fails, diagnostics on stdout) / 2 (could not check, a message on stderr).

const T = 'ab'.repeat(16);
let n = 0;
// Each span starts 10 ms after the previous one and lasts 1 ms, so `after` has an order to check.
const span = (run: string, name: string, attributes: Record<string, unknown> = {}, parent = '') =>
  createSpan({
    traceId: T,
    spanId: (++n).toString(16).padStart(16, '0'),
    parentSpanId: parent,
    name,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(n) * 10_000_000n,
    attributes: { 'test.run.id': run, ...attributes },
  });

describe('tracecheck check', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, token: 'tok' });
    receiver.store.add([span('refund-1', 'refund.requested'), span('refund-1', 'stripe.refund.create', { amount: 2500 }), span('refund-1', 'warehouse.webhook'), span('refund-1', 'warehouse.webhook')]);
  }, 120_000);
  afterAll(() => receiver.stop());

  const live = (...args: string[]) => runCli(['check', '--url', receiver.httpUrl, '--token', 'tok', '--run', 'refund-1', '--settle', '50ms', '--timeout', '3s', ...args]);

  it('exits 0 when every assertion holds', async () => {
    const r = await live('some "refund.requested"', 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/2 of 2 checks passed/);
    expect(r.code).toBe(0);
  });

  it('takes the in-flight caps: a parent that never arrives is waited for up to --parent-cap, and the verdict says so', async () => {
    receiver.store.add([span('orphan-1', 'webhook.send', {}, 'f'.repeat(16))]);
    const r = await runCli(['check', '--url', receiver.httpUrl, '--token', 'tok', '--run', 'orphan-1', '--settle', '50ms', '--parent-cap', '400ms', 'exactly 1 "webhook.send"']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the parent of `webhook\.send` \(svc unknown_service\) \(span f{16}\): gave up after \d+ms at its cap \(400ms; raise it with --parent-cap/);
  });

  it('warns when a passing negative check names a span no run ever had', async () => {
    const r = await live('no "warehouse.webhok"');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Warning: no span named 'warehouse.webhok' was seen in any run; did you mean 'warehouse.webhook'?");
  });

  it('exits 1 with the diagnostics on stdout when one fails', async () => {
    const r = await live('some "refund.requested"', 'exactly 1 "warehouse.webhook"');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ exactly 1 "warehouse.webhook"/);
    expect(r.stdout).toMatch(/Received: 2/);
    expect(r.stdout).toMatch(/1 of 2 checks passed/);
  });

  it('exits 2 with the caret on stderr for a syntax error, before waiting on anything', async () => {
    const r = await live('some "refund.requested"', 'exactly { name = "x" }');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Syntax error at line 1, column 9/);
    expect(r.stderr).toMatch(/\^/);
  });

  it('exits 2 for an unreachable receiver, a missing token, and usage errors', async () => {
    const unreachable = await runCli(['check', '--url', 'http://127.0.0.1:1', '--run', 'x', 'some "a"']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach the tracecheck receiver/);
    const noToken = await runCli(['check', '--url', receiver.httpUrl, '--run', 'x', 'some "a"']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/401/);
    expect((await runCli(['check', '--run', 'x', 'some "a"'])).stderr).toMatch(/TRACECHECK_URL/);
    expect((await runCli(['check', '--url', receiver.httpUrl])).code).toBe(2);
    expect((await runCli(['check', '--url', receiver.httpUrl, '--run', 'x', '--timeout', '10', 'some "a"'])).stderr).toMatch(/--timeout/);
  });

  it('answers a mistyped flag or command with a suggestion and the synopsis, exit 2', async () => {
    const flag = await runCli(['check', '--timout', '5s', '--run', 'x', 'some "a"']);
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toBe(
      "tracecheck check: unknown option --timout; did you mean --timeout?\nUsage: tracecheck check --url URL --run ID [options] ASSERTION...\n       tracecheck check --file FILE [--run ID] ASSERTION...\nRun 'tracecheck check --help' for its options.\n",
    );
    const command = await runCli(['chek', '--run', 'x', 'some "a"']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^tracecheck: unknown command 'chek'; did you mean 'check'\?\nUsage: tracecheck receive\|check\|run\|snapshot \[options\]\n/);
  });

  it('reads TRACECHECK_URL and TRACECHECK_TOKEN', async () => {
    const r = await runCli(['check', '--run', 'refund-1', 'some "refund.requested"'], { TRACECHECK_URL: receiver.httpUrl, TRACECHECK_TOKEN: 'tok' });
    expect(r.code).toBe(0);
  });

  it('checks an OTLP JSON-lines file offline: the file is the whole run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-'));
    const file = join(dir, 'traces.jsonl');
    const root = span('file-run', 'POST /refunds');
    // The untagged child inherits the run from its trace; the second line comes as a separate request.
    const child = createSpan({ traceId: T, spanId: (++n).toString(16).padStart(16, '0'), parentSpanId: root.spanId, name: 'email.send' });
    writeFileSync(file, `${encodeJsonRequest([root])}\n\n${encodeJsonRequest([child])}\n`);
    const ok = await runCli(['check', '--file', file, '--run', 'file-run', 'one "email.send"', 'no "charge"']);
    expect(ok.stdout).toMatch(/2 of 2 checks passed/);
    expect(ok.code).toBe(0);
    const bad = await runCli(['check', '--file', file, '--run', 'file-run', 'some "charge"'], { FORCE_COLOR: '0' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).not.toContain('\u001b[');
    // The same verdict, styled for a terminal (FORCE_COLOR stands in for a TTY here).
    const coloured = await runCli(['check', '--file', file, '--run', 'file-run', 'some "charge"'], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\u001b[31m✘ some "charge"\u001b[39m');
    expect(coloured.stdout.replace(/\u001b\[\d+m/g, '')).toBe(bad.stdout);
    writeFileSync(join(dir, 'bad.jsonl'), '{"resourceSpans": 5}\n');
    const broken = await runCli(['check', '--file', join(dir, 'bad.jsonl'), 'some "a"']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/bad\.jsonl:1: not an OTLP\/JSON trace request/);
    // One pretty-printed request is read whole.
    const pretty = await runCli(['check', '--file', fileURLToPath(new URL('./fixtures/vectors/trace.json', import.meta.url)), 'some { kind = server }']);
    expect(pretty.code).toBe(0);
  });

  it('reads a run file that tracecheck run --report wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-'));
    // A command that exports two spans of run file-2 to the receiver tracecheck run started for it.
    const body = encodeJsonRequest([span('file-2', 'refund.requested'), span('file-2', 'warehouse.webhook')]);
    const send = `await fetch(process.env.TRACECHECK_URL + '/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.env.BODY })`;
    const run = await runCli(['run', '--report', dir, '--', process.execPath, '--input-type=module', '-e', send], { BODY: body });
    expect(run.code).toBe(0);
    const file = join(dir, 'runs', 'file-2.json');
    const ok = await runCli(['check', '--file', file, 'some "refund.requested"', 'exactly 1 "warehouse.webhook"']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/2 of 2 checks passed/);
    expect(ok.code).toBe(0);
    expect((await runCli(['check', '--file', file, '--run', 'file-2', 'no "charge"'])).code).toBe(0);
    const failing = await runCli(['check', '--file', file, 'some "charge"']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✘ some "charge"/);
    // The file holds one run; naming another is a mistake to point out, not an empty run to fail.
    const other = await runCli(['check', '--file', file, '--run', 'file-3', 'no "charge"']);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`tracecheck check: ${file} holds the spans of run 'file-2', not 'file-3': leave --run out or give --run file-2\n`);
    // report.json sits next to the run files; passing it gets pointed at them.
    const report = await runCli(['check', '--file', join(dir, 'report.json'), 'some "a"']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/report\.json is a tracecheck run report, not a run's spans: check one of its runs' files, e\.g\. .*runs\/file-2\.json/);
  });

  it('reads a saved GET /api/runs/{id}/spans body, with the verdicts a live check gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-'));
    const file = join(dir, 'refund-1.json');
    const res = await fetch(`${receiver.httpUrl}/api/runs/refund-1/spans`, { headers: { authorization: 'Bearer tok' } });
    writeFileSync(file, await res.text());
    const r = await runCli(['check', '--file', file, 'some "refund.requested"', 'exactly 1 "warehouse.webhook"']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ exactly 1 "warehouse.webhook"/);
    expect(r.stdout).toMatch(/Received: 2/);
    expect(r.stdout).toMatch(/1 of 2 checks passed/);
  });

  it('refuses with exit 2 a file that holds no spans it can read, naming the file and what it reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-'));
    const files: Record<string, string> = {
      'empty.jsonl': '',
      'notes.txt': 'refund-42 looked fine\n',
      'list.json': '[1, 2, 3]\n',
      'config.json': '{"service": "refunds", "port": 3000}\n',
      'idle.jsonl': '{"resourceSpans": []}\n{"resourceSpans": []}\n',
      'unknown-run.json': '{"run": "nope", "spans": []}\n',
      'cut.json': '{"run": "r", "spans": [{"name": "a"}]}\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    mkdirSync(join(dir, 'folder'));
    const refused = async (name: string) => {
      const r = await runCli(['check', '--file', join(dir, name), 'no "charge"']);
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      return r.stderr.replace(`${dir}/`, '');
    };
    const formats = "--file reads OTLP JSON lines (the OpenTelemetry Collector's file exporter), a run file of tracecheck run --report (runs/<id>.json) or a saved GET /api/runs/{id}/spans body\n";
    expect(await refused('empty.jsonl')).toBe(`tracecheck check: empty.jsonl is empty: it holds no spans\n${formats}`);
    expect(await refused('notes.txt')).toBe(`tracecheck check: notes.txt is not JSON\n${formats}`);
    expect(await refused('list.json')).toBe(`tracecheck check: list.json holds JSON of another shape (an array of 3 values)\n${formats}`);
    expect(await refused('config.json')).toBe(`tracecheck check: config.json holds JSON of another shape (an object with keys "service", "port")\n${formats}`);
    expect(await refused('idle.jsonl')).toBe('tracecheck check: idle.jsonl holds no spans: its OTLP/JSON requests have none\n');
    expect(await refused('unknown-run.json')).toBe("tracecheck check: unknown-run.json holds no spans (run 'nope' had none when it was written)\n");
    expect(await refused('cut.json')).toBe('tracecheck check: cut.json: spans[0] has no traceId; is this a span as tracecheck writes it?\n');
    expect(await refused('missing.jsonl')).toMatch(/^tracecheck check: cannot read .*missing\.jsonl: ENOENT/);
    expect(await refused('folder')).toMatch(/^tracecheck check: cannot read .*folder: EISDIR/);
  });
});
