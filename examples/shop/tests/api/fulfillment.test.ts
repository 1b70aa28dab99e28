import { expect, test } from '@tracecheck/vitest';
import { placeOrder, postJson } from './shop.js';

test('completing an order sends exactly one fulfillment webhook', async ({ run }) => {
  const order = await placeOrder(run);
  const res = await postJson(run, `/orders/${order.id}/complete`);
  expect(res.status).toBe(202);

  // The worker sends it from a queued job, with retries: `exactly` waits until the job is done.
  await expect(run).toHold(`exactly 1 { name = "fulfillment.webhook.send" && span.order_id = "${order.id}" } after "order.complete"`);
});
