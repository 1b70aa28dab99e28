import { expect, test } from '@playwright/test';
import { escalateCritical } from './forms.js';

// The ordinary UI test of an escalation: it checks what the page shows.
test('a critical escalation says on-call was paged', async ({ page }) => {
  await escalateCritical(page);
  await expect(page.getByRole('heading')).toHaveText('Escalated');
  await expect(page.getByRole('status')).toContainText(/Escalated as ticket T-\d+\. The on-call engineer has been paged\./);
});
