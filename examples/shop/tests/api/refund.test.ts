import { expect, test } from '@tracecheck/vitest';
import { placeOrder, postJson } from './shop.js';

test('a refund creates exactly one provider refund of the amount in cents, on the right charge, after it is requested, and publishes a reconciliation event', async ({ run }) => {
  const order = await placeOrder(run);
  const res = await postJson(run, `/orders/${order.id}/refunds`, { amount_cents: 2500, reason: 'damaged in transit' });
  expect(res.status).toBe(201);

  await expect(run).toHold(`exactly 1 { name = "payments.refund.create" && span.amount = 2500 && span.charge = "${order.charge}" } after "refund.requested"`);
  await expect(run).toHold('one "send reconciliation" after "payments.refund.create"');
});
