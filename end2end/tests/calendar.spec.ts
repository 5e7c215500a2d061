import { test, expect } from '@playwright/test';
import { nav, signIn, signOut } from './helpers';

test('front desk opens a clinician\'s week; a clinician sees their own', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  await nav(page, 'Calendar').click();
  await expect(page.getByText('Choose a clinician to see their week.')).toBeVisible();
  await page.getByLabel('Clinician', { exact: true }).selectOption({ label: 'Casey Morgan, LCSW' });
  await expect(page).toHaveURL(/clinician=/);
  const week = page.getByRole('region', { name: /Week of .* for Casey Morgan, LCSW/ });
  await expect(week).toBeVisible();
  // the demo fills weekdays with weekly sessions, each showing its type and the client's short name
  const entries = week.getByRole('listitem');
  await expect(entries.first()).toContainText('Individual therapy ·');
  const before = await week.getAttribute('aria-label');
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(week).not.toHaveAttribute('aria-label', before!);
  await signOut(page);

  await signIn(page, 'clinician@demo.test');
  await nav(page, 'Calendar').click();
  await expect(page.getByRole('region', { name: /for Casey Morgan, LCSW/ }).getByRole('listitem').first())
    .toContainText('Individual therapy ·');
  // clinical staff have no clinician picker: their own calendar only
  await expect(page.getByLabel('Clinician', { exact: true })).toHaveCount(0);
});
