import { exactly, expect, span, test } from '@tracecheck/vitest';
import { z } from 'zod';
import { api } from '../api.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function order(run: { fetch: typeof fetch }, body: object): Promise<{ order_id: number }> {
  const res = await run.fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { order_id: number };
}

test('a coupon that the coupon service fails on is charged at full price', async ({ run }) => {
  await order(run, { items: [{ sku: 'tea', qty: 2 }], email: 'ada@example.com', coupon: 'BROKEN' });
  // Fails: the charge is 2500 (the full price), a near miss; the api's log says why.
  await expect(run).toHold('one { name = "payment.charge" && span.amount = 2250 }', { timeout: '1s' });
});

test('the warehouse gets the order id as a number', async ({ run }) => {
  await order(run, { items: [{ sku: 'honey', qty: 1 }], email: 'ada@example.com' });
  // Fails: the worker sends order_id as a string.
  const Shipment = z.object({ order_id: z.number(), items: z.array(z.object({ sku: z.string(), qty: z.number().int() })) });
  await expect(run).toHold(exactly(1, span('warehouse.webhook').payload(Shipment)));
});

test('a cancelled order is refunded once', async ({ run }) => {
  const { order_id } = await order(run, { items: [{ sku: 'mug', qty: 1 }], email: 'lin@retry.example' });
  const res = await run.fetch(`${api}/orders/${order_id}/cancel`, { method: 'POST' });
  expect(res.status).toBe(200);
  // Passes once the run is quiet...
  await expect(run).toHold('exactly 1 "payment.refund"');
  // ...while the rest of the test goes on, the api refunds again from a bare timer; closing the
  // run at the end of the test overturns the pass, and the test fails.
  await sleep(2000);
});

test('an order without items is rejected', async ({ run }) => {
  const res = await run.fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [], email: 'ada@example.com' }) });
  // Fails (400): the test shows what the api logged.
  expect(res.status).toBe(201);
});
