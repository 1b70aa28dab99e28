// The shop's worker (run with `node --import @tracecheck/sdk/register worker.mjs`): polls the API's
// fulfilment queue every POLL_MS (default 200) and, inside a consumer span, tells the warehouse to
// ship the order and sends the confirmation email. Planted drift, for the payload-schema test: the
// warehouse gets `order_id` as a string, where its schema says number.
import { consume, effect } from '@tracecheck/sdk';

const api = process.env.API_URL;
const provider = process.env.PROVIDER_URL;
const pollMs = Number(process.env.POLL_MS ?? 200);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fulfil({ orderId, email, items }) {
  const shipment = { order_id: String(orderId), items: items.map((i) => ({ sku: i.sku, qty: i.qty })) };
  await effect('warehouse.webhook', { 'order.id': orderId, payload: shipment }, () => fetch(`${provider}/warehouse/orders`, { method: 'POST', body: JSON.stringify(shipment) }));
  const mail = { to: email, template: 'order-confirmation', order_id: orderId };
  await effect('email.send', { template: 'order-confirmation', to: email, payload: mail }, () => fetch(`${provider}/mail`, { method: 'POST', body: JSON.stringify(mail) }));
  console.log(`order ${orderId} fulfilled`);
}

for (;;) {
  const res = await fetch(`${api}/jobs/next?queue=fulfillment`).catch(() => undefined);
  const job = res?.ok ? await res.json() : null;
  if (job) await consume('fulfillment', job.headers, () => fulfil(job.body)).catch((err) => console.error(`fulfilment failed: ${err.stack}`));
  else await sleep(pollMs);
}
