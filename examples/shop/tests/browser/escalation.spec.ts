import { expect, test } from '@tracecheck/playwright';
import { escalateCritical } from './forms.js';

test('a critical support escalation pages the on-call channel', async ({ page, run }) => {
  await escalateCritical(page);
  await expect(page.getByRole('status')).toContainText('The on-call engineer has been paged');
  const ticket = await page.getByRole('status').locator('strong').textContent();

  await expect(run).toHold(`one { name = "oncall.page" && span.routing_key = "support-oncall" && span.ticket = "${ticket}" }`);
});
