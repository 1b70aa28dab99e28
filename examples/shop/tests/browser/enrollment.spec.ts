import { expect, test } from '@tracecheck/playwright';
import { freshEmail, joinNewCheckoutBeta, signUp } from './forms.js';

test('joining a beta fires exactly one analytics identify call with the experiment', async ({ page, run }) => {
  await signUp(page, 'Katherine Johnson', freshEmail('katherine'));
  await joinNewCheckoutBeta(page);
  await expect(page.getByRole('status')).toHaveText("You're in! The new checkout is on for your account.");

  await expect(run).toHold('one "flags.target.add"');
  await expect(run).toHold('exactly 1 { name = "analytics.identify" && span.experiment = "new-checkout" && span.variant = "treatment" }');
});
