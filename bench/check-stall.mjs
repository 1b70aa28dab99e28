#!/usr/bin/env node
// How long the receiver's event loop is held while it decides checks over one large run, closes the
// run (re-verifying its settled passes), streams it back and deletes it.
//
//   pnpm run build && node bench/check-stall.mjs [--spans 1000000] [--per-trace 8]
//
// One `tracecheck receive` (2 GiB cap) is sent `spans` small spans of one run over OTLP/HTTP protobuf,
// then each request below is made alone while a worker thread polls /healthz every 20 ms (each poll
// must answer within 1 s). Printed per request: its time, the worst /healthz, and the receiver's
// longest event-loop stall so far (GET /api/stats, 10 ms resolution).
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { POLLER, startReceiverProcess } from '../scripts/fuzz/campaign.mjs';
import { anyInt, anyString, request, runAttribute, span } from '../scripts/fuzz/protobuf.mjs';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' }, 'per-trace': { type: 'string', default: '8' } } });
const SPANS = Number(values.spans);
const PER_TRACE = Number(values['per-trace']);
const hex = (n, width) => n.toString(16).padStart(width, '0');

const receiver = startReceiverProcess(['--retention', '24h', '--max-memory', '2GiB']);
const { http } = await receiver.ready;
const started = performance.now();
for (let from = 0; from < SPANS; from += 500) {
  const spans = Array.from({ length: Math.min(500, SPANS - from) }, (_, i) =>
    span({ traceId: hex(Math.floor((from + i) / PER_TRACE) + 1, 32), spanId: hex(from + i + 1, 16), attributes: [runAttribute('big'), ['seq', anyInt(from + i)], ['payload', anyString('x'.repeat(64))]] }),
  );
  const res = await fetch(`${http}/v1/traces`, { method: 'POST', body: request(spans), headers: { 'content-type': 'application/x-protobuf' } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`export answered ${res.status}`);
}
console.log(`${SPANS} spans (${PER_TRACE} to a trace) exported in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

async function measure(label, fn) {
  const poller = new Worker(POLLER, { eval: true, workerData: { url: `${http}/healthz`, healthMs: 1000, intervalMs: 20 } });
  const health = new Promise((resolve) => poller.once('message', resolve));
  const t = performance.now();
  const outcome = await fn();
  const took = performance.now() - t;
  poller.postMessage('stop');
  const { worstHealthMs, failures } = await health;
  await poller.terminate();
  const stall = (await (await fetch(`${http}/api/stats`)).json()).maxEventLoopDelayMs;
  console.log(`${label.padEnd(48)} ${outcome.padEnd(24)} ${(took / 1000).toFixed(1).padStart(5)} s   worst /healthz ${worstHealthMs.toFixed(0).padStart(4)} ms   longest stall so far ${stall} ms${failures.length ? `   ${failures[0]}` : ''}`);
}

const json = { 'content-type': 'application/json' };
for (const assertion of ['exactly 1 { .seq = 7 }', 'some { }', 'no { .seq = -1 }', 'exactly 1 { .seq = 7 } after { .seq = 3 }', 'some { .seq = -1 } && { name = "zz" }']) {
  await measure(assertion, async () => {
    const v = await (await fetch(`${http}/api/check`, { method: 'POST', headers: json, body: JSON.stringify({ run: 'big', assertion, timeoutMs: 5000, settleMs: 50 }) })).json();
    return `${v.pass ? 'pass' : 'fail'} (${v.reason})`;
  });
}
await measure('POST /api/runs/big/close (re-verifies 3 passes)', async () => {
  const r = await (await fetch(`${http}/api/runs/big/close`, { method: 'POST', headers: json, body: '{"settleMs":50}' })).json();
  return `${r.checks} checks, ${r.overturned.length} overturned`;
});
await measure('GET /api/runs/big/spans', async () => `${((await (await fetch(`${http}/api/runs/big/spans`)).arrayBuffer()).byteLength / 1e6).toFixed(0)} MB`);
await measure('DELETE /api/runs/big', async () => `${(await fetch(`${http}/api/runs/big`, { method: 'DELETE' })).status}`);
receiver.child.kill('SIGTERM');
await receiver.exited;
