// The shop's API (run with `node --import @tracecheck/sdk/register api.mjs`). Orders are charged at
// once; fulfilment and the confirmation email go on a queue that the worker polls (GET /jobs/next),
// as a database-backed job table would.
//   POST /orders {items: [{sku, qty}], email, coupon?}  charge, enqueue fulfilment; 201 {order_id}
//   POST /orders/:id/cancel                            refund; 200
//   GET  /health                                       200
// Planted bugs, for the tests that fail on purpose (tests/failing/):
//   - coupon "BROKEN": the coupon service "fails", so the order is charged the full price (logged);
//   - cancelling an order of a customer at @retry.example refunds it again 1.5 s later, from a bare
//     timer (a "reconciliation" that nothing in the trace foresees).
import { createServer } from 'node:http';
import { effect, produce } from '@tracecheck/sdk';

const provider = process.env.PROVIDER_URL;
const PRICES = { tea: 1250, mug: 900, honey: 700 };
const queues = { fulfillment: [] };
const orders = new Map();
let nextId = 1000;

async function charge(order) {
  // SHOP_FAULT=rename: a refactor renames the charge payload's order_id (an effect snapshot catches it).
  const payload = process.env.SHOP_FAULT === 'rename' ? { orderId: order.id, amount: order.amount, currency: 'EUR' } : { order_id: order.id, amount: order.amount, currency: 'EUR' };
  await effect('payment.charge', { 'order.id': order.id, amount: order.amount, currency: 'EUR', customer: order.email, payload }, () =>
    fetch(`${provider}/charges`, { method: 'POST', body: JSON.stringify(payload) }),
  );
}

async function refund(order) {
  const payload = { order_id: order.id, amount: order.amount };
  await effect('payment.refund', { 'order.id': order.id, amount: order.amount, payload }, () => fetch(`${provider}/refunds`, { method: 'POST', body: JSON.stringify(payload) }));
}

function discount(coupon, total, id) {
  if (coupon === undefined) return total;
  if (coupon === 'TENOFF') return Math.round(total * 0.9);
  console.error(`order ${id}: coupon service failed for ${JSON.stringify(coupon)} (503 from coupons.internal); charging the full price`);
  return total;
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
    try {
      if (req.method === 'GET' && url.pathname === '/health') return reply(200, { ok: true });
      if (req.method === 'GET' && url.pathname === '/jobs/next') return reply(200, queues[url.searchParams.get('queue')]?.shift() ?? null);
      if (req.method === 'POST' && url.pathname === '/orders') {
        const { items = [], email, coupon } = JSON.parse(body || '{}');
        const id = nextId++;
        if (items.length === 0) {
          console.error(`order ${id} rejected: no items (from ${email ?? 'unknown'})`);
          return reply(400, { error: 'an order needs items' });
        }
        const total = items.reduce((sum, i) => sum + (PRICES[i.sku] ?? 0) * i.qty, 0);
        const order = { id, email, items, amount: discount(coupon, total, id) };
        orders.set(id, order);
        console.log(`order ${id} received: ${items.length} item(s) for ${email}, ${order.amount} EUR cents`);
        await charge(order);
        produce('fulfillment', {}, (headers) => queues.fulfillment.push({ headers, body: { orderId: id, email, items } }));
        return reply(201, { order_id: id });
      }
      if (req.method === 'POST' && (m = /^\/orders\/(\d+)\/cancel$/.exec(url.pathname))) {
        const order = orders.get(Number(m[1]));
        if (order === undefined) return reply(404, { error: 'no such order' });
        await refund(order);
        console.log(`order ${order.id} cancelled and refunded`);
        if (order.email?.endsWith('@retry.example')) setTimeout(() => void refund(order), 1500);
        return reply(200, { refunded: true });
      }
      reply(404, { error: 'not found' });
    } catch (err) {
      console.error(`${req.method} ${url.pathname} failed: ${err.stack}`);
      reply(500, { error: String(err) });
    }
  });
});
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => console.log(`api listening on ${server.address().port}`));
