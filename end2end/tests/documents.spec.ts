import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { DEMO_PASSWORD, hydrated, nav, signIn, signOut, sql } from './helpers';

/** Gives `email` an appointment today at `start`–`end` (practice time; 7:00–7:53 unless told),
 *  checked in, with their first client; returns the client's short name as the calendar shows it ("Ann C."). */
function appointmentToday(email: string, start = '07:00', end = '07:53'): string {
  return sql(`
    WITH p AS (SELECT time_zone FROM practice),
         u AS (SELECT id FROM users WHERE email = '${email}'),
         c AS (SELECT id, coalesce(preferred_name, legal_first_name) || ' ' || left(legal_last_name, 1) || '.' AS short
                 FROM clients WHERE primary_clinician_id = (SELECT id FROM u) AND status = 'active' ORDER BY chart_number LIMIT 1),
         a AS (INSERT INTO appointments (appointment_type_id, clinician_id, location_id, starts_at, ends_at, status)
               SELECT t.id, u.id, l.id,
                      ((now() AT TIME ZONE p.time_zone)::date + time '${start}') AT TIME ZONE p.time_zone,
                      ((now() AT TIME ZONE p.time_zone)::date + time '${end}') AT TIME ZONE p.time_zone,
                      'checked_in'
                 FROM appointment_types t, locations l, u, p
                WHERE t.name = 'Individual therapy' AND l.name = 'Lincoln Park'
               RETURNING id),
         ac AS (INSERT INTO appointment_clients (appointment_id, client_id) SELECT a.id, c.id FROM a, c RETURNING client_id)
    SELECT c.short FROM c, ac`);
}

async function openTodaysNote(page: Page, who: string, time = '7:00 AM – 7:53 AM') {
  await nav(page, 'Calendar').click();
  await page.getByRole('button', { name: new RegExp(`^${time} · Individual therapy · ${who}`) }).click();
  await page.getByRole('button', { name: 'Write the progress note' }).click();
  await expect(page).toHaveURL(/\/notes\//);
  await hydrated(page);
}

async function saved(page: Page) {
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
}

async function fillSoap(page: Page) {
  await page.getByLabel('Objective', { exact: true }).fill('Calm, good eye contact, speech normal.');
  await page.getByLabel('Assessment', { exact: true }).fill('Worry lower; using the routine most nights.');
  await page.getByLabel('Plan', { exact: true }).fill('Continue weekly; breathing log.');
  await page.getByRole('checkbox', { name: 'Cognitive behavioral' }).check();
  await page.getByLabel('Overall risk level').selectOption('none');
  await saved(page);
}

test('a clinician writes a SOAP note, leaves mid-way, comes back to the draft, signs it, and cannot edit it after', async ({ page, context, baseURL }) => {
  const who = appointmentToday('clinician@demo.test');
  await signIn(page, 'clinician@demo.test');
  await openTodaysNote(page, who);
  await expect(page.getByRole('heading', { name: 'Progress note (SOAP)' })).toBeVisible();
  await page.getByLabel('Subjective', { exact: true }).fill('Client reports sleeping better since the last session.');
  await saved(page);

  // the tab closes; the draft is on the server
  const address = page.url();
  await page.close();
  const again = await context.newPage();
  await again.goto(address);
  await hydrated(again);
  await expect(again.getByLabel('Subjective', { exact: true })).toHaveValue('Client reports sleeping better since the last session.');

  // signing needs every section: the missing ones are named beside their fields
  await again.getByLabel('Your password').fill(DEMO_PASSWORD);
  await again.getByRole('button', { name: 'Sign the note' }).click();
  await expect(again.getByText('Objective is needed before signing.')).toBeVisible();
  await fillSoap(again);
  await again.getByLabel('Your password').fill('not-the-password');
  await again.getByRole('button', { name: 'Sign the note' }).click();
  await expect(again.getByText('That is not your password')).toBeVisible();
  await again.getByLabel('Your password').fill(DEMO_PASSWORD);
  await again.getByRole('button', { name: 'Sign the note' }).click();

  await expect(again.getByText(/^Signed by Casey Morgan, LCSW on /)).toBeVisible();
  await expect(again.getByText('Content verified against its signature')).toBeVisible();
  await expect(again.getByText('Client reports sleeping better since the last session.')).toBeVisible();
  await expect(again.locator('textarea#note-subjective')).toHaveCount(0);
  // and the server refuses a change all the same
  const id = address.split('/').pop()!;
  const refused = await again.request.post('/api/documents/note_save', {
    form: { id, revision: '99', 'content[subjective]': 'changed' },
    headers: { Origin: baseURL! },
  });
  expect(refused.status()).toBe(409);
});

test('an intern\'s note goes to the supervisor, who returns it, then approves it', async ({ page }) => {
  const who = appointmentToday('intern@demo.test');
  await signIn(page, 'intern@demo.test');
  await openTodaysNote(page, who);
  const address = page.url();
  await page.getByLabel('Subjective', { exact: true }).fill('Client describes a hard week at work.');
  await fillSoap(page);
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign the note' }).click();
  await expect(page.getByText('Awaiting co-signature by Dr. Sam Rivera')).toBeVisible();
  await signOut(page);

  await signIn(page, 'supervisor@demo.test');
  const queue = page.getByRole('region', { name: 'Waiting for your co-signature' });
  await queue.getByRole('link', { name: new RegExp(`Progress note`) }).first().waitFor();
  await page.goto(address);
  await hydrated(page);
  await page.getByLabel('Comment for the author').fill('Add the homework you agreed on to the plan.');
  await page.getByRole('button', { name: 'Return to the author' }).click();
  await expect(page.getByText('Returned for changes')).toBeVisible();
  await signOut(page);

  await signIn(page, 'intern@demo.test');
  await page.goto(address);
  await hydrated(page);
  await expect(page.getByText('“Add the homework you agreed on to the plan.”')).toBeVisible();
  await page.getByLabel('Plan', { exact: true }).fill('Continue weekly; homework: breathing log every evening.');
  await saved(page);
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign the note' }).click();
  await expect(page.getByText('Awaiting co-signature by Dr. Sam Rivera')).toBeVisible();
  await signOut(page);

  await signIn(page, 'supervisor@demo.test');
  await page.goto(address);
  await hydrated(page);
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Approve and co-sign' }).click();
  await expect(page.getByText(/^Co-signed by Dr\. Sam Rivera on /)).toBeVisible();
  await expect(page.getByText('homework: breathing log every evening')).toBeVisible();
});

test('a clinician writes a structured treatment plan, signs it, downloads it for release, and a progress note points at its objective', async ({ page }) => {
  const who = appointmentToday('clinician@demo.test', '19:00', '19:53');
  const client = sql(`SELECT ac.client_id FROM appointment_clients ac JOIN appointments a ON a.id = ac.appointment_id
                       WHERE a.status = 'checked_in' AND a.clinician_id = (SELECT id FROM users WHERE email = 'clinician@demo.test')
                       ORDER BY a.created_at DESC LIMIT 1`);
  await signIn(page, 'clinician@demo.test');
  await page.goto(`/clients/${client}?tab=notes`);
  await hydrated(page);
  await page.getByLabel('Kind of note').selectOption('treatment_plan');
  await page.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\//);
  await hydrated(page);

  // one problem comes with a goal, an objective and an intervention to fill in
  await page.getByRole('button', { name: 'Add a problem' }).click();
  await page.getByLabel('Problem 1', { exact: true }).fill('Panic attacks on the commute');
  await page.getByLabel('Goal 1.1', { exact: true }).fill('Ride the train to work again');
  await page.getByLabel('Objective 1.1.1 (measurable)').fill('Ride three stops with SUDS under 40, 3 times a week');
  await page.getByLabel('Target date of objective 1.1.1').fill('03/31/2027');
  await page.getByLabel('Status of objective 1.1.1').selectOption('in_progress');
  await page.getByLabel('Intervention 1.1.1.1', { exact: true }).fill('Graded exposure');
  await page.getByLabel('Frequency of intervention 1.1.1.1').fill('Weekly');
  await expect(page.getByLabel('Responsible clinician for intervention 1.1.1.1')).toHaveValue('Casey Morgan, LCSW');
  await page.getByLabel('Review date').fill('02/28/2027');
  await page.getByLabel('Client agreement').selectOption('agreed');
  await saved(page);
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign the note' }).click();
  await expect(page.getByText(/^Signed by Casey Morgan, LCSW on /)).toBeVisible();
  await expect(page.getByText('Ride three stops with SUDS under 40, 3 times a week')).toBeVisible();

  // release of records: a PDF download
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download PDF for release of records' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^treatment-plan-\d{4}-\d{2}-\d{2}\.pdf$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

  // today's progress note offers the new objective
  await openTodaysNote(page, who, '7:00 PM – 7:53 PM');
  const objective = page.getByRole('checkbox', { name: /^Ride three stops with SUDS under 40/ });
  await objective.check();
  await saved(page);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('checkbox', { name: /^Ride three stops with SUDS under 40/ })).toBeChecked();
});
