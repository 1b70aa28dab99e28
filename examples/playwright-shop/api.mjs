// The shop's API (run with `node --import @tracecheck/sdk/register api.mjs`), called by the checkout
// page from another origin (CORS), and by tests directly.
//   POST /orders {sku, quantity, card, coupon}
//     order.create, then payment.charge (the provider's /v1/charges), answers 201 {orderId, amount},
//     then sends the confirmation (email.send, the provider's /v1/emails) after answering.
//     Planted bugs, for the failing examples: coupon RETRY charges the card twice; coupon LATE sends a
//     fraud review from a bare timer 1.5 s after the order (nothing in the run shows it coming).
//   GET /health
import { createServer } from 'node:http';
import { effect } from '@tracecheck/sdk';

const provider = process.env.PROVIDER_URL;
const webOrigin = process.env.WEB_ORIGIN;
const PRICES = { 'tee-blue': 2500, 'mug-white': 1200 };
let orders = 0;

const post = (path, body) => fetch(provider + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function charge(orderId, amount, card) {
  const payload = { amount, currency: 'eur', card, description: `order ${orderId}` };
  await effect('payment.charge', { 'order.id': orderId, amount, payload }, async () => {
    const res = await post('/v1/charges', payload);
    if (!res.ok) throw new Error(`charge failed: ${res.status}`);
  });
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    const cors = { 'access-control-allow-origin': webOrigin, vary: 'origin' };
    const reply = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'OPTIONS') {
      // The preflight of the page's JSON POST: only content-type is allowed. The run's headers are
      // added by the browser's network layer under test (Playwright routing), after CORS checks.
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '0' });
      return res.end();
    }
    if (req.method === 'GET' && req.url === '/health') return reply(200, { ok: true });
    if (req.method === 'POST' && req.url === '/orders') {
      const order = JSON.parse(body || '{}');
      const price = PRICES[order.sku];
      const quantity = Number(order.quantity);
      if (price === undefined || !(quantity >= 1)) return reply(400, { error: 'unknown item or bad quantity' });
      const orderId = `ord_${++orders}`;
      const amount = price * quantity;
      try {
        await effect('order.create', { 'order.id': orderId, sku: order.sku, quantity }, async () => undefined);
        await charge(orderId, amount, order.card);
        if (order.coupon === 'RETRY') await charge(orderId, amount, order.card);
      } catch (err) {
        return reply(502, { error: String(err) });
      }
      reply(201, { orderId, amount });
      // SHOP_FAULT=rename: a refactor renames the confirmation's orderId field (the effect snapshot catches it).
      const confirmation = process.env.SHOP_FAULT === 'rename' ? { to: order.email, order_id: orderId } : { to: order.email, orderId };
      await effect('email.send', { 'order.id': orderId, template: 'order-confirmation', payload: confirmation }, () => post('/v1/emails', confirmation));
      if (order.coupon === 'LATE') setTimeout(() => void effect('fraud.review', { 'order.id': orderId }, () => post('/v1/emails', { to: 'fraud@shop.test', orderId })), 1500);
      return;
    }
    reply(404, { error: 'not found' });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${server.address().port}`));
