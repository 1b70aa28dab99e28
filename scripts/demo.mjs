#!/usr/bin/env node
// The README's main job, end to end with real processes: start `tracecheck receive`, run a refund
// flow (examples/demo) instrumented with @tracecheck/sdk that performs real HTTP effects, then decide
// business invariants on its run with `tracecheck check` and print the verdicts.
//
// The flow has one planted bug (its warehouse webhook fires twice), so one check is meant to fail:
// the demo exits 0 when every verdict is the expected one, 1 otherwise.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}packages/cli/bin/tracecheck.js`;
const runId = `demo-${Date.now().toString(36)}`;

const checks = [
  { assertion: 'some "refund.requested"', expect: true },
  { assertion: 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 && kind = client } after "refund.requested"', expect: true },
  { assertion: 'one { name = "email.send" && span.template = "refund-confirmation" }', expect: true },
  { assertion: 'no { status = error }', expect: true },
  { assertion: 'no { span.effect.payload =~ ".*4242 4242 4242 4242.*" }', expect: true },
  { assertion: 'exactly 1 "warehouse.webhook"', expect: false, why: 'the planted bug: the webhook fires twice' },
];

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

const receiver = spawn(process.execPath, [cli, 'receive', '--http-port', '0', '--grpc-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    receiver.stdout.on('data', (d) => {
      out += d;
      const m = /^tracecheck ready http=(\S+)/m.exec(out);
      if (m) resolve(m[1]);
    });
    receiver.on('exit', (code) => reject(new Error(`tracecheck receive exited with ${code} before it was ready`)));
  });
  console.log(`1. receiver ready at ${url}`);

  const flow = await run([`${root}examples/demo/refund-flow.mjs`], { TRACECHECK_RUN_ID: runId, OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
  if (flow.code !== 0) throw new Error(`the refund flow exited with ${flow.code}`);
  console.log(`2. ${flow.stdout.trim()}`);
  console.log(`3. checking run ${runId}:\n`);

  let asExpected = true;
  for (const c of checks) {
    const r = await run([cli, 'check', '--url', url, '--run', runId, '--settle', '200ms', '--timeout', '5s', c.assertion]);
    if (r.code === 2) throw new Error(`tracecheck check could not run: ${c.assertion}`);
    const passed = r.code === 0;
    const body = r.stdout.replace(/\n*\d+ of \d+ checks? passed\n*$/, '').trimEnd();
    console.log(body.replace(/^/gm, '   '));
    if (c.why) console.log(`   (${passed === c.expect ? 'as expected' : 'NOT as expected'}: ${c.why})`);
    console.log('');
    if (passed !== c.expect) asExpected = false;
  }
  console.log(asExpected ? 'demo: every verdict is the expected one (5 hold, including that the card number never left the process in clear; 1 catches the planted duplicate webhook)' : 'demo: a verdict was not the expected one');
  process.exitCode = asExpected ? 0 : 1;
} finally {
  receiver.kill('SIGTERM');
}
