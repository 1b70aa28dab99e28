import { expect, test } from 'vitest';
import { api } from '../urls.js';
import { postJson } from './shop.js';

// The ordinary API test of a cancellation: it checks what the HTTP responses say.
test('a cancelled subscription shows as cancelled', async () => {
  const created = await postJson({ fetch }, '/subscriptions', { email: 'grace@example.com', plan: 'pro-monthly', payment_method: 'pm_card_visa' });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const res = await postJson({ fetch }, `/subscriptions/${id}/cancel`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ id, status: 'canceled' });
  expect(await (await fetch(`${api}/subscriptions/${id}`)).json()).toMatchObject({ id, status: 'canceled' });
});
