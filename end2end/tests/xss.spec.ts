import { test, expect, Page } from '@playwright/test';
import { callApi, cspViolations, hydrated, signIn, signOut, sql, watchCsp } from './helpers';

// Script in every form a field could carry it: tags, event handlers, a javascript: address, SVG, and
// markup that breaks out of an attribute. Each sets window.__xss if it ever runs.
const CORPUS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"><circle r="1"/></svg>',
  'javascript:window.__xss=1',
  '"><iframe srcdoc="<script>parent.__xss=1</script>">',
  "' onmouseover='window.__xss=1' x='",
];

async function inert(page: Page, where: string) {
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  // hovering and focusing give event-handler payloads their chance
  await page.mouse.move(200, 200);
  await page.mouse.move(400, 300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), where).toBeUndefined();
  expect(await cspViolations(page), where).toEqual([]);
}

test('script saved into free-text fields (client names, alerts, contacts, notes) shows as text and never runs', async ({ page }) => {
  await watchCsp(page);
  const clinicianId = sql("SELECT id FROM users WHERE email = 'clinician@demo.test'");

  await signIn(page, 'frontdesk@demo.test');
  const created = await callApi(page, 'clients/create', {
    'client[legal_first_name]': CORPUS[1],
    'client[legal_last_name]': CORPUS[0],
    'client[preferred_name]': CORPUS[2],
    'client[pronouns]': CORPUS[5].slice(0, 40),
    'client[date_of_birth]': '04/23/1990',
    'client[city]': CORPUS[4],
    'client[primary_clinician_id]': clinicianId,
    'client[status]': 'active',
  });
  expect(created.status(), await created.text()).toBe(200);
  const clientId: string = await created.json();
  for (const [i, text] of CORPUS.entries()) {
    const flag = await callApi(page, 'clients/add_flag', {
      client_id: clientId, category: 'administrative', severity: i % 2 ? 'warning' : 'info', text,
    });
    expect(flag.status(), await flag.text()).toBe(200);
  }
  const contact = await callApi(page, 'clients/add_contact', {
    client_id: clientId, 'contact[kind]': 'emergency', 'contact[name]': CORPUS[1],
    'contact[relationship]': CORPUS[3], 'contact[phone]': '(312) 555-0100', 'contact[email]': '',
  });
  expect(contact.status(), await contact.text()).toBe(200);

  await page.goto(`/clients?q=${encodeURIComponent('<script>')}`);
  await inert(page, 'client list');
  await page.goto(`/clients/${clientId}`);
  await inert(page, 'chart');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(CORPUS[1]);
  await expect(page.getByText(CORPUS[3]).first()).toBeVisible();
  await page.goto(`/clients/${clientId}?tab=contacts`);
  await inert(page, 'contacts');
  await expect(page.getByText(CORPUS[1]).first()).toBeVisible();
  await signOut(page);

  // the clinician writes the corpus into a note and reads it back
  await signIn(page, 'clinician@demo.test');
  const started = await callApi(page, 'documents/note_start', { client_id: clientId, kind: 'contact', appointment_id: '', format: '' });
  expect(started.status(), await started.text()).toBe(200);
  const noteId: string = await started.json();
  const revision = sql(`SELECT revision FROM clinical_notes WHERE id = '${noteId}'`);
  const saved = await callApi(page, 'documents/note_save', {
    id: noteId, revision,
    'content[contact_with]': CORPUS[1],
    'content[summary]': CORPUS.join('\n'),
    'content[follow_up]': CORPUS[4],
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await page.goto(`/notes/${noteId}`);
  await inert(page, 'note editor');
  await page.goto(`/clients/${clientId}?tab=notes`);
  await inert(page, 'notes tab');
  await page.goto('/');
  await inert(page, 'home');
});
