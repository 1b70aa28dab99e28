import { expect, test } from '@tracecheck/vitest';
import { placeOrders } from './parallel.js';

// parallel-b and parallel-a place the same orders at the same time, from two test files (two
// workers): each test's run holds its own spans only.
test('customer b: three orders, three charges', async ({ run }) => {
  await placeOrders(run, 'b', 'b@example.com');
  await expect(run).toHold('exactly 3 "payment.charge"');
  await expect(run).toHold('exactly 3 "warehouse.webhook"');
  await expect(run).toHold('no { name = "payment.charge" && span.customer != "b@example.com" }');
});
