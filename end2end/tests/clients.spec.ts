import { test, expect, Page } from '@playwright/test';
import { hydrated, signIn, signOut } from './helpers';

async function openClients(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
}

test('front desk creates a client, with mistakes shown as they are made', async ({ page }) => {
  const last = `Quartermaine${Date.now() % 100000}`;
  await signIn(page, 'frontdesk@demo.test');
  await openClients(page);
  await page.getByRole('link', { name: 'New client' }).click();
  await expect(page.getByRole('heading', { name: 'New client' })).toBeVisible();

  await page.getByLabel('Legal first name').fill('Zelda');
  await page.getByLabel('Legal last name').fill(last);
  // the browser checks the date as soon as the field is left, before any submit
  await page.getByLabel('Date of birth').fill('13/45/2000');
  await page.getByLabel('Date of birth').blur();
  await expect(page.locator('#field-date_of_birth-error')).toContainText('MM/DD/YYYY');
  await page.getByLabel('Date of birth').fill('07/04/1988');
  await page.getByLabel('Date of birth').blur();
  await expect(page.locator('#field-date_of_birth-error')).toHaveCount(0);

  // the server refuses text consent without a mobile number, next to the field
  await page.getByLabel('May receive text messages').check();
  await page.getByRole('button', { name: 'Create client' }).click();
  await expect(page.getByText('Consent to text needs a mobile number.')).toBeVisible();

  await page.getByLabel('Mobile phone').fill('(312) 555-0199');
  await page.getByLabel('State').selectOption('IL');
  await page.getByLabel('Primary clinician').selectOption({ label: 'Casey Morgan, LCSW' });
  await page.getByRole('button', { name: 'Create client' }).click();

  await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: `Zelda ${last}` })).toBeVisible();
  await expect(page.getByText('Clinician: Casey Morgan, LCSW')).toBeVisible();
  await expect(page.getByText('(312) 555-0199')).toBeVisible();

  // an emergency contact, on the chart's Contacts tab
  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Contacts' }).click();
  await expect(page).toHaveURL(/tab=contacts/);
  await page.getByText('Add a contact').click();
  await page.getByLabel('Contact role').selectOption('emergency');
  await page.getByLabel('Contact name').fill('Ray Quartermaine');
  await page.getByLabel('Relationship').fill('Brother');
  await page.getByLabel('Contact phone').fill('(312) 555-0177');
  await page.getByRole('button', { name: 'Add contact' }).click();
  const contact = page.locator('table tbody tr').filter({ hasText: 'Ray Quartermaine' });
  await expect(contact).toContainText('Emergency contact');
  await expect(contact).toContainText('(312) 555-0177');

  // insurance, with a prior authorization that is nearly used up
  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Insurance' }).click();
  await expect(page.getByText('No insurance on file')).toBeVisible();
  await page.getByText('Add a policy').click();
  await page.getByLabel('Payer', { exact: true }).selectOption({ label: 'Aetna (60054)' });
  await page.getByLabel('Member id').fill('w123 456');
  await page.getByLabel('Member id').blur();
  await expect(page.locator('#field-member_id-error')).toContainText('only letters, digits and hyphens');
  await page.getByLabel('Member id').fill('w123456789');
  await page.getByLabel('Coverage starts').fill('01/01/2026');
  await page.getByLabel('Copay').fill('25');
  await page.getByRole('button', { name: 'Add policy' }).click();
  const policy = page.getByRole('article').filter({ hasText: 'Aetna' });
  await expect(policy).toContainText('W123456789');
  await expect(policy).toContainText('$25.00');

  await page.getByText('Record a prior authorization').click();
  await page.getByLabel('Authorization number').fill('PA-77881');
  await page.getByLabel('Visits authorized').fill('12');
  await page.getByLabel('Visits already used').fill('10');
  await page.getByLabel('Authorized from').fill('01/01/2026');
  await page.getByLabel('Authorized until').fill('12/31/2030');
  await page.getByRole('button', { name: 'Record authorization' }).click();
  const auth = policy.locator('tr').filter({ hasText: 'PA-77881' });
  await expect(auth).toContainText('10 of 12');
  await expect(auth).toContainText('Only 2 visits left.');

  // the list filtered by clinician holds only that clinician's clients
  await openClients(page);
  await page.getByLabel('Clinician', { exact: true }).selectOption({ label: 'Casey Morgan, LCSW' });
  await expect(page).toHaveURL(/clinician=/);
  // (retried until the filtered results have replaced the unfiltered ones)
  await expect(page.locator('table tbody tr td:nth-child(5)').filter({ hasNotText: 'Casey Morgan, LCSW' })).toHaveCount(0);
  await expect(page.locator('table tbody tr').first()).toBeVisible();

  // found again by a misspelt name
  await openClients(page);
  await page.getByLabel('Search').fill(`zelda ${last.replace('Quarter', 'Quater')}`);
  await expect(page.getByRole('link', { name: `${last}, Zelda` })).toBeVisible();
});

test('a clinician sees only their own caseload; an intern cannot find it', async ({ page }) => {
  await signIn(page, 'clinician@demo.test');
  await openClients(page);
  const clinicianCells = page.locator('table tbody tr td:nth-child(5)');
  await expect(clinicianCells.first()).toBeVisible();
  const clinicians = await clinicianCells.allTextContents();
  expect(clinicians.length).toBeGreaterThan(0);
  expect(new Set(clinicians)).toEqual(new Set(['Casey Morgan, LCSW']));
  const someone = (await page.locator('table tbody tr td:nth-child(1) a').first().textContent())!;
  const lastName = someone.split(',')[0];

  await signOut(page);
  await signIn(page, 'intern@demo.test');
  await openClients(page);
  await page.getByLabel('Search').fill(lastName);
  await expect(page.locator('table tbody tr td:nth-child(5)').filter({ hasText: 'Casey Morgan, LCSW' })).toHaveCount(0);
});

test('a clinician adds a diagnosis by typing part of its name; a biller sees the code only', async ({ page }) => {
  await signIn(page, 'clinician@demo.test');
  await openClients(page);
  await page.locator('table tbody tr td:nth-child(1) a').first().click();
  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Diagnoses' }).click();
  await expect(page.getByRole('heading', { name: 'Diagnoses' })).toBeVisible();
  const chartUrl = page.url();
  expect(chartUrl).toContain('tab=diagnoses');

  await page.getByLabel('Diagnosis', { exact: true }).fill('insomn');
  await page.getByRole('option').filter({ hasText: 'Primary insomnia' }).getByRole('button').click();
  await page.getByLabel('Type', { exact: true }).selectOption('secondary');
  await page.getByRole('button', { name: 'Add diagnosis' }).click();
  const row = page.locator('table tbody tr').filter({ hasText: 'F51.01' });
  await expect(row).toContainText('Primary insomnia');
  await expect(row).toContainText('Secondary');

  // a clinical alert on the chart header
  await page.getByText('Add an alert').click();
  await page.getByLabel('Alert type').selectOption('clinical_risk');
  await page.getByLabel('Severity').selectOption('critical');
  await page.getByLabel('Alert', { exact: true }).fill('Recent crisis: check the safety plan');
  await page.getByRole('button', { name: 'Add alert' }).click();
  await expect(page.getByRole('list', { name: 'Alerts' })).toContainText('Recent crisis: check the safety plan');

  await signOut(page);
  await signIn(page, 'biller@demo.test');
  await page.goto(chartUrl);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Diagnoses' })).toBeVisible();
  await expect(page.locator('table tbody tr').filter({ hasText: 'F51.01' })).toBeVisible();
  await expect(page.getByText('Primary insomnia')).toHaveCount(0);
  // billers never see clinical alerts
  await expect(page.getByText('Recent crisis: check the safety plan')).toHaveCount(0);
  await expect(page.locator('[data-category="clinical_risk"]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add diagnosis' })).toHaveCount(0);

  // front desk sees the chart without its clinical section
  await signOut(page);
  await signIn(page, 'frontdesk@demo.test');
  await page.goto(chartUrl);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Status history' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Diagnoses' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Diagnoses' })).toHaveCount(0);
});

test('front desk edits a client; the change shows in the chart and its activity history', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  await openClients(page);
  await page.locator('table tbody tr td:nth-child(1) a').first().click();
  await page.getByRole('link', { name: 'Edit details' }).click();
  await expect(page.getByRole('heading', { name: /^Edit / })).toBeVisible();
  // the form holds the record as it is
  await expect(page.getByLabel('Date of birth')).toHaveValue(/^\d\d\/\d\d\/\d{4}$/);
  await page.getByLabel('ZIP').fill('6061');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#field-zip-error')).toContainText('5 digits');
  await page.getByLabel('ZIP').fill('60657');
  await page.getByLabel('Preferred language').fill('Spanish');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('region', { name: 'Demographics' })).toContainText('Spanish');
  await expect(page.getByRole('region', { name: 'Contact' })).toContainText('60657');

  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Activity' }).click();
  const row = page.locator('table tbody tr').filter({ hasText: 'Demographics changed' }).first();
  await expect(row).toContainText('Fran Desk');
});
