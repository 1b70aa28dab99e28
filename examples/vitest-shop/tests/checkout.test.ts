import { exactly, expect, span, test } from '@tracecheck/vitest';
import { z } from 'zod';
import { api } from './api.js';

test('an order is charged once, shipped and confirmed by email', async ({ run }) => {
  const res = await run.fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ sku: 'tea', qty: 2 }], email: 'ada@example.com' }),
  });
  expect(res.status).toBe(201);
  const { order_id } = (await res.json()) as { order_id: number };

  // Text assertions...
  await expect(run).toHold('exactly 1 { name = "payment.charge" && span.amount = 2500 }');
  await expect(run).toHold('one { name = "email.send" && span.template = "order-confirmation" } after "payment.charge"');
  // ...and the typed builder, with a schema for the payload the provider received.
  const Charge = z.object({ order_id: z.literal(order_id), amount: z.number().int().positive(), currency: z.literal('EUR') });
  await expect(run).toHold(exactly(1, span('payment.charge').where({ currency: 'EUR' }).payload(Charge)));
  await expect(run).toHold('exactly 1 "warehouse.webhook"');
});

test('nothing is refunded unless the order is cancelled', async ({ run }) => {
  const res = await run.fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ sku: 'mug', qty: 1 }], email: 'grace@example.com', coupon: 'TENOFF' }),
  });
  expect(res.status).toBe(201);

  await expect(run).toHold('exactly 1 { name = "payment.charge" && span.amount = 810 }');
  // `no` passes once the run has settled; `.not.toHold('some "payment.refund"')` would wait for the timeout.
  await expect(run).toHold('no "payment.refund"');
});
