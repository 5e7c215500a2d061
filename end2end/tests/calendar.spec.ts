import { test, expect } from '@playwright/test';
import { hydrated, nav, signIn, signOut, sql } from './helpers';

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

test('day view shows clinicians side by side; month and agenda views; a clinician\'s private feed', async ({ page, request }) => {
  // the practice's nearest day on which Casey sees clients (today may be a weekend)
  const busyDay = sql(`
    SELECT d FROM (SELECT DISTINCT (a.starts_at AT TIME ZONE p.time_zone)::date AS d
                     FROM appointments a JOIN users u ON u.id = a.clinician_id, practice p
                    WHERE u.email = 'clinician@demo.test' AND a.status <> 'cancelled') days, practice p
     ORDER BY abs(d - (now() AT TIME ZONE p.time_zone)::date), d LIMIT 1`);
  await signIn(page, 'frontdesk@demo.test');
  await nav(page, 'Calendar').click();
  await page.getByRole('link', { name: 'Day', exact: true }).click();
  await expect(page).toHaveURL(/view=day/);
  await page.goto(`/calendar?view=day&day=${busyDay}`);
  await hydrated(page);
  const day = page.getByRole('region', { name: /^Day of / });
  await expect(day).toBeVisible();
  // by default the first clinicians by name, one column each; choose which
  await expect(day.getByRole('list', { name: /Casey Morgan, LCSW on / })).toBeVisible();
  // coloured by type (the legend names types), or by clinician (the legend names the columns)
  await expect(page.getByLabel('Legend', { exact: true })).toContainText('Individual therapy');
  await page.getByLabel('Colour by').selectOption('clinician');
  await expect(page.getByLabel('Legend', { exact: true })).toContainText('Casey Morgan, LCSW');
  await expect(page.getByLabel('Legend', { exact: true })).not.toContainText('Individual therapy');
  await page.locator('summary', { hasText: 'Clinicians shown' }).click();
  await page.getByRole('checkbox', { name: 'Casey Morgan, LCSW' }).uncheck();
  await expect(day.getByRole('list', { name: /Casey Morgan, LCSW on / })).toHaveCount(0);
  await expect(page).toHaveURL(/clinicians=/);
  await page.getByRole('button', { name: 'Next day' }).click();
  await expect(day).toBeVisible();

  await page.getByRole('link', { name: 'Week', exact: true }).click();
  await page.getByLabel('Clinician', { exact: true }).selectOption({ label: 'Casey Morgan, LCSW' });
  await page.getByRole('link', { name: 'Month', exact: true }).click();
  const month = page.getByRole('region', { name: /^\w+ \d{4} for Casey Morgan, LCSW$/ });
  await expect(month).toBeVisible();
  await expect(month.getByRole('link', { name: /: [1-9]\d* appointments?$/ }).first()).toBeVisible();
  await page.getByRole('link', { name: 'Agenda', exact: true }).click();
  const agenda = page.getByRole('region', { name: /^Agenda for the week of / });
  await expect(agenda.getByRole('button').first()).toContainText('Individual therapy ·');
  await page.getByLabel('Type', { exact: true }).selectOption('Couples therapy');
  await expect(page.getByText('No appointments this week.')).toBeVisible();
  await signOut(page);

  await signIn(page, 'clinician@demo.test');
  await nav(page, 'Calendar').click();
  await page.locator('summary', { hasText: 'Calendar feed for your phone or computer' }).click();
  await page.getByRole('button', { name: 'Turn on (new address)' }).click();
  const address = await page.getByLabel("Your feed's address (shown only now)").inputValue();
  expect(address).toMatch(/\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await request.get(address);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const ics = await feed.text();
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toMatch(/SUMMARY:Individual therapy · [A-Z]\.[A-Z]\./);
  await page.getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByText('Off.')).toBeVisible();
  expect((await request.get(address)).status()).toBe(404);
});
