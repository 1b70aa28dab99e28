// A fuzzing campaign against a real `tracecheck receive` process: sends generated hostile inputs
// (inputs.mjs) a few at a time, and checks what a user relies on:
// - no answer is a 5xx (gRPC: no UNKNOWN, no INTERNAL except grpc-js's for a corrupt compressed message);
// - the process never dies;
// - a sentinel run stored first is unchanged at the end;
// - GET /healthz, polled throughout, always answers within 1 s;
// - the peak RSS (VmHWM) stays within the bound the receiver's README states (rssBound).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inputAt } from './inputs.mjs';
import { anyInt, request, runAttribute, span } from './protobuf.mjs';

const cli = fileURLToPath(new URL('../../packages/cli/bin/tracecheck.js', import.meta.url));
const MiB = 1024 * 1024;

/** A worker thread's code: polls `workerData.url` (each within `healthMs`, every `intervalMs`, 100 by default) until told to stop, then posts the worst time. */
export const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
let polling = true;
parentPort.once('message', () => (polling = false));
(async () => {
  let worstHealthMs = 0, healthChecks = 0;
  const failures = [];
  while (polling) {
    const t = performance.now();
    try {
      const res = await fetch(workerData.url, { signal: AbortSignal.timeout(workerData.healthMs) });
      await res.arrayBuffer();
      if (res.status !== 200) failures.push('/healthz answered ' + res.status);
    } catch (err) {
      if (polling) failures.push('/healthz did not answer within ' + workerData.healthMs + ' ms: ' + err.message);
    }
    const ms = performance.now() - t;
    healthChecks++;
    if (ms > worstHealthMs) worstHealthMs = ms;
    await new Promise((r) => setTimeout(r, workerData.intervalMs ?? 100));
  }
  parentPort.postMessage({ worstHealthMs, healthChecks, failures });
})();
`;

/** Starts `tracecheck receive` on free ports; resolves with its endpoints. */
export function startReceiverProcess(args = []) {
  const child = spawn(process.execPath, [...(process.env.FUZZ_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'receive', '--http-port', '0', '--grpc-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /tracecheck ready http=(\S+) grpc=(\S+)/.exec(stdout);
      if (m) resolve({ http: m[1], grpc: m[2] });
    });
    exited.then(({ code, signal }) => reject(new Error(`receiver exited (${code ?? signal}) before it was ready: ${stderr}`)));
  });
  return { child, ready, exited, stderr: () => stderr };
}

/** Peak resident memory of a process, in bytes (Linux). */
export function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function sendHttp(base, input) {
  const res = await fetch(`${base}${input.path ?? '/v1/traces'}`, {
    method: input.method ?? 'POST',
    headers: input.headers,
    body: input.body,
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return String(res.status);
}

function sendGrpc(address, input) {
  return new Promise((resolve) => {
    const session = connect(`http://${address}`);
    const done = (code) => {
      session.close();
      resolve(code);
    };
    session.on('error', () => done('grpc-connection-error'));
    const stream = session.request({
      ':method': 'POST',
      ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...(input.encoding === undefined ? {} : { 'grpc-encoding': input.encoding }),
    });
    let headers = {};
    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (headers = { ...headers, ...t }));
    stream.on('error', () => {});
    stream.setTimeout(30_000, () => stream.close());
    stream.resume();
    stream.on('close', () => done(`grpc-${headers['grpc-status'] ?? 'none'}`));
    stream.end(input.frame);
  });
}

/** The sentinel run: three spans stored before the campaign and read back after it. */
async function storeSentinel(base) {
  const body = request(
    [1, 2, 3].map((i) => span({ traceId: '5e'.repeat(16), spanId: `${i}`.padStart(16, '0'), name: `sentinel-${i}`, attributes: [runAttribute('sentinel'), ['n', anyInt(i)]] })),
  );
  const res = await fetch(`${base}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
  if (res.status !== 200) throw new Error(`could not store the sentinel run: ${res.status}`);
  return readSentinel(base);
}

async function readSentinel(base) {
  const res = await fetch(`${base}/api/runs/sentinel/spans`);
  return JSON.stringify((await res.json()).spans);
}

/**
 * Runs `inputs` inputs of campaign `seed` against a fresh receiver (or `only` that one input) with
 * `concurrency` in flight. Stops early after `maxSeconds`. Returns the figures and the violations.
 */
export async function runCampaign({ seed = 1, inputs = 1000, only, concurrency = 4, maxSeconds = Infinity, maxMemory = '64MiB', maxInFlight = '64MiB', boundBytes, healthMs = 1000, log = () => {} } = {}) {
  // Retention longer than any campaign: the sentinel run must not age out while it runs.
  const receiver = startReceiverProcess(['--max-memory', maxMemory, '--max-in-flight', maxInFlight, '--retention', '24h', '--grpc-full-wait', '200ms']);
  const { http, grpc } = await receiver.ready;
  const pid = receiver.child.pid;
  const violations = [];
  const codes = {};
  let died;
  receiver.exited.then((e) => {
    died = e;
  });
  const sentinel = await storeSentinel(http);

  // /healthz every 100 ms, each within 1 s, from a worker thread: the fuzzer's own work (building
  // and compressing inputs) must not count as the receiver's latency.
  const poller = new Worker(POLLER, { eval: true, workerData: { url: `${http}/healthz`, healthMs } });
  const health = new Promise((resolve) => poller.once('message', resolve));

  const started = performance.now();
  const indexes = only === undefined ? Array.from({ length: inputs }, (_, i) => i) : [only];
  let next = 0;
  let tried = 0;
  let worstStall = { ms: 0 };
  const worker = async () => {
    while (next < indexes.length && died === undefined && performance.now() - started < maxSeconds * 1000) {
      const index = indexes[next++];
      const input = inputAt(seed, index);
      let code;
      try {
        code = input.via === 'grpc' ? await sendGrpc(grpc, input) : await sendHttp(http, input);
      } catch (err) {
        code = `network:${err.cause?.code ?? err.name}`;
      }
      tried++;
      // Which input the receiver's longest event-loop stall so far came with (with concurrency,
      // one of the inputs in flight then).
      try {
        const delay = (await (await fetch(`${http}/api/stats`, { signal: AbortSignal.timeout(5000) })).json()).maxEventLoopDelayMs ?? 0;
        if (delay > worstStall.ms) worstStall = { ms: delay, index, kind: input.kind, note: input.note };
      } catch {
        // the receiver is gone: reported below
      }
      const key = `${input.kind} ${code}`;
      codes[key] = (codes[key] ?? 0) + 1;
      const bad = /^5/.test(code) || code === 'grpc-2' || (code === 'grpc-13' && input.encoding === undefined);
      if (bad) violations.push({ what: `answered ${code}`, seed, index, kind: input.kind, note: input.note });
      log(index, input, code, peakRss(pid));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  poller.postMessage('stop');
  const { worstHealthMs, healthChecks, failures } = await health;
  await poller.terminate();
  for (const f of failures.slice(0, 20)) violations.push({ what: f });

  if (died !== undefined) violations.push({ what: `the receiver died (${died.code ?? died.signal}): ${receiver.stderr().slice(-2000)}` });
  else if ((await readSentinel(http)) !== sentinel) violations.push({ what: 'the sentinel run changed' });
  const rss = peakRss(pid);
  const bound = boundBytes ?? rssBound(parseSize(maxMemory), parseSize(maxInFlight));
  if (rss !== undefined && rss > bound) violations.push({ what: `peak RSS ${mb(rss)} over the bound ${mb(bound)} (--max-memory ${maxMemory}, --max-in-flight ${maxInFlight})` });
  const stats = died === undefined ? await (await fetch(`${http}/api/stats`)).json() : undefined;
  receiver.child.kill('SIGTERM');
  await receiver.exited;
  return { seed, tried, seconds, codes, worstHealthMs, healthChecks, worstStall, peakRssBytes: rss, boundBytes: bound, stats, violations };
}

/** The process and V8's heap around the work in flight (rssBound). */
const BASE_BYTES = 448 * MiB;

/**
 * The bound packages/receiver/README.md states on the receiver's peak RSS ("Under hostile input"):
 * - 1.5 × the store cap: the store holds about 1.3 bytes for each byte it accounts (columns, id
 *   tables, trace records: 526 bytes of RSS per small span accounted as 413), and arenas a delete
 *   freed stay until V8 collects them;
 * - 2 × maxInFlightBytes: a body is read as chunks and joined into one buffer, both held until the
 *   chunks are collected;
 * - 448 MiB: the idle process (65 MiB) and V8's heap around what requests and checks in flight
 *   build and drop (a check's views of its run and what they decode, parsed JSON): V8 collects
 *   only once its heap has grown to a few times what is live. Measured with four inputs in flight
 *   (the campaign's default): up to 410 MiB over the other terms.
 */
export function rssBound(capBytes, inFlightBytes) {
  return 1.5 * capBytes + 2 * inFlightBytes + BASE_BYTES;
}

function parseSize(text) {
  const m = /^(\d+)(MiB|KiB|GiB)?$/.exec(text);
  return Number(m[1]) * ({ KiB: 1024, MiB: MiB, GiB: 1024 * MiB }[m[2]] ?? 1);
}

export const mb = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
