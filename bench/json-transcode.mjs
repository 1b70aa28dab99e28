#!/usr/bin/env node
// OTLP/JSON ingest cost against JSON.parse alone, side by side in one run, on the same bodies:
//   JSON.parse              the floor: parsing the text, nothing else
//   decodeJsonRequest       JSON -> model spans (today's JSON path)
//   transcodeJsonRequest    JSON -> protobuf bytes (the columnar store's JSON path)
//   transcode + decode      the transcode, then decodeProtobufRequest of its bytes: an upper bound of
//                           transcode + skim (the skim reads less than the full decoder)
// Ratios are JSON.parse's time over each candidate's (1.00 = as fast as JSON.parse alone).
// Payloads: bench/payloads.mjs (as bench/ingest.mjs), and the official OpenTelemetry JS
// JsonTraceSerializer's output for SDK spans (resolved through the receiver's exporter dependency).
//
//   pnpm run build && node bench/json-transcode.mjs [--requests 200] [--spans 100] [--rounds 5]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, transcodeJsonRequest } from '@tracecheck/otlp';
import { makeRequests } from './payloads.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' }, spans: { type: 'string', default: '100' }, rounds: { type: 'string', default: '5' } } });
const REQUESTS = Number(values.requests);
const SPANS = Number(values.spans);
const ROUNDS = Number(values.rounds);

/** Bodies from the official serializer, for spans made by the OpenTelemetry SDK; undefined when it is not installed. */
async function officialBodies() {
  try {
    const receiver = createRequire(new URL('../packages/receiver/package.json', import.meta.url));
    const exporter = createRequire(receiver.resolve('@opentelemetry/exporter-trace-otlp-http'));
    const { JsonTraceSerializer } = exporter('@opentelemetry/otlp-transformer');
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = receiver('@opentelemetry/sdk-trace-base');
    const { resourceFromAttributes } = receiver('@opentelemetry/resources');
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'payments', 'service.version': '1.4.2', 'deployment.environment': 'ci' }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.52.0');
    const bodies = [];
    for (let r = 0; r < REQUESTS; r++) {
      for (let i = 0; i < SPANS; i++) {
        const span = tracer.startSpan(i % 10 === 0 ? 'POST /refunds' : 'stripe.refund.create', { kind: 2 + (i % 2) });
        span.setAttributes({
          'http.request.method': 'POST',
          'url.full': `https://api.example.com/v1/refunds/${r * SPANS + i}`,
          'http.response.status_code': 200,
          amount: 2500,
          currency: 'EUR',
          'effect.payload': JSON.stringify({ charge: `ch_${i}`, amount: 2500 }),
          retry: false,
          ratio: 0.25,
          tags: ['refund', 'eu'],
        });
        if (i % 3 === 0) span.addEvent('retry', { attempt: 2 });
        span.end();
      }
      bodies.push(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(memory.getFinishedSpans())));
      memory.reset();
    }
    return bodies;
  } catch (e) {
    console.log(`(official serializer not available: ${e.message})`);
    return undefined;
  }
}

const candidates = {
  'JSON.parse': (b) => JSON.parse(b),
  decodeJsonRequest: (b) => decodeJsonRequest(b),
  transcodeJsonRequest: (b) => transcodeJsonRequest(b),
  'transcode + decode': (b) => decodeProtobufRequest(transcodeJsonRequest(b).bytes),
};

function measure(name, bodies) {
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
measure('bench/payloads.mjs (encodeJsonRequest)', makeRequests(REQUESTS, SPANS).map((spans) => encodeJsonRequest(spans)));
const official = await officialBodies();
if (official) measure('official JsonTraceSerializer', official);
