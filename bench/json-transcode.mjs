#!/usr/bin/env node
// OTLP/JSON ingest cost against JSON.parse alone, side by side in one run, on the same bodies (bytes,
// as a receiver gets them):
//   JSON.parse              the floor: parsing the text (already a string), nothing else
//   JSON.parse of bytes     the same with the UTF-8 decoding of the body
//   decodeJsonRequest       JSON -> model spans (JSON.parse and a walk of its objects)
//   transcodeJsonRequest    JSON -> protobuf bytes (the columnar store's JSON path): read from the
//                           bytes by the byte-level transcoder, no JSON.parse
//   transcode + decode      the transcode, then decodeProtobufRequest of its bytes: an upper bound of
//                           transcode + skim (the skim reads less than the full decoder)
// Ratios are JSON.parse's time over each candidate's (1.00 = as fast as JSON.parse alone).
// Payloads: bench/payloads.mjs, and the official OpenTelemetry JS JsonTraceSerializer's output for
// SDK spans (official-payloads.mjs, as bench/ingest.mjs).
//
//   pnpm run build && node bench/json-transcode.mjs [--requests 200] [--spans 100] [--rounds 5]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, transcodeJsonRequest } from '@tracecheck/otlp';
import { officialRequests } from './official-payloads.mjs';
import { makeRequests } from './payloads.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' }, spans: { type: 'string', default: '100' }, rounds: { type: 'string', default: '5' } } });
const REQUESTS = Number(values.requests);
const SPANS = Number(values.spans);
const ROUNDS = Number(values.rounds);

/** Each body's text, for JSON.parse alone (the UTF-8 decoding not counted). */
const texts = new Map();
const candidates = {
  'JSON.parse': (b) => JSON.parse(texts.get(b)),
  'JSON.parse of bytes': (b) => JSON.parse(b.toString('utf8')),
  decodeJsonRequest: (b) => decodeJsonRequest(b),
  transcodeJsonRequest: (b) => transcodeJsonRequest(b),
  'transcode + decode': (b) => decodeProtobufRequest(transcodeJsonRequest(b).bytes),
};

function measure(name, bodies) {
  for (const b of bodies) texts.set(b, b.toString('utf8'));
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, fn] of Object.entries(candidates)) {
      const t0 = performance.now();
      for (const b of bodies) fn(b);
      const ms = performance.now() - t0;
      best[label] = Math.min(best[label] ?? Infinity, ms);
    }
  }
  const mb = bodies.reduce((n, b) => n + b.length, 0) / 1e6;
  const proto = bodies.reduce((n, b) => n + transcodeJsonRequest(b).bytes.length, 0) / 1e6;
  console.log(`\n${name}: ${bodies.length} bodies, ${mb.toFixed(1)} MB of JSON -> ${proto.toFixed(1)} MB of protobuf (${(proto / mb).toFixed(2)}x); best of ${ROUNDS} rounds`);
  const floor = best['JSON.parse'];
  for (const [label, ms] of Object.entries(best)) {
    console.log(`  ${label.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ratio ${(floor / ms).toFixed(2)}`);
  }
}

console.log(`tracecheck OTLP/JSON transcode benchmark: ${REQUESTS} requests x ${SPANS} spans, node ${process.version}`);
measure('bench/payloads.mjs (encodeJsonRequest)', makeRequests(REQUESTS, SPANS).map((spans) => Buffer.from(encodeJsonRequest(spans))));
measure('official JsonTraceSerializer', officialRequests(REQUESTS, SPANS).json);
