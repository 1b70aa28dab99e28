import { expect, test } from '@playwright/test';
import { freshEmail, joinNewCheckoutBeta, signUp } from './forms.js';

// The ordinary UI test of Labs: it checks what the page shows.
test('joining a beta shows it is on', async ({ page }) => {
  await signUp(page, 'Katherine Johnson', freshEmail('katherine'));
  await joinNewCheckoutBeta(page);
  await expect(page.getByRole('status')).toHaveText("You're in! The new checkout is on for your account.");
  await expect(page.getByText('Enrolled')).toBeVisible();
});
