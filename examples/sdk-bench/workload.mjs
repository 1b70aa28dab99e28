// The same workload with and without tracing: bench/sdk-overhead.mjs starts it plain (`node
// workload.mjs`) and instrumented (`node --import @tracecheck/sdk/register workload.mjs`), and
// compares. Prints one JSON line of timings (ns per operation).
import { createServer } from 'node:http';
import { setImmediate as tick } from 'node:timers/promises';
import { context, propagation } from '@opentelemetry/api';
import { effect } from '@tracecheck/sdk';

const effects = Number(process.env.EFFECTS ?? 20000);
const requests = Number(process.env.REQUESTS ?? 2000);
const delaySamples = Number(process.env.DELAY_SAMPLES ?? 0);

const inRun = (runId, fn) => context.with(propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: runId } })), fn);
const payload = { amount: 2500, currency: 'EUR', customer: 'cus_123', card: '4242 4242 4242 4242', items: [{ sku: 'a', qty: 1 }] };
let sink = 0;
const work = (i) => (sink += i % 7);

// Batches of 100 with a turn of the event loop between them, so the export work the SDK does in the
// background lands inside the measured time, as it would in a service.
async function timeLoop(n, body) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    body(i);
    if (i % 100 === 99) await tick();
  }
  return Number(process.hrtime.bigint() - start) / n;
}

async function timeRequests(port, n) {
  const url = `http://127.0.0.1:${port}/charge`;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = await fetch(url, { method: 'POST', body: '{"amount":2500}', headers: { 'content-type': 'application/json' } });
    await res.text();
  }
  return Number(process.hrtime.bigint() - start) / n;
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"id":"ch_1"}'));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

// Warm-up, then measure: a direct call, the same call wrapped in effect(), and HTTP round trips.
await timeLoop(2000, work);
await inRun('bench-warmup', () => timeLoop(2000, (i) => effect('payment.charge', { amount: 2500, payload }, () => work(i))));
await timeRequests(port, 200);
const direct = await timeLoop(effects, work);
const wrapped = await inRun('bench-effect', () => timeLoop(effects, (i) => effect('payment.charge', { amount: 2500, payload }, () => work(i))));
const http = await inRun('bench-http', () => timeRequests(port, requests));

// Delay samples: isolated spans, each ended alone; the parent times their arrival at the receiver.
for (let i = 0; i < delaySamples; i++) {
  inRun('bench-delay', () => effect('delay.probe', { i }, () => i));
  await new Promise((r) => setTimeout(r, 10));
}
server.close();
console.log(JSON.stringify({ direct, wrapped, http, sink: sink > 0 }));
