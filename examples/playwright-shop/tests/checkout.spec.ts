import { expect, test } from '@tracecheck/playwright';
import { urls } from '../urls.js';

test('an order placed in the page charges the card once and sends the confirmation', async ({ page, run }) => {
  await page.goto('/');
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Pay' }).click();
  await expect(page.getByRole('status')).toContainText('confirmed: 50.00 EUR');

  // The page's request to the API carried the run: the effects behind the click are this test's.
  await expect(run).toHold('exactly 1 { name = "payment.charge" && span.amount = 5000 } after "order.create"');
  await expect(run).toHold('one { name = "email.send" && span.template = "order-confirmation" }');
  // So did the navigation to our front end.
  await expect(run).toHold('some "checkout.page.render"');
});

test('the third-party pixel gets no baggage or trace context, and the calls the page makes to it still succeed', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pay' }).click();
  await expect(page.locator('#analytics')).toHaveText('analytics sent');

  const seen: { method: string; url: string; headers: Record<string, string> }[] = await (await request.get(`${urls.pixel}/requests`)).json();
  const ours = seen.filter((r) => r.url.startsWith('/collect') || r.url.startsWith('/pixel.gif'));
  expect(ours.length).toBeGreaterThan(0);
  for (const r of ours) {
    expect(r.headers).not.toHaveProperty('baggage');
    expect(r.headers).not.toHaveProperty('traceparent');
    expect(r.headers).not.toHaveProperty('tracestate');
  }
});

test('an API call from the test itself carries the run with run.headers()', async ({ request, run }) => {
  const res = await request.post(`${urls.api}/orders`, { headers: run.headers(), data: { sku: 'mug-white', quantity: 3, email: 'grace@example.com' } });
  expect(res.status()).toBe(201);
  await expect(run).toHold('exactly 1 { name = "payment.charge" && span.amount = 3600 }');
});
