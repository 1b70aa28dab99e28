// Decoding throughput of the OTLP decoders, side by side: protobuf through protobufjs's generic
// message decoding, protobuf through the hand-written Reader decoder, the skim (index columns only,
// what the receiver's ingest does), protobufjs's Type.decode alone (a floor for any decoder that
// builds objects), and OTLP/JSON.
//
// Runs the built packages: `npx tsc -b tsconfig.build.json` first, then `node bench/decode.mjs`.
// Options: --requests N (timed requests per decoder per round, default 3000), --rounds N (default 5),
// --spans N (spans per request, default 100).
import { performance } from 'node:perf_hooks';
import { protobufjsRequest } from './official-payloads.mjs';
import { parseArgs } from 'node:util';
import { toAttributes } from '@tracecheck/model';
import {
  decodeJsonRequest,
  decodeProtobufRequest,
  decodeProtobufRequestGeneric,
  decodeProtobufRequestReader,
  encodeJsonRequest,
  encodeProtobufRequest,
  skimProtobufRequest,
} from '@tracecheck/otlp';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    spans: { type: 'string', default: '100' },
  },
});
const REQUESTS = Number(opts.requests);
const ROUNDS = Number(opts.rounds);
const SPANS_PER_REQUEST = Number(opts.spans);
const DISTINCT_PAYLOADS = 40; // cycled through, so the timed loop does not just re-read one buffer

// Deterministic pseudo-random numbers, so runs are comparable.
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const hex = (bytes) => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');

/** One request's spans: a service's resource, an instrumentation scope, HTTP-ish spans of a few traces. */
function makeSpans(n) {
  const resource = {
    attributes: toAttributes({
      'service.name': `svc-${Math.floor(rand() * 10)}`,
      'service.version': '1.4.2',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'host.name': 'ci-runner-7',
    }),
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
  };
  const scope = { name: '@opentelemetry/instrumentation-http', version: '0.52.0', attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
  const spans = [];
  let traceId = hex(16);
  let parent = '';
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) {
      traceId = hex(16);
      parent = '';
    }
    const spanId = hex(8);
    const start = 1_700_000_000_000_000_000n + BigInt(Math.floor(rand() * 1e12));
    spans.push({
      traceId,
      spanId,
      parentSpanId: parent,
      traceState: '',
      flags: 1,
      name: i % 3 === 0 ? 'POST /api/refunds' : 'stripe.refund.create',
      kind: 1 + (i % 3),
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(Math.floor(rand() * 5e8)),
      // 10 attributes: the usual mix of strings, ints, a bool and a double.
      attributes: toAttributes({
        'http.request.method': 'POST',
        'url.full': `https://api.example.com/v1/refunds/re_${hex(6)}`,
        'http.response.status_code': 200,
        'server.address': 'api.example.com',
        'server.port': 443,
        'test.run.id': 'run-7f3a9c',
        'refund.amount': 2500,
        'refund.currency': 'usd',
        'retry': false,
        'latency.ratio': 0.75,
      }),
      droppedAttributesCount: 0,
      events: i % 10 === 5 ? [{ timeUnixNano: start + 1000n, name: 'exception', attributes: toAttributes({ 'exception.type': 'TimeoutError' }), droppedAttributesCount: 0 }] : [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: i % 10 === 5 ? 2 : 0, message: '' },
      resource,
      scope,
    });
    parent = spanId;
  }
  return spans;
}

const payloads = Array.from({ length: DISTINCT_PAYLOADS }, () => {
  const spans = makeSpans(SPANS_PER_REQUEST);
  return { protobuf: encodeProtobufRequest(spans), json: encodeJsonRequest(spans) };
});

// The baseline only: the request's messages as protobufjs reads them (official-payloads.mjs).
const baseline = protobufjsRequest;
const countSpans = (m) => m.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((k, ss) => k + ss.spans.length, 0), 0);

const decoders = [
  { name: 'protobuf, generic (protobufjs Type.decode + convert)', run: (p) => decodeProtobufRequestGeneric(p.protobuf), bytes: (p) => p.protobuf.length },
  { name: 'protobuf, hand-written Reader', run: (p) => decodeProtobufRequestReader(p.protobuf), bytes: (p) => p.protobuf.length },
  { name: 'protobuf, skim (columns, no span objects)', run: (p) => ({ spans: { length: skimProtobufRequest(p.protobuf).count }, rejectedSpans: 0 }), bytes: (p) => p.protobuf.length },
  { name: 'protobuf, protobufjs Type.decode alone', run: (p) => ({ spans: { length: countSpans(baseline.decode(p.protobuf)) }, rejectedSpans: 0 }), bytes: (p) => p.protobuf.length },
  { name: 'OTLP/JSON (string body)', run: (p) => decodeJsonRequest(p.json), bytes: (p) => Buffer.byteLength(p.json) },
];

// Sanity: every decoder reads every span of every payload.
for (const d of decoders) {
  for (const p of payloads) {
    const r = d.run(p);
    if (r.spans.length !== SPANS_PER_REQUEST || r.rejectedSpans !== 0) throw new Error(`${d.name}: decoded ${r.spans.length} spans`);
  }
}

function timeOnce(d) {
  let spans = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const p = payloads[i % payloads.length];
    spans += d.run(p).spans.length;
    bytes += d.bytes(p);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { spansPerSec: spans / seconds, mbPerSec: bytes / seconds / 1e6 };
}

// Warm up (JIT, protobufjs's generated decoders), then interleave rounds so drift hits all alike.
for (const d of decoders) for (let i = 0; i < 300; i++) d.run(payloads[i % payloads.length]);
const samples = decoders.map(() => []);
for (let round = 0; round < ROUNDS; round++) decoders.forEach((d, i) => samples[i].push(timeOnce(d)));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = decoders.map((d, i) => ({
  name: d.name,
  spansPerSec: median(samples[i].map((s) => s.spansPerSec)),
  mbPerSec: median(samples[i].map((s) => s.mbPerSec)),
}));
const generic = results[0].spansPerSec;
const reader = results[1].spansPerSec;
const pbBytes = payloads.reduce((n, p) => n + p.protobuf.length, 0) / payloads.length;
const jsonBytes = payloads.reduce((n, p) => n + Buffer.byteLength(p.json), 0) / payloads.length;

console.log(`node ${process.version}; ${REQUESTS} requests x ${SPANS_PER_REQUEST} spans x 10 attributes per decoder per round, median of ${ROUNDS} rounds`);
console.log(`request size: protobuf ${(pbBytes / 1024).toFixed(1)} KiB, OTLP/JSON ${(jsonBytes / 1024).toFixed(1)} KiB`);
console.log('');
console.log(`${'decoder'.padEnd(54)}${'spans/s'.padStart(12)}${'MB/s'.padStart(9)}${'vs generic'.padStart(12)}${'vs Reader'.padStart(11)}`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(54)}${Math.round(r.spansPerSec).toLocaleString('en-US').padStart(12)}${r.mbPerSec.toFixed(1).padStart(9)}${`${(r.spansPerSec / generic).toFixed(2)}x`.padStart(12)}${`${(r.spansPerSec / reader).toFixed(2)}x`.padStart(11)}`,
  );
}
const exported = decodeProtobufRequest === decodeProtobufRequestReader ? 'hand-written Reader' : 'generic';
console.log('');
console.log(`decodeProtobufRequest is the ${exported} decoder`);
