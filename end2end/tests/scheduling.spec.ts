import { test, expect, Page } from '@playwright/test';
import { nav, signIn } from './helpers';

/** The Monday of the week on screen, from the grid's label "Week of MM/DD/YYYY for …". */
async function shownMonday(page: Page): Promise<Date> {
  const label = await page.getByRole('region', { name: /^Week of / }).getAttribute('aria-label');
  const [, m, d, y] = label!.match(/Week of (\d\d)\/(\d\d)\/(\d{4})/)!;
  return new Date(Date.UTC(+y, +m - 1, +d));
}

function isoDay(monday: Date, offset: number): string {
  const d = new Date(monday.getTime() + offset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

async function pickClient(page: Page, typed: string, nth: number) {
  await page.getByRole('combobox', { name: 'Client' }).fill(typed);
  await page.getByRole('listbox', { name: 'Matching clients' }).getByRole('button').nth(nth).click();
}

async function fillBooking(page: Page, date: string, client: number) {
  const panel = page.getByRole('dialog', { name: 'New appointment' });
  await panel.getByLabel('Appointment type').selectOption({ label: 'Individual therapy (53 min)' });
  await pickClient(page, 'an', client);
  await panel.getByLabel('Date').fill(date);
  await panel.getByLabel('Start').fill('18:00');
  await panel.getByLabel('Location').selectOption({ label: 'None (telehealth)' });
  await panel.getByLabel('Telehealth').check();
  return panel;
}

test('front desk books a weekly series, drags one, is refused a clash, checks in, cancels and offers the time', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test');
  await nav(page, 'Calendar').click();
  await page.getByLabel('Clinician', { exact: true }).selectOption({ label: 'Casey Morgan, LCSW' });
  const week = page.getByRole('region', { name: /Week of .* for Casey Morgan, LCSW/ });
  await expect(week).toBeVisible();
  // the week on screen must have moved before its days are read (the label changes when it has)
  const thisMonday = (await shownMonday(page)).getTime();
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect.poll(async () => (await shownMonday(page)).getTime()).toBe(thisMonday + 7 * 86_400_000);
  const monday = await shownMonday(page);
  const tuesday = isoDay(monday, 1);
  const thursday = isoDay(monday, 3);

  // a weekly series on Tuesday evenings (the clinician's telehealth hours)
  await page.getByRole('button', { name: 'New appointment' }).click();
  const panel = await fillBooking(page, tuesday, 0);
  await panel.getByLabel('Repeats').selectOption('weekly');
  await panel.getByLabel('Appointments').fill('4');
  await panel.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Booked.' })).toBeVisible();
  const tuesdayColumn = week.locator(`.week-column[data-date="${tuesday}"]`);
  const booked = tuesdayColumn.getByRole('button', { name: /^6:00 PM – 6:53 PM/ });
  await expect(booked).toBeVisible();

  // drag it to Thursday at the same time
  const thursdayColumn = week.locator(`.week-column[data-date="${thursday}"]`);
  // 6:00 PM is 11 hours below the grid's 7 AM top, at 0.9 px a minute
  await booked.dragTo(thursdayColumn, { sourcePosition: { x: 10, y: 5 }, targetPosition: { x: 20, y: 11 * 60 * 0.9 + 5 } });
  const moved = thursdayColumn.getByRole('button', { name: /^6:00 PM – 6:53 PM/ });
  await expect(moved).toBeVisible();
  await expect(tuesdayColumn.getByRole('button', { name: /^6:00 PM/ })).toHaveCount(0);

  // drag its bottom edge up to 6:30 PM: 30 minutes long
  await moved.locator('.week-entry-resize').dragTo(thursdayColumn, { targetPosition: { x: 20, y: 11.5 * 60 * 0.9 } });
  const resized = thursdayColumn.getByRole('button', { name: /^6:00 PM – 6:30 PM/ });
  await expect(resized).toBeVisible();

  // another client at the same time is refused, in the panel, with a sentence naming the clash
  await page.getByRole('button', { name: 'New appointment' }).click();
  const second = await fillBooking(page, thursday, 1);
  await second.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(second.getByRole('alert')).toContainText(/Casey Morgan, LCSW already has Individual therapy on \d\d\/\d\d\/\d{4} 6:00 PM/);
  await second.getByRole('button', { name: 'Close the booking panel' }).click();

  // check the client in from the appointment's panel
  await resized.click();
  const details = page.getByRole('dialog', { name: 'Appointment' });
  await expect(details).toContainText('Weekly on Tuesday, 4 times (changed alone)');
  await details.getByRole('button', { name: 'Check in' }).click();
  await expect(details.locator('.status-badge')).toHaveText('Checked in');
  await expect(resized).toHaveClass(/status-checked_in/);
  await details.getByRole('button', { name: 'Close the appointment panel' }).click();

  // the next week's occurrence: cancel it and offer the time to a waitlisted client
  const label = await week.getAttribute('aria-label');
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(week).not.toHaveAttribute('aria-label', label!);
  const next = week.getByRole('button', { name: /^6:00 PM – 6:53 PM/ });
  await next.click();
  await details.getByText('Cancel', { exact: true }).click();
  await details.getByLabel('Cancelled by').selectOption('client');
  await details.getByLabel('Reason').fill('Travelling for work');
  await details.getByLabel('Cancel which').selectOption('this');
  await details.getByRole('button', { name: 'Cancel the appointment' }).click();
  await expect(details.locator('.status-badge')).toHaveText('Cancelled');
  const offers = details.getByRole('region', { name: 'Offer this time' });
  const offer = offers.getByRole('button', { name: /^Offer to / }).first();
  await expect(offer).toBeVisible();
  await offer.click();
  await expect(offers.getByRole('status')).toContainText(/held until \d{1,2}:\d\d [AP]M/);
});
