import { expect, test } from 'vitest';
import { placeOrder, postJson } from './shop.js';

// The ordinary API test of a refund: it checks what the HTTP response says.
test('a refund of the full amount is accepted', async () => {
  const order = await placeOrder({ fetch });
  const res = await postJson({ fetch }, `/orders/${order.id}/refunds`, { amount_cents: 2500, reason: 'damaged in transit' });
  expect(res.status).toBe(201);
  expect(await res.json()).toMatchObject({ order: order.id, amount_cents: 2500, status: 'refunded' });
});
