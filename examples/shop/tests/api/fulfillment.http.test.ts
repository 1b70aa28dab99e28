import { expect, test } from 'vitest';
import { api } from '../urls.js';
import { placeOrder, postJson } from './shop.js';

// The ordinary API test of order completion: it checks what the HTTP responses say.
test('a completed order is accepted for fulfillment', async () => {
  const order = await placeOrder({ fetch });
  const res = await postJson({ fetch }, `/orders/${order.id}/complete`);
  expect(res.status).toBe(202);
  expect(await (await fetch(`${api}/orders/${order.id}`)).json()).toMatchObject({ id: order.id, status: 'fulfilling' });
});
