import { expect, test } from '@tracecheck/playwright';
import { freshEmail, requestDemo } from './forms.js';

test('a demo request creates a CRM lead with source website_demo_request', async ({ page, run }) => {
  const email = freshEmail('grace');
  await requestDemo(page, email);
  await expect(page.getByRole('status')).toContainText('Our team will contact you');

  await expect(run).toHold(`one { name = "crm.lead.create" && span.email = "${email}" && span.source = "website_demo_request" }`);
});
