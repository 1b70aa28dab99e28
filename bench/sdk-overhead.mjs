#!/usr/bin/env node
// Overhead of @tracecheck/sdk, measured side by side in one run (see packages/sdk/README.md):
//
//   pnpm run build && node bench/sdk-overhead.mjs [--effects 20000] [--requests 2000] [--delay 200]
//
// The same workload (examples/sdk-bench/workload.mjs) runs three times: plain; with plain
// OpenTelemetry (examples/sdk-bench/otel-plain.mjs: sdk-node, the same http and undici
// instrumentations, OTLP export through the default BatchSpanProcessor, no tracecheck processors);
// and with `--import @tracecheck/sdk/register`. Both traced runs export to a receiver embedded here
// (a separate process, as in CI). Reported:
// 1. per effect() span: wrapped call minus direct call, in the instrumented process (recorded span,
//    redaction, payload JSON, run-id stamping, export work in the background); and the same with no
//    SDK started (no-op tracer);
// 2. per HTTP request (fetch + server, 2 spans): instrumented minus plain, for plain OpenTelemetry
//    and for tracecheck;
// 3. delay from span end (the span's end time) to its arrival in the receiver's store.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startReceiver } from '@tracecheck/receiver';

const { values } = parseArgs({ options: { effects: { type: 'string', default: '20000' }, requests: { type: 'string', default: '2000' }, delay: { type: 'string', default: '200' } } });
const cwd = fileURLToPath(new URL('../examples/sdk-bench/', import.meta.url));

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, 'workload.mjs'], { cwd, env: { ...process.env, EFFECTS: values.effects, REQUESTS: values.requests, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`workload exited ${code}`))));
  });
}

const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
const arrivals = [];
receiver.store.subscribe('bench-delay', (update) => {
  const now = BigInt(Date.now()) * 1_000_000n;
  for (const span of update.spans) arrivals.push(Number(now - span.endTimeUnixNano) / 1e6);
});

const plain = await run([], {});
const otel = await run(['--import', './otel-plain.mjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'bench-otel' });
const traced = await run(['--import', '@tracecheck/sdk/register'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'bench', DELAY_SAMPLES: values.delay });
await new Promise((r) => setTimeout(r, 200));
await receiver.stop();

const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
console.log(`effect() span, SDK started:   ${us(traced.wrapped - traced.direct)} per call (wrapped ${us(traced.wrapped)}, direct ${us(traced.direct)})`);
console.log(`effect() span, plain OTel:    ${us(otel.wrapped - otel.direct)} per call (wrapped ${us(otel.wrapped)}, direct ${us(otel.direct)})`);
console.log(`effect() span, no SDK:        ${us(plain.wrapped - plain.direct)} per call (wrapped ${us(plain.wrapped)}, direct ${us(plain.direct)})`);
console.log(`HTTP request (fetch+server):  ${us(traced.http - plain.http)} per request (instrumented ${us(traced.http)}, plain ${us(plain.http)})`);
console.log(`HTTP request, plain OTel:     ${us(otel.http - plain.http)} per request (instrumented ${us(otel.http)})`);
const sorted = arrivals.sort((a, b) => a - b);
if (sorted.length > 0) console.log(`span end -> in receiver:      p50 ${pct(sorted, 50).toFixed(2)} ms, p99 ${pct(sorted, 99).toFixed(2)} ms, max ${sorted.at(-1).toFixed(2)} ms (${sorted.length} spans)`);
