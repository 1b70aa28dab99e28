import { exactly, expect, span, test } from '@tracecheck/vitest';
import { type Client, placeOrder, postJson } from './shop.js';
import { FulfillmentWebhook } from './webhook-schema.js';

async function completeAnOrder(client: Client): Promise<void> {
  const order = await placeOrder(client);
  const res = await postJson(client, `/orders/${order.id}/complete`);
  expect(res.status).toBe(202);
}

test('the fulfillment webhook has the shape the warehouse agreed to', async ({ run }) => {
  await completeAnOrder(run);
  // The schema runs here, on the payload the warehouse received (effect.payload of the webhook's span).
  await expect(run).toHold(exactly(1, span('fulfillment.webhook.send').payload(FulfillmentWebhook)));
});

test('the effects of completing an order match their snapshot', async ({ run }) => {
  await completeAnOrder(run);
  // Every effect of the run, with its count, call, payload shape and order (tests/api/__snapshots__).
  await expect(run).toMatchEffectSnapshot();
});
