#!/usr/bin/env node
// Ingest throughput and memory per stored span, measured side by side in one run.
//
//   pnpm run build && node bench/ingest.mjs [--batches 200] [--spans 512] [--million]
//
// Payloads: `batches` requests of `spans` spans made by the OpenTelemetry JS SDK and serialized by
// its own serializers (official-payloads.mjs), as OTLP protobuf and OTLP/JSON.
//
// Throughput, spans/s, all on the same payloads:
//   in this process      protobufjs Type.decode alone and JSON.parse alone (the baselines: reading
//                        a request with a generic library, no store); the receiver's ingest without
//                        HTTP (skim + columnar store; JSON transcoded first); and, for comparison, the
//                        old path (full decode into objects + object store)
//   over HTTP            POST /v1/traces to a null sink (a node:http server that reads the body and
//                        answers 200), for protobuf also to a null sink that keeps every body (the
//                        floor of a receiver that stores the request's bytes), and to `tracecheck
//                        receive`, each a child process pinned to one core (taskset -c 0), sent by
//                        this process pinned to the other, 4 keep-alive connections. Each first gets
//                        another set of the same size (other ids: warm-up; the receiver's cold rate
//                        on it is printed too), then they take turns on the measured set, 100
//                        requests each, and spans/s are summed over their turns. Every span must be
//                        stored exactly once (GET /api/stats). Each one's CPU time per span over its
//                        turns is printed too (from /proc): less swayed by the neighbours on a
//                        shared machine than the rates. The keeping sink's figures move with how
//                        fast the machine gives a process new memory (page faults on first touch).
// Memory: RSS of the receiver process after the HTTP run, and RSS per stored span in a child that
// stores the spans (columnar and object stores, after GC); with --million, 1,000,000+ spans too.
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SpanStore } from '@tracecheck/model';
import { decodeProtobufRequest, skimProtobufRequest, transcodeJsonRequest } from '@tracecheck/otlp';
import { ColumnarStore } from '@tracecheck/store';
import { forEachOfficialBatch, officialRequests, ProtobufTraceSerializer, protobufjsRequest } from './official-payloads.mjs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '200' },
    spans: { type: 'string', default: '512' },
    million: { type: 'boolean', default: false },
    child: { type: 'string' },
    store: { type: 'string' },
    file: { type: 'string' },
    'memory-only': { type: 'boolean', default: false },
  },
});
const BATCHES = Number(values.batches);
const SPANS = Number(values.spans);
const self = fileURLToPath(import.meta.url);
/** Requests per turn when the null sink and the receiver take turns. */
const SLICE = 100;
const cli = fileURLToPath(new URL('../packages/cli/bin/tracecheck.js', import.meta.url));
const nullSink = fileURLToPath(new URL('./null-sink.mjs', import.meta.url));

const seconds = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
/** Best of `rounds` timings of `fn` (the machine is shared; the best is the least disturbed). */
const best = (rounds, fn) => Math.min(...Array.from({ length: rounds }, () => seconds(fn)));

function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const pinned = (args) => (hasTaskset() ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args]);

async function startChild(args, ready) {
  const [cmd, argv] = pinned(args);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  return { child, url };
}

/** Posts `bodies` over `concurrency` keep-alive connections of `agent` (a new one when not given). */
async function postAll(url, bodies, contentType, concurrency = 4, agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })) {
  let next = 0;
  let refused = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const status = await new Promise((resolve, reject) => {
          const req = http.request(`${url}/v1/traces`, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          });
          req.on('error', reject);
          req.end(body);
        });
        if (status !== 200) refused++;
      }
    }),
  );
  if (refused > 0) throw new Error(`${refused} requests were not answered 200`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function getJson(url) {
  const res = await fetch(url);
  return res.json();
}

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
/**
 * CPU seconds a process has used (user + system, all its threads: V8's garbage collector works on
 * helper threads). On the shared machine a turn's wall time swings with the neighbours; the CPU a
 * process spends per span moves much less, and says where a difference comes from.
 */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/**
 * Child mode: reads the requests of a payload file (written by `payloadFile`) one at a time into a
 * buffer of its own, as a receiver gets them, and stores them; reports RSS per stored span after
 * GC, against the RSS before the first request (so nothing but the store is measured).
 */
function memoryChild(kind, file) {
  const store = kind === 'columnar' ? new ColumnarStore({ maxBytes: 64 * 1024 ** 3 }) : new SpanStore({ maxBytes: 64 * 1024 ** 3 });
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(4);
  global.gc();
  const before = process.memoryUsage().rss;
  for (let at = 0; readSync(fd, header, 0, 4, at) === 4; ) {
    const body = Buffer.allocUnsafeSlow(header.readUInt32LE(0));
    readSync(fd, body, 0, body.length, at + 4);
    at += 4 + body.length;
    if (kind === 'columnar') store.addSkim(skimProtobufRequest(body));
    else store.add(decodeProtobufRequest(body).spans);
  }
  closeSync(fd);
  global.gc();
  global.gc();
  const after = process.memoryUsage().rss;
  process.stdout.write(JSON.stringify({ spans: store.spanCount, rssPerSpan: (after - before) / store.spanCount, accounted: store.usedBytes / store.spanCount }));
}

/** Writes `batches` official protobuf requests to a temporary file, each prefixed by its length. */
function payloadFile(batches) {
  const file = join(mkdtempSync(join(tmpdir(), 'tracecheck-ingest-')), `${batches}.bin`);
  const fd = openSync(file, 'w');
  forEachOfficialBatch(batches, SPANS, (spans) => {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length, 0);
    writeSync(fd, header);
    writeSync(fd, body);
  });
  closeSync(fd);
  return file;
}

function memory(kind, file) {
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', self, '--child', 'memory', '--store', kind, '--file', file, '--spans', String(SPANS)], { encoding: 'utf8', maxBuffer: 1e6 }));
}

async function main() {
  if (values.child === 'memory') return memoryChild(values.store, values.file);
  if (hasTaskset()) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const total = BATCHES * SPANS;
  if (values['memory-only']) return memoryFigures();
  console.log(`tracecheck ingest benchmark: ${BATCHES} requests x ${SPANS} spans from the OpenTelemetry SDK's serializers, node ${process.version}`);
  const bodies = officialRequests(BATCHES, SPANS);
  // Another set of the same size, other ids: the receiver's warm-up (JIT), so that what is measured
  // is its steady state on spans it has not seen, not its first requests.
  const warmUp = officialRequests(BATCHES, SPANS);
  const texts = bodies.json.map((b) => b.toString('utf8'));
  const avg = (bufs) => Math.round(bufs.reduce((n, b) => n + b.length, 0) / bufs.length / SPANS);
  console.log(`payload: ${avg(bodies.protobuf)} bytes/span protobuf, ${avg(bodies.json)} bytes/span JSON\n`);

  const rate = (s) => Math.round(total / s);
  const inProcess = {
    'protobufjs Type.decode alone': best(3, () => bodies.protobuf.forEach((b) => protobufjsRequest.decode(b))),
    'JSON.parse alone': best(3, () => texts.forEach((t) => JSON.parse(t))),
    'JSON.parse of the bytes (UTF-8 decoding included)': best(3, () => bodies.json.forEach((b) => JSON.parse(b.toString('utf8')))),
    'protobuf: skim + columnar store': best(3, () => {
      const store = new ColumnarStore({ maxBytes: 64 * 1024 ** 3 });
      bodies.protobuf.forEach((b) => store.addSkim(skimProtobufRequest(b)));
    }),
    'JSON: transcode + skim + columnar store': best(3, () => {
      const store = new ColumnarStore({ maxBytes: 64 * 1024 ** 3 });
      bodies.json.forEach((b) => store.addSkim(skimProtobufRequest(transcodeJsonRequest(b).bytes)));
    }),
    'old path, protobuf: full decode + object store': best(3, () => {
      const store = new SpanStore({ maxBytes: 64 * 1024 ** 3 });
      bodies.protobuf.forEach((b) => store.add(decodeProtobufRequest(b).spans));
    }),
  };
  console.log('in this process (best of 3), spans/s:');
  for (const [label, s] of Object.entries(inProcess)) console.log(`  ${label.padEnd(48)} ${String(rate(s)).padStart(10)}`);

  // The null sinks and the receiver take turns, a slice of the payloads each, so a noisy neighbour
  // on the shared machine slows them alike: the ratios are of times measured side by side.
  const overHttp = {};
  const cpuPerSpan = {};
  let receiverRss = 0;
  for (const [format, list, warm, type] of [
    ['protobuf', bodies.protobuf, warmUp.protobuf, 'application/x-protobuf'],
    ['JSON', bodies.json, warmUp.json, 'application/json'],
  ]) {
    // The keeping sink is the floor of a receiver that stores protobuf bodies as they are.
    const servers = [
      { label: `null sink, ${format}`, ...(await startChild([nullSink], /listening on (\S+)/)) },
      ...(format === 'protobuf' ? [{ label: `null sink keeping each body, ${format}`, ...(await startChild([nullSink, '--keep'], /listening on (\S+)/)) }] : []),
    ];
    const receiver = { label: `tracecheck receive, ${format}`, ...(await startChild([cli, 'receive', '--http-port', '0', '--grpc-port', '0', '--max-memory', '4GiB'], /http=(\S+)/)) };
    servers.push(receiver);
    const startRss = rssOf(receiver.child.pid);
    try {
      for (const server of servers) {
        const seconds = await postAll(server.url, warm, type);
        if (server === receiver) overHttp[`tracecheck receive, ${format}, cold (its first requests)`] = seconds;
      }
      // Each keeps its connections across its turns, as an exporter does.
      const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: 4 }));
      const seconds = servers.map(() => 0);
      const cpuBefore = servers.map(({ child }) => cpuOf(child.pid));
      for (let at = 0; at < list.length; at += SLICE) {
        const slice = list.slice(at, at + SLICE);
        for (let k = 0; k < servers.length; k++) seconds[k] += await postAll(servers[k].url, slice, type, 4, agents[k]);
      }
      // Each process is idle during the others' turns, so its CPU over the run is its turns' CPU.
      servers.forEach(({ label, child }, k) => {
        cpuPerSpan[label] = (cpuOf(child.pid) - cpuBefore[k]) / total;
        overHttp[label] = seconds[k];
      });
      for (const agent of agents) agent.destroy();
      const stats = await getJson(`${receiver.url}/api/stats`);
      if (stats.store.spans !== 2 * total) throw new Error(`lost or duplicated spans: ${stats.store.spans} stored of ${2 * total}`);
      if (format === 'protobuf') receiverRss = rssOf(receiver.child.pid) - startRss;
    } finally {
      for (const { child } of servers) child.kill('SIGTERM');
    }
  }
  console.log('\nover HTTP (4 connections), spans/s; every span stored exactly once:');
  for (const [label, s] of Object.entries(overHttp)) console.log(`  ${label.padEnd(48)} ${String(rate(s)).padStart(10)}`);
  console.log('CPU per span over those turns, µs (user + system, all threads; 10 ms ticks):');
  for (const [label, s] of Object.entries(cpuPerSpan)) console.log(`  ${label.padEnd(48)} ${(s * 1e6).toFixed(2).padStart(10)}`);

  const ratio = (a, b) => (b / a).toFixed(2);
  console.log('\nratios (higher is faster):');
  console.log(`  receive protobuf / null sink protobuf             ${ratio(overHttp['tracecheck receive, protobuf'], overHttp['null sink, protobuf'])}x   (target >= 0.5)`);
  console.log(`  null sink keeping each body / null sink, protobuf ${ratio(overHttp['null sink keeping each body, protobuf'], overHttp['null sink, protobuf'])}x   (the most a receiver keeping the bytes can reach)`);
  console.log(`  receive protobuf / protobufjs decode alone        ${ratio(overHttp['tracecheck receive, protobuf'], inProcess['protobufjs Type.decode alone'])}x   (next step >= 1)`);
  console.log(`  receive JSON / JSON.parse alone                   ${ratio(overHttp['tracecheck receive, JSON'], inProcess['JSON.parse alone'])}x   (target >= 0.5)`);
  console.log(`  receive JSON / JSON.parse of the bytes            ${ratio(overHttp['tracecheck receive, JSON'], inProcess['JSON.parse of the bytes (UTF-8 decoding included)'])}x`);
  console.log(`  ingest without HTTP, protobuf: new / old path     ${ratio(inProcess['protobuf: skim + columnar store'], inProcess['old path, protobuf: full decode + object store'])}x`);

  console.log(`\nmemory: the receiver's RSS grew ${(receiverRss / 1024 ** 2).toFixed(0)} MiB storing ${2 * total} spans over HTTP (${Math.round(receiverRss / (2 * total))} bytes/span, garbage not yet collected included)`);
  memoryFigures();
}

/** RSS per stored span, in a child per store, on payloads read from a file as a receiver gets them. */
function memoryFigures() {
  const sizes = [BATCHES, ...(values.million ? [Math.ceil(1_000_000 / SPANS)] : [])];
  for (const batches of sizes) {
    const file = payloadFile(batches);
    const columnar = memory('columnar', file);
    const object = batches === BATCHES ? memory('object', file) : undefined;
    rmSync(dirname(file), { recursive: true, force: true });
    const objectText = object ? `; object store ${Math.round(object.rssPerSpan)} bytes/span` : '';
    console.log(`  ${columnar.spans} spans stored: columnar store ${Math.round(columnar.rssPerSpan)} bytes of RSS/span (cap accounting ${Math.round(columnar.accounted)})${objectText}   (target <= 1024)`);
  }
}

await main();
