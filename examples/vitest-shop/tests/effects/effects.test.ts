import { expect, test } from '@tracecheck/vitest';
import { api } from '../api.js';

// What an order did to the outside world, as effect snapshots: one in the file's .snap, one in its
// own file. A renamed payload field, a second charge or a dropped email shows as a diff; `vitest -u`
// accepts it. (Run with SHOP_SNAPSHOTS=1.)
async function order(run: { fetch: typeof fetch }): Promise<void> {
  const res = await run.fetch(`${api}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'honey', qty: 1 }], email: 'ada@example.com' }) });
  expect(res.status).toBe(201);
}

test('order effects', async ({ run }) => {
  await order(run);
  await expect(run).toMatchEffectSnapshot({ pin: ['currency'] });
});

test('order effects, in their own file', async ({ run }) => {
  await order(run);
  await expect(run).toMatchEffectFileSnapshot(`${process.env.SHOP_SNAPSHOT_DIR ?? '__effects__'}/order.effects.txt`, { pin: ['currency'] });
});
