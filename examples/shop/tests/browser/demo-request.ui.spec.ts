import { expect, test } from '@playwright/test';
import { freshEmail, requestDemo } from './forms.js';

// The ordinary UI test of the demo form: it checks what the page shows.
test('a demo request is thanked', async ({ page }) => {
  const email = freshEmail('grace');
  await requestDemo(page, email);
  await expect(page.getByRole('heading')).toHaveText('Thank you!');
  await expect(page.getByRole('status')).toContainText(`Our team will contact you at ${email}`);
});
