import { test, expect } from '@playwright/test';
import { hydrated, nav, signIn, signOut } from './helpers';

test('an admin sees license alerts, sets working hours and adds a payer', async ({ page }) => {
  await signIn(page, 'admin@demo.test');
  // the demo clinician's license expires within 60 days
  const alerts = page.getByRole('region', { name: 'Licenses to renew' });
  await expect(alerts).toContainText('Casey Morgan, LCSW');
  await expect(alerts).toContainText(/LCSW \(IL\): Expires in \d+ days/);

  await nav(page, 'Staff').click();
  await expect(page.getByRole('heading', { name: 'Staff', exact: true })).toBeVisible();
  const intern = page.locator('table tbody tr').filter({ hasText: 'Jordan Lee' });
  await expect(intern).toContainText('Dr. Sam Rivera');
  await intern.getByRole('link', { name: 'Jordan Lee' }).click();
  await expect(page.getByRole('heading', { name: 'Jordan Lee' })).toBeVisible();
  await expect(page.getByText('Notes need co-signature')).toBeVisible();

  // an overlapping block is refused with a sentence next to the field; a free one is added
  await page.getByLabel('Location', { exact: true }).selectOption({ label: 'Telehealth' });
  await page.getByLabel('Day', { exact: true }).selectOption({ label: 'Monday' });
  await page.getByLabel('From').fill('16:00');
  await page.getByLabel('Until').fill('19:00');
  await page.getByRole('button', { name: 'Add hours' }).click();
  await expect(page.getByText('These hours overlap hours already set for that day.')).toBeVisible();
  await page.getByLabel('From').fill('17:00');
  await page.getByRole('button', { name: 'Add hours' }).click();
  await expect(page.locator('table tbody tr').filter({ hasText: 'Monday' }).filter({ hasText: 'Telehealth' }))
    .toContainText('17:00 – 19:00');

  // a wrong NPI is caught in the browser before anything is sent
  await page.getByText('Edit profile').click();
  await page.getByLabel('NPI', { exact: true }).fill('1234567890');
  await page.getByLabel('NPI', { exact: true }).blur();
  await expect(page.locator('#field-npi-error')).toContainText('check digit');

  await nav(page, 'Settings').click();
  await expect(page.getByRole('heading', { name: 'Practice settings' })).toBeVisible();
  await expect(page.getByLabel('Practice name')).toHaveValue('Riverbend Counseling Collective');
  await page.getByLabel('Payer name').fill('Ambetter of Illinois');
  await page.getByLabel('Payer id', { exact: true }).fill('68069');
  await page.getByRole('button', { name: 'Add payer' }).click();
  await expect(page.locator('table tbody tr').filter({ hasText: 'Ambetter of Illinois' })).toContainText('68069');
  await page.getByLabel('Payer name').fill('Ambetter twice');
  await page.getByLabel('Payer id', { exact: true }).fill('68069');
  await page.getByRole('button', { name: 'Add payer' }).click();
  await expect(page.getByText('A payer with this payer id is already on the list.')).toBeVisible();
});

test('staff see the directory but only their own profile; settings are for admins', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  await expect(nav(page, 'Settings')).toHaveCount(0);
  await nav(page, 'Staff').click();
  const row = page.locator('table tbody tr').filter({ hasText: 'Casey Morgan, LCSW' });
  await expect(row).toContainText('LCSW');
  // other people's names are not links for front desk
  await expect(row.getByRole('link', { name: 'Casey Morgan, LCSW' })).toHaveCount(0);
  // and the page refuses, even when typed in
  await page.goto('/admin/settings');
  await hydrated(page);
  await expect(page.getByText('You do not have permission to do that.')).toBeVisible();
  await signOut(page);

  await signIn(page, 'clinician@demo.test');
  // the clinician sees their own license alert only
  await expect(page.getByRole('region', { name: 'Licenses to renew' })).toContainText('Casey Morgan, LCSW');
  await nav(page, 'Staff').click();
  await page.getByRole('table').getByRole('link', { name: 'Casey Morgan, LCSW' }).click();
  await expect(page.getByRole('heading', { name: 'Licenses' })).toBeVisible();
  await expect(page.getByText('149-021234')).toBeVisible();
  await expect(page.getByText('Edit profile')).toHaveCount(0);
});
