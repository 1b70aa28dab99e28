#!/usr/bin/env node
// Load test with the official OpenTelemetry exporters against `tracecheck receive` (build first):
//
//   node scripts/load.mjs --processes 8 --runs 10 --spans 5000                 no cap in the way
//   node scripts/load.mjs --processes 8 --runs 10 --spans 5000 --max-memory 16MiB   429s, retried
//
// Each process ends runs × spans spans over http/protobuf, http/json or gRPC in turn; every run is
// read back (each span exactly once) and deleted. Exits 1 when a span was lost or duplicated.
import { parseArgs } from 'node:util';
import { runLoad } from '../test/load/load.mjs';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '4' },
    runs: { type: 'string', default: '4' },
    spans: { type: 'string', default: '2000' },
    protocols: { type: 'string', default: 'http/protobuf,http/json,grpc' },
    'max-memory': { type: 'string' },
    'timeout-s': { type: 'string', default: '600' },
  },
});
const r = await runLoad({
  processes: Number(values.processes),
  runs: Number(values.runs),
  spans: Number(values.spans),
  protocols: values.protocols.split(','),
  maxMemory: values['max-memory'],
  timeoutMs: Number(values['timeout-s']) * 1000,
  log: (line) => console.error(line),
});
console.log(`${r.sent} spans sent by ${values.processes} processes (${values.protocols}), ${r.received} received once each, ${r.lost} lost, in ${r.seconds.toFixed(1)} s (${Math.round(r.received / r.seconds)} spans/s)`);
console.log(`store full (429 / gRPC wait): ${r.refusedFull} refusals; longest event-loop stall ${r.maxEventLoopDelayMs} ms; peak RSS ${r.peakRssBytes === undefined ? '?' : `${Math.round(r.peakRssBytes / 2 ** 20)} MiB`}`);
for (const p of r.problems) console.log(`problem: ${p}`);
if (r.problems.length > 0 || r.lost !== 0) process.exitCode = 1;
