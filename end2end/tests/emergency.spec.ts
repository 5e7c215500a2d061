import { test, expect } from '@playwright/test';
import { hydrated, nav, signIn, signOut, sql } from './helpers';

test('a clinician breaks the glass to read a chart outside her caseload; an admin sees the alert, the access report and reviews it', async ({ page }) => {
  // a client of the supervisor's, with a signed note, whom Casey has no part in
  const [clientId, noteId] = sql(`
    SELECT c.id || '|' || n.id FROM clients c
      JOIN users s ON s.id = c.primary_clinician_id AND s.email = 'supervisor@demo.test'
      JOIN clinical_notes n ON n.client_id = c.id AND n.status = 'signed' AND n.author_id = s.id
     WHERE NOT EXISTS (SELECT 1 FROM client_care_team t JOIN users u ON u.id = t.user_id
                        WHERE t.client_id = c.id AND u.email = 'clinician@demo.test')
     ORDER BY c.chart_number LIMIT 1`).split('|');
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

  await signIn(page, 'clinician@demo.test');
  await page.goto(`/clients/${clientId}`);
  await hydrated(page);
  await page.getByRole('link', { name: 'request emergency access' }).click();
  await expect(page.getByRole('heading', { name: 'Emergency access', level: 1 })).toBeVisible();
  await hydrated(page);

  // the reason is required, in words, next to its field
  await page.getByLabel('What is happening, and why you need the chart now').fill('Crisis call.');
  await page.getByRole('button', { name: 'Break the glass and open the chart' }).click();
  await expect(page.getByText('Choose why you need emergency access.')).toBeVisible();

  await page.getByLabel('Reason').selectOption('crisis_coverage');
  await page.getByLabel('What is happening, and why you need the chart now')
    .fill('Client walked in in crisis; Dr. Rivera is in session and cannot step out.');
  await page.getByRole('button', { name: 'Break the glass and open the chart' }).click();
  await expect(page).toHaveURL(new RegExp(`/clients/${clientId}$`));
  await expect(page.getByText(/Emergency access\. You can read this chart until/)).toBeVisible();

  // the notes tab reads the signed note; nothing offers a change
  await page.getByRole('link', { name: 'Notes', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Measures' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start the note' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Psychotherapy notes (yours alone)' })).toHaveCount(0);
  await page.goto(`/notes/${noteId}`);
  await hydrated(page);
  await expect(page.getByText(/Signed by Dr\. Sam Rivera/)).toBeVisible();
  await expect(page.getByText(/You are reading this note outside your caseload/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download PDF for release of records' })).toHaveCount(0);
  expect(Number(sql(`SELECT count(*) FROM audit_events e JOIN users u ON u.id = e.actor_id
      WHERE u.email = 'clinician@demo.test' AND e.action = 'documents.note_view' AND e.outcome = 'success'
        AND e.entity_id = '${noteId}' AND e.detail ? 'emergency_access'`))).toBe(1);
  // done: she ends it herself, and the chart is closed to her again
  await page.goto(`/clients/${clientId}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'End emergency access now' }).click();
  await expect(page.getByRole('heading', { name: 'Emergency access', level: 1 })).toBeVisible();
  await expect(page.getByText('None open.')).toBeVisible();
  await page.goto(`/clients/${clientId}`);
  await expect(page.getByRole('link', { name: 'request emergency access' })).toBeVisible();
  await signOut(page);

  // the administrator hears of it on the home page, sees it in the client's access report, and reviews it
  await signIn(page, 'admin@demo.test');
  await expect(page.getByText(/emergency access(es)? to a chart outside a clinician's caseload/)).toBeVisible();
  await page.getByRole('link', { name: 'Review them' }).click();
  await expect(page.getByRole('heading', { name: 'Emergency access review', level: 1 })).toBeVisible();
  await hydrated(page);
  const card = page.locator('section.grant').filter({ hasText: 'Casey Morgan, LCSW read' }).first();
  await expect(card).toContainText('Covering a crisis call or walk-in');
  await expect(card).toContainText('Dr. Rivera is in session');

  await card.getByRole('link', { name: "the client's access report" }).click();
  await expect(page.getByRole('heading', { name: 'Access report', level: 1 })).toBeVisible();
  await expect(page.getByText(/The audit trail verified/)).toBeVisible();
  const emergencyRows = page.locator('tr.row-emergency');
  await expect(emergencyRows.first()).toContainText('Casey Morgan, LCSW');
  await expect(emergencyRows.filter({ hasText: 'Note read' })).toHaveCount(1);

  await nav(page, 'Home').click();
  await page.getByRole('link', { name: 'Review them' }).click();
  await hydrated(page);
  const pending = page.locator('section.grant').filter({ hasText: 'Casey Morgan, LCSW read' }).first();
  await pending.getByRole('button', { name: 'Record the review' }).click();
  await expect(pending.getByText('Write what you found: whether the access was appropriate, and why.')).toBeVisible();
  await pending.getByLabel('Your review').fill('Confirmed with Dr. Rivera: the walk-in was real; appropriate.');
  await pending.getByRole('button', { name: 'Record the review' }).click();
  await expect(page.getByText('Confirmed with Dr. Rivera: the walk-in was real; appropriate.')).toBeVisible();
  await expect(page.getByText(/Reviewed by Avery Admin on/).first()).toBeVisible();
});

test('front desk and billers are never offered emergency access, and the server refuses them', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  const res = await page.request.post('/api/clients/start_emergency_access', {
    form: { 'access[client]': 'C1001', 'access[reason]': 'other', 'access[explanation]': 'Trying the door.' },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(res.status()).toBe(403);
  await page.goto('/clients/emergency-access');
  await hydrated(page);
  await expect(page.getByText('Emergency access to charts is for clinicians and supervisors; as front desk you cannot use it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Break the glass and open the chart' })).toHaveCount(0);
  await signOut(page);

  await signIn(page, 'biller@demo.test');
  const byBiller = await page.request.post('/api/clients/start_emergency_access', {
    form: { 'access[client]': 'C1001', 'access[reason]': 'other', 'access[explanation]': 'Trying the door.' },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(byBiller.status()).toBe(403);
  await page.goto('/clients/emergency-access');
  await hydrated(page);
  await expect(page.getByText('Emergency access to charts is for clinicians and supervisors; as biller you cannot use it.')).toBeVisible();
  expect(Number(sql(`SELECT count(*) FROM emergency_access e JOIN users u ON u.id = e.user_id
      WHERE u.email IN ('frontdesk@demo.test', 'biller@demo.test')`))).toBe(0);
});
