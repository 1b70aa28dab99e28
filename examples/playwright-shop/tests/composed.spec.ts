import { expect as baseExpect, mergeExpects, mergeTests, type Page, test as base } from '@playwright/test';
import { exactly, span } from '@tracecheck/lang';
import { expect as tracecheckExpect, test as tracecheckTest } from '@tracecheck/playwright';
import { urls } from '../urls.js';

// @tracecheck/playwright composes with a project's own fixtures and matchers.
const shopTest = base.extend<{ placeOrder: (sku: string, quantity: number) => Promise<void> }>({
  placeOrder: async ({ page }, use) => {
    await use(async (sku, quantity) => {
      await page.goto('/');
      await page.getByLabel('Item').selectOption(sku);
      await page.getByLabel('Quantity').fill(String(quantity));
      await page.getByRole('button', { name: 'Pay' }).click();
    });
  },
});
const shopExpect = baseExpect.extend({
  async toShowConfirmation(page: Page, amount: string) {
    const text = (await page.getByRole('status').textContent({ timeout: this.timeout })) ?? '';
    return { pass: text.includes(`confirmed: ${amount} EUR`), message: () => `expected the confirmation of ${amount} EUR, got "${text}"` };
  },
});

const test = mergeTests(tracecheckTest, shopTest);
const expect = mergeExpects(tracecheckExpect, shopExpect);

// Options for this file: `use` replaces the whole object, so say propagateTo again.
test.use({ tracecheck: { propagateTo: [urls.web, urls.api], settle: 200 } });

test('merged fixtures and matchers: an order for 3 mugs', async ({ page, placeOrder, run }) => {
  await placeOrder('mug-white', 3);
  await expect.poll(async () => (await page.getByRole('status').textContent()) ?? '').toContain('confirmed');
  await expect(page).toShowConfirmation('36.00');
  // An assertion from the typed builder, with a timeout of its own.
  await expect(run).toHold(exactly(1, span('payment.charge').where({ amount: 3600 }).after('order.create')), { timeout: 5_000 });
});
