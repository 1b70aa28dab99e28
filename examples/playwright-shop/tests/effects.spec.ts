import { expect, test } from '@tracecheck/playwright';

// What the checkout did to the outside world, as an effect snapshot: a renamed payload field, a
// second charge or a dropped email shows as a diff (run with SHOP_SNAPSHOTS=1; -u accepts a change).
test('checkout effects', async ({ page, run }) => {
  await page.goto('/');
  await page.getByLabel('Quantity').fill('1');
  await page.getByRole('button', { name: 'Pay' }).click();
  await expect(page.getByRole('status')).toContainText('confirmed');
  await expect(run).toMatchEffectSnapshot('checkout.effects.txt', { pin: ['currency'] });
});
