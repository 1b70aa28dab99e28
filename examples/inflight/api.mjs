// The API (run with `node --import @tracecheck/sdk/register api.mjs`). Jobs go on in-memory queues
// that the worker process polls over HTTP (GET /jobs/next), as a database-backed job table would be.
//   POST /orders/:id/complete  enqueue a fulfillment job; 202
//   POST /signup               enqueue a welcome-email job; 201
//   POST /events               publish an analytics event to a queue no instrumented service consumes; 202
//   POST /orders/:id/ship-later  answer 202 at once, then ship in a background span 1.5 s later (only
//                              the SDK's open-span report shows that work is still coming)
//   POST /orders/:id/checkout  three effects at once (CRM, analytics, the fulfillment webhook), then a
//                              queued receipt email; SNAPSHOT_FAULT=rename|duplicate|drop|usd breaks
//                              the webhook the way refactors do (effect snapshot tests)
//   POST /orders/:id/ship      send the shipping webhook now; with LATE_DUPLICATE_MS, a bare timer sends it
//                              again that much later (the bug no signal can foresee); 200
import { createServer } from 'node:http';
import { trace } from '@opentelemetry/api';
import { effect, produce } from '@tracecheck/sdk';

const sink = process.env.SINK_URL;
const lateMs = Number(process.env.LATE_DUPLICATE_MS ?? 0);
const queues = { fulfillment: [], 'email-jobs': [], 'analytics-events': [] };

function enqueue(queue, body) {
  return produce(queue, {}, (headers) => queues[queue].push({ headers, body }));
}

async function webhook(orderId) {
  const payload = { order_id: orderId, status: 'shipped' };
  await effect('fulfillment.webhook.send', { 'order.id': orderId, payload }, () => fetch(`${sink}/warehouse`, { method: 'POST', body: JSON.stringify(payload) }));
}

const fault = process.env.SNAPSHOT_FAULT ?? '';

async function checkout(orderId) {
  const post = (path, body) => fetch(`${sink}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const hook = { order_id: orderId, amount: 2500, currency: 'EUR', items: [{ sku: 'SKU-1', qty: 2 }] };
  if (fault === 'rename') {
    hook.orderId = hook.order_id;
    delete hook.order_id;
  }
  if (fault === 'usd') hook.currency = 'USD';
  const sendHook = () => effect('fulfillment.webhook.send', { 'order.id': orderId, payload: hook }, () => post('/warehouse/hooks', hook));
  const lead = { email: `buyer-${orderId}@example.com`, source: 'checkout', api_token: `tok_${orderId}_secret` };
  await Promise.all([
    effect('crm.lead.create', { payload: lead }, () => post('/crm/leads', lead)),
    effect('analytics.track', { payload: { event: 'checkout', properties: { order: orderId, total: 2500 } } }, () => post('/analytics', { event: 'checkout' })),
    fault === 'drop' ? undefined : sendHook(),
  ]);
  if (fault === 'duplicate') await sendHook();
  enqueue('email-jobs', { to: lead.email });
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    const url = new URL(req.url, 'http://x');
    const reply = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    let m;
    if (req.method === 'GET' && url.pathname === '/jobs/next') {
      const job = queues[url.searchParams.get('queue')]?.shift();
      if (job === undefined) return reply(200, null);
      return reply(200, job);
    }
    if (req.method === 'POST' && (m = /^\/orders\/(\w+)\/complete$/.exec(url.pathname))) {
      enqueue('fulfillment', { orderId: m[1] });
      return reply(202, { queued: true });
    }
    if (req.method === 'POST' && (m = /^\/orders\/(\w+)\/ship-later$/.exec(url.pathname))) {
      const orderId = m[1];
      void trace.getTracer('api').startActiveSpan('ship.later', async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await webhook(orderId);
        span.end();
      });
      return reply(202, { accepted: true });
    }
    if (req.method === 'POST' && (m = /^\/orders\/(\w+)\/checkout$/.exec(url.pathname))) {
      await checkout(m[1]);
      return reply(200, { ok: true });
    }
    if (req.method === 'POST' && url.pathname === '/signup') {
      enqueue('email-jobs', { to: JSON.parse(body || '{}').email ?? 'new@example.com' });
      return reply(201, { created: true });
    }
    if (req.method === 'POST' && url.pathname === '/events') {
      enqueue('analytics-events', { event: 'signup' });
      return reply(202, { accepted: true });
    }
    if (req.method === 'POST' && (m = /^\/orders\/(\w+)\/ship$/.exec(url.pathname))) {
      await webhook(m[1]);
      if (lateMs > 0) setTimeout(() => void webhook(m[1]), lateMs);
      return reply(200, { shipped: true });
    }
    reply(404, { error: 'not found' });
  });
});
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
