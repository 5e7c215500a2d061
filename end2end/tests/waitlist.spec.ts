import { test, expect } from '@playwright/test';
import { nav, signIn, signOut } from './helpers';

test('front desk takes a client off the waitlist and adds them back with new preferences', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  await nav(page, 'Waitlist').click();
  const table = page.locator('table.waitlist-table');
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();
  const name = (await rows.last().getAttribute('data-client'))!;

  await page.getByRole('button', { name: `Take ${name} off the waitlist` }).click();
  await expect(rows).toHaveCount(before - 1);
  await expect(table.locator(`tr[data-client="${name}"]`)).toHaveCount(0);

  const form = page.getByRole('region', { name: 'Add to the waitlist' });
  await form.getByRole('combobox', { name: 'Client' }).fill(name.split(' ').pop()!);
  await form.getByRole('listbox', { name: 'Matching clients' }).getByRole('button', { name: new RegExp(name) }).first().click();
  await form.getByRole('checkbox', { name: 'Tue' }).check();
  await form.getByRole('checkbox', { name: 'Thu' }).check();
  await form.getByLabel('Earliest').fill('09:00');
  await form.getByLabel('Latest').fill('08:00');
  await form.getByLabel('Urgency').selectOption({ label: 'Urgent' });
  await form.getByRole('button', { name: 'Add to the waitlist' }).click();
  // refused beside the field, and nothing written
  await expect(form.getByText('The latest time comes after the earliest.')).toBeVisible();
  await expect(rows).toHaveCount(before - 1);

  await form.getByLabel('Latest').fill('12:00');
  await form.getByRole('button', { name: 'Add to the waitlist' }).click();
  await expect(form.getByText('Added to the waitlist.')).toBeVisible();
  const row = table.locator(`tr[data-client="${name}"]`);
  await expect(row).toContainText('Urgent');
  await expect(row).toContainText('Tue, Thu');
  await expect(row).toContainText('9:00 AM – 12:00 PM');
  // urgent clients come first
  await expect(rows.first()).toContainText('Urgent');

  // once is enough: a second open entry for the same client is refused
  await form.getByRole('combobox', { name: 'Client' }).fill(name.split(' ').pop()!);
  await form.getByRole('listbox', { name: 'Matching clients' }).getByRole('button', { name: new RegExp(name) }).first().click();
  await form.getByRole('button', { name: 'Add to the waitlist' }).click();
  await expect(form.getByText('This client is already on the waitlist')).toBeVisible();
  await signOut(page);

  // clinicians have no waitlist: no link, and the server refuses the list
  await signIn(page, 'clinician@demo.test');
  await expect(nav(page, 'Waitlist')).toHaveCount(0);
  await page.goto('/waitlist');
  await expect(page.getByText('You do not have permission to do that.').first()).toBeVisible();
});
