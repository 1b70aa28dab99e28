#!/usr/bin/env node
// Ingest throughput and memory per stored span, measured side by side in one run.
//
//   pnpm run build && node bench/ingest.mjs [--requests 1500] [--spans 100]
//
// Figures, per encoding (protobuf, JSON), all on the same payloads:
//   decode only     decodeProtobufRequest / decodeJsonRequest in this process (the baseline)
//   decode + store  the same, plus SpanStore.add (run-id inheritance, indexes, memory accounting)
//   over HTTP       POST /v1/traces to `tracecheck receive` in a child process pinned to one core
//                   (taskset -c 0), sent by this process pinned to the other core, 4 keep-alive
//                   connections; spans/s counts from the first request to the last response.
// Memory per stored span: heap + array buffers after GC, in a child process that stores the
// decoded spans, divided by the span count; compared with the store's own estimate (the memory cap
// is enforced on that estimate).
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SpanStore } from '@tracecheck/model';
import { makeRequests } from './payloads.mjs';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, encodeProtobufRequest } from '@tracecheck/otlp';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1500' }, spans: { type: 'string', default: '100' }, child: { type: 'string' } } });
const REQUESTS = Number(values.requests);
const SPANS = Number(values.spans);
const cli = fileURLToPath(new URL('../packages/cli/bin/tracecheck.js', import.meta.url));

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function rate(spans, seconds) {
  return Math.round(spans / seconds);
}

async function postAll(url, bodies, contentType, concurrency = 4) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < bodies.length) {
      const body = bodies[next++];
      await new Promise((resolve, reject) => {
        const req = http.request(`${url}/v1/traces`, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return seconds;
}

async function startReceiverProcess() {
  const pin = hasTaskset() ? ['taskset', ['-c', '0', process.execPath]] : [process.execPath, []];
  const child = spawn(pin[0], [...pin[1], cli, 'receive', '--http-port', '0', '--grpc-port', '0', '--max-memory', '16GiB', '--max-body', '64MiB'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  return { child, url };
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '1', 'true']);
    return true;
  } catch {
    return false;
  }
}

/** Child mode: stores the decoded spans and reports heap per span. */
async function memoryChild() {
  const requests = makeRequests(REQUESTS, SPANS).map((spans) => encodeProtobufRequest(spans));
  const store = new SpanStore({ maxBytes: 16 * 1024 ** 3 });
  global.gc();
  const before = process.memoryUsage();
  let estimate = 0;
  for (const body of requests) {
    const { spans } = decodeProtobufRequest(body);
    store.add(spans);
  }
  requests.length = 0;
  global.gc();
  const after = process.memoryUsage();
  estimate = store.usedBytes;
  const used = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  process.stdout.write(JSON.stringify({ spans: store.spanCount, bytesPerSpan: used / store.spanCount, estimatePerSpan: estimate / store.spanCount }));
}

async function main() {
  if (values.child === 'memory') return memoryChild();
  if (hasTaskset()) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  console.log(`tracecheck ingest benchmark: ${REQUESTS} requests x ${SPANS} spans, node ${process.version}`);
  const requests = makeRequests(REQUESTS, SPANS);
  const total = REQUESTS * SPANS;
  const proto = requests.map((s) => Buffer.from(encodeProtobufRequest(s)));
  const json = requests.map((s) => Buffer.from(encodeJsonRequest(s)));
  const avg = (bufs) => Math.round(bufs.reduce((n, b) => n + b.length, 0) / bufs.length / SPANS);
  console.log(`payload: ${avg(proto)} bytes/span protobuf, ${avg(json)} bytes/span JSON\n`);

  const rows = [];
  for (const [label, bodies, decode, type] of [
    ['protobuf', proto, decodeProtobufRequest, 'application/x-protobuf'],
    ['json', json, decodeJsonRequest, 'application/json'],
  ]) {
    time(() => bodies.slice(0, 200).forEach((b) => decode(b))); // warm-up
    const decodeOnly = rate(total, time(() => bodies.forEach((b) => decode(b))));
    const store = new SpanStore({ maxBytes: 16 * 1024 ** 3 });
    const decodeStore = rate(total, time(() => bodies.forEach((b) => store.add(decode(b).spans))));
    const { child, url } = await startReceiverProcess();
    try {
      await postAll(url, bodies.slice(0, 100), type); // warm-up (duplicates are ignored by the store)
      const overHttp = rate(total, await postAll(url, bodies, type));
      rows.push({ label, decodeOnly, decodeStore, overHttp });
    } finally {
      child.kill('SIGTERM');
    }
  }
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'encoding'.padEnd(10)}${pad('decode only', 14)}${pad('decode+store', 14)}${pad('over HTTP', 12)}${pad('HTTP/decode', 13)}   (spans/s)`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(10)}${pad(r.decodeOnly, 14)}${pad(r.decodeStore, 14)}${pad(r.overHttp, 12)}${pad((r.overHttp / r.decodeOnly).toFixed(2), 13)}`);
  }

  const mem = JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', 'memory', '--requests', String(Math.min(REQUESTS, 1000)), '--spans', String(SPANS)], { encoding: 'utf8', maxBuffer: 1e6 }));
  console.log(`\nmemory: ${Math.round(mem.bytesPerSpan)} bytes per stored span (heap + buffers, ${mem.spans} spans); store estimate ${Math.round(mem.estimatePerSpan)} bytes (estimate/actual ${(mem.estimatePerSpan / mem.bytesPerSpan).toFixed(2)})`);
}

await main();
