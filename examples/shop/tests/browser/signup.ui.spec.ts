import { expect, test } from '@playwright/test';
import { freshEmail, signUp } from './forms.js';

// The ordinary UI test of signup: it checks what the page shows.
test('signing up shows the welcome page', async ({ page }) => {
  const email = freshEmail('ada');
  await signUp(page, 'Ada Lovelace', email);
  await expect(page.getByRole('heading')).toHaveText('Welcome, Ada Lovelace!');
  await expect(page.getByRole('status')).toContainText(`We've sent a welcome email to ${email}`);
});
