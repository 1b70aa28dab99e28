// A refund flow with real side effects over HTTP: the shop refunds a charge at a (local, fake)
// payment provider, emails the customer, and notifies the warehouse by webhook. It has a planted
// bug — the webhook is retried without an idempotency key, so it fires twice — that unit tests and a
// click-through would not see, and a tracecheck assertion does.
//
// Runs as its own process, instrumented with @tracecheck/sdk: TRACECHECK_RUN_ID names the run (a test
// would send it as `baggage: test.run.id=<id>` on the request that starts the flow),
// OTEL_EXPORTER_OTLP_ENDPOINT the receiver.
import http from 'node:http';
import { startTracing } from '@tracecheck/sdk';

// The stand-ins for third-party APIs run in this process for the demo's sake; their side of each
// call is not ours to trace, so incoming requests are left out.
const tracing = startTracing({ serviceName: 'refund-service', http: { ignoreIncomingRequestHook: () => true } });
// Loaded after startTracing, so the http and fetch instrumentations are in place.
const { context, propagation, SpanKind, trace } = await import('@opentelemetry/api');
const { effect } = await import('@tracecheck/sdk');
const tracer = trace.getTracer('refund-demo', '1.0.0');

/** A local stand-in for a third-party API: answers JSON. */
function fakeApi(reply) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply(JSON.parse(body || '{}'))));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function postJson(server, path, payload) {
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return res.json();
}

async function refund(orderId, amount, stripe, mail, warehouse) {
  tracer.startSpan('refund.requested', { attributes: { 'order.id': orderId, amount } }).end();
  // The card number is in the payload; the SDK masks it before anything leaves the process.
  const charge = { charge: `ch_${orderId}`, amount, card: '4242 4242 4242 4242' };
  await effect('stripe.refund.create', { amount, currency: 'EUR', payload: charge }, () => postJson(stripe, '/v1/refunds', charge));
  const email = { to: 'customer@example.com', template: 'refund-confirmation' };
  await effect('email.send', { template: email.template, payload: email }, () => postJson(mail, '/send', email));
  const notice = { order: orderId, event: 'refunded' };
  // The planted bug: a "retry" that is not one.
  for (let attempt = 1; attempt <= 2; attempt++) {
    await effect('warehouse.webhook', { attempt, payload: notice }, () => postJson(warehouse, '/hooks/refund', notice));
  }
}

const runId = process.env.TRACECHECK_RUN_ID ?? 'demo';
const [stripe, mail, warehouse] = await Promise.all([fakeApi((b) => ({ id: 're_1', status: 'succeeded', amount: b.amount })), fakeApi(() => ({ queued: true })), fakeApi(() => ({ ok: true }))]);
try {
  // What a test does: the triggering action carries the run id as W3C baggage.
  const ctx = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: runId } }));
  await context.with(ctx, () =>
    tracer.startActiveSpan('POST /refunds', { kind: SpanKind.SERVER }, async (span) => {
      try {
        await refund('A-1001', 2500, stripe, mail, warehouse);
      } finally {
        span.end();
      }
    }),
  );
} finally {
  for (const s of [stripe, mail, warehouse]) s.close();
  await tracing.shutdown(); // flushes the last spans before the process exits
}
console.log(`refund flow done (run ${runId})`);
