// The shop's background worker (run with `node --import @tracecheck/sdk/register services/worker.mjs`):
// consumes the queues the API publishes to, each message inside a consumer span that continues the
// trace of the request that enqueued it.
//   email-jobs        send a templated email (welcome, order confirmation)
//   fulfillment       tell the warehouse to ship: a signed webhook, retried with backoff
//   reconciliation    mark a refund reconciled with the ledger (the API's internal endpoint)
//   billing-renewals  a subscription's next period: charge it if the provider still has it active,
//                     and schedule the one after
// GET /health answers on PORT.
import { randomUUID } from 'node:crypto';
import { currentFault } from '../faults.mjs';
import { requestJson, required, serve, sleep } from './lib/http.mjs';
import { email, payments, warehouse } from './lib/providers.mjs';
import { queueClient } from './lib/queue.mjs';

const fault = currentFault();
const faulty = (name) => fault === name;
if (fault) console.log(`worker: SHOP_FAULT=${fault}`);

const api = required('API_URL');
const queue = queueClient(required('QUEUE_URL'));
const BILLING_PERIOD_MS = Number(process.env.SHOP_BILLING_PERIOD_MS ?? 1500);
const WEBHOOK_ATTEMPTS = 2;
const WEBHOOK_BACKOFF_MS = Number(process.env.SHOP_WEBHOOK_BACKOFF_MS ?? 2000);

// --- email ------------------------------------------------------------------------------------------

queue.subscribe('email-jobs', async (job) => {
  await email.send(job);
});

// --- fulfillment ------------------------------------------------------------------------------------

/** The webhook the warehouse agreed to (their schema: tests/api/webhook-schema.ts). */
function fulfillmentPayload(job) {
  const payload = { event: 'order.ready_to_ship', event_id: randomUUID(), order_id: job.order_id, items: job.items, ship_to: job.ship_to, amount_cents: job.amount_cents, currency: job.currency };
  if (faulty('webhook-order-id-renamed')) {
    // The incident: the payload is now built from the new orders module's camelCase DTO. The
    // warehouse still answers 202, and drops the delivery later, on its side.
    const { order_id: orderId, ...rest } = payload;
    return { ...rest, orderId };
  }
  return payload;
}

/** Whether the warehouse took the delivery. */
function delivered(res) {
  // The incident: the warehouse's API moved to 202 Accepted; this check still wants 200, so every
  // delivery "fails" and is sent again after the backoff. The warehouse ships twice.
  if (faulty('webhook-sent-twice')) return res.status === 200;
  return res.ok;
}

queue.subscribe('fulfillment', async (job) => {
  const payload = fulfillmentPayload(job);
  for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
    let res;
    try {
      res = await warehouse.deliver(payload, { orderId: job.order_id, attempt });
    } catch (err) {
      console.error(`fulfillment ${job.order_id}: attempt ${attempt} failed: ${err.message}`);
    }
    if (res !== undefined && delivered(res)) {
      console.log(`fulfillment ${job.order_id}: webhook delivered (attempt ${attempt}, ${res.status})`);
      return;
    }
    if (attempt < WEBHOOK_ATTEMPTS) await sleep(WEBHOOK_BACKOFF_MS * 2 ** (attempt - 1));
  }
  console.error(`fulfillment ${job.order_id}: webhook not delivered after ${WEBHOOK_ATTEMPTS} attempts; left for the on-call to follow up`);
});

// --- refunds ----------------------------------------------------------------------------------------

queue.subscribe('reconciliation', async (job) => {
  const res = await requestJson(`${api}/internal/refunds/${job.refund}/reconciled`, { body: { provider_refund: job.provider_refund, amount_cents: job.amount_cents } });
  if (res.status !== 204) throw new Error(`reconciling ${job.refund}: the API answered ${res.status}`);
});

// --- subscriptions ----------------------------------------------------------------------------------

queue.subscribe('billing-renewals', async (job) => {
  // The provider is the source of truth for whether a subscription still bills.
  const sub = await payments.retrieveSubscription(job.provider_id);
  if (sub.status !== 'active') {
    console.log(`subscription ${job.subscription}: ${sub.status} at the provider, period ${job.period} not charged`);
    return;
  }
  await payments.createCharge({
    amount: job.amount_cents,
    paymentMethod: job.payment_method,
    description: `Subscription ${job.subscription}, period ${job.period}`,
    metadata: { subscription: job.subscription, period: job.period },
    idempotencyKey: `renewal-${job.subscription}-${job.period}`,
  });
  await queue.publish('billing-renewals', { ...job, period: job.period + 1 }, { delayMs: BILLING_PERIOD_MS });
});

serve('worker', []);
