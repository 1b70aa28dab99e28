import { expect, test } from '@tracecheck/playwright';
import { freshEmail, signUp } from './forms.js';

test('signing up creates the account and sends exactly one welcome email to that address within 60 s', async ({ page, run }) => {
  const email = freshEmail('ada');
  await signUp(page, 'Ada Lovelace', email);
  await expect(page.getByRole('status')).toContainText(`We've sent a welcome email to ${email}`);

  await expect(run).toHold(`one { name = "account.create" && span.email = "${email}" }`);
  // The email is a queued job that the worker runs: `exactly` waits for the job before it counts.
  await expect(run).toHold(`exactly 1 { name = "email.send" && span.template = "welcome" && span.to = "${email}" } within 60s`);
});
