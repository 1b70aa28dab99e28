import { expect, test } from '@tracecheck/vitest';
import { postJson } from './shop.js';

test('a cancelled subscription is cancelled at the billing provider, and no charge comes after', async ({ run }) => {
  const created = await postJson(run, '/subscriptions', { email: 'grace@example.com', plan: 'pro-monthly', payment_method: 'pm_card_visa' });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const res = await postJson(run, `/subscriptions/${id}/cancel`);
  expect(res.status).toBe(200);

  // The next period's renewal is a scheduled job: `no` waits for it to run before it passes.
  await expect(run).toHold('no "payments.charge.create" after "subscription.cancel.requested"');
  await expect(run).toHold('exactly 1 "payments.subscription.cancel" after "subscription.cancel.requested"');
});
