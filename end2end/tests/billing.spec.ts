import { test, expect } from '@playwright/test';
import { hydrated, nav, signIn, sql } from './helpers';
import { readFileSync } from 'node:fs';

test('a session becomes a charge, a claim is told what is missing and fixed, and goes out in an 837P batch', async ({ page }) => {
  // the practice's clearinghouse id is not recorded yet: claims must say so
  sql("UPDATE practice SET submitter_id = NULL");
  await signIn(page, 'admin@demo.test');
  await nav(page, 'Billing').click();
  await expect(page.getByRole('heading', { name: /Ready to bill \(\d+\)/ })).toBeVisible();
  await hydrated(page);

  // the demo sessions last 53 minutes: 90837 is suggested; 90834 does not fit and says so
  // an insured session (a self-pay one would make no claim): which comes first depends on the date
  const row = page.locator('table.billing-ready tbody tr').filter({ hasNotText: 'Self-pay' }).first();
  const client = (await row.getAttribute('data-client')) ?? '';
  const session = (await row.getAttribute('data-session')) ?? '';
  expect(client).not.toBe('');
  const code = row.getByLabel('Code');
  await expect(code).toHaveValue('90837');
  await code.selectOption('90834');
  await expect(row.getByText('The session lasted 53 minutes, but 90834 needs 38–52 minutes. 90837 fits 53 minutes.')).toBeVisible();
  await code.selectOption('90837');
  await expect(row.locator('.time-warning')).toBeEmpty();
  await row.getByRole('button', { name: 'Create charge' }).click();
  // charged: the session leaves the queue
  await expect(page.locator(`table.billing-ready tr[data-session="${session}"]`)).toHaveCount(0);

  // claims from the open charges; the newest draft of this client is the one just built
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Claims' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Build claims from open charges' }).click();
  await expect(page.getByText(/draft claims? made from \d+ charges/)).toBeVisible();
  await page.getByLabel('Status', { exact: true }).selectOption('draft');
  const claimRow = page.locator('table.claims-table tbody tr', { hasText: client }).first();
  const claimNumber = (await claimRow.getAttribute('data-claim')) ?? '';
  await claimRow.getByRole('link').click();
  await expect(page.getByRole('heading', { name: `Claim ${claimNumber}` })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("The practice's submitter id (from the clearinghouse) is missing — open Settings.")).toBeVisible();
  await page.getByRole('button', { name: 'Mark ready to send' }).click();
  await expect(page.getByRole('alert')).toContainText('submitter id');

  // fixing it where the claim points
  await page.getByRole('link', { name: 'Fix it' }).first().click();
  await expect(page.getByRole('heading', { name: 'Billing identity on claims' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Submitter id').fill('riverbend01');
  await page.getByRole('button', { name: 'Save billing identity' }).click();
  await expect(page.locator('#billing-identity-title').locator('..').getByText('Saved.')).toBeVisible();

  await page.goBack();
  await page.reload();
  await hydrated(page);
  await expect(page.getByText('What stops this claim')).toHaveCount(0);
  await page.getByRole('button', { name: 'Mark ready to send' }).click();
  await expect(page.locator('.card-head .badge')).toHaveText('Ready');
  // the paper form, for payers that take paper
  const [paper] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the CMS-1500' }).click(),
  ]);
  expect(paper.suggestedFilename()).toBe(`cms1500-${claimNumber}.pdf`);
  expect(readFileSync((await paper.path())!).subarray(0, 5).toString()).toBe('%PDF-');

  // one batch for the payer; its 837P downloads exactly as stored
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Batches' }).click();
  await hydrated(page);
  const payerRow = page.locator('tr[data-payer]').first();
  await payerRow.getByRole('button', { name: /Create the batch/ }).click();
  await expect(page.getByText('The batch is made and its claims are submitted.')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '837P' }).first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^837p-\d{9}\.x12$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.startsWith('ISA*00*')).toBe(true);
  const stored = sql(`SELECT encode(file, 'escape') FROM claim_batches ORDER BY control_number DESC LIMIT 1`);
  expect(text.trim()).toBe(stored.trim());
});

test('a clinician has no billing: no navigation entry, and the server refuses the queue', async ({ page }) => {
  await signIn(page, 'clinician@demo.test');
  await expect(nav(page, 'Billing')).toHaveCount(0);
  const res = await page.request.post('/api/billing/work_queue', { headers: { Origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(403);
});

// A 999 written here, apart from the server's code: the receiver rejects the group with one bad element.
function rejection(group: string): string {
  const body = [
    'ST*999*0001*005010X231A1',
    `AK1*HC*${group}*005010X222A1`,
    'AK2*837*0001*005010X222A1',
    'IK3*CLM*22*2300*8',
    'IK4*5:3*1325*7*9',
    'IK5*R*5',
    'AK9*R*1*1*0',
  ];
  body.push(`SE*${body.length + 1}*0001`);
  return [
    'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*MSEHR          *261220*0900*^*00501*000000777*0*P*:',
    `GS*FA*CLEARINGHOUSE*MSEHR*20261220*0900*777*X*005010X231A1`,
    ...body,
    'GE*1*777',
    'IEA*1*000000777',
  ].join('~\n') + '~\n';
}

test('a clearinghouse 999 rejects a batch: the batch and its claims say what was wrong', async ({ page }) => {
  await signIn(page, 'biller@demo.test');
  await page.goto('/billing/batches');
  await hydrated(page);
  // a file that is not a 999 comes back to the field with the reason
  await page.getByLabel('999 file').setInputFiles({ name: 'x.999', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.locator('#ack-file-error')).toHaveText('The file does not start with an ISA segment.');
  await hydrated(page);
  // a fresh batch of one payer's ready claims, then the receiver's rejection of it
  await expect(async () => {
    await page.locator('tr[data-payer]').first().getByRole('button', { name: /Create the batch/ }).click();
    await expect(page.getByText('The batch is made and its claims are submitted.')).toBeVisible({ timeout: 2000 });
  }).toPass();
  const group = sql(`SELECT control_number FROM claim_batches ORDER BY control_number DESC LIMIT 1`);
  await page.getByLabel('999 file').setInputFiles({ name: 'reject.999', mimeType: 'text/plain', buffer: Buffer.from(rejection(group)) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page).toHaveURL(/\/billing\/batches\?acknowledged=1$/);
  const row = page.locator('tr', { hasText: group.padStart(9, '0') });
  await expect(row).toContainText('Rejected');
  await expect(row).toContainText('CLM05-3: Invalid code value (“9”)');
  const statuses = sql(`SELECT DISTINCT c.status FROM claims c JOIN claim_batches b ON b.id = c.batch_id WHERE b.control_number = ${group}`);
  expect(statuses).toBe('rejected');
});

test('a clinician sees where their own sessions stand in billing, and no amounts', async ({ page }) => {
  await signIn(page, 'clinician@demo.test');
  await nav(page, 'My billing').click();
  await expect(page.getByRole('heading', { name: 'My sessions in billing' })).toBeVisible();
  const billed = page.getByRole('table', { name: 'Sessions in billing' });
  await expect(billed.locator('tbody tr').first()).toBeVisible();
  await expect(page.locator('main')).not.toContainText('$');
});
