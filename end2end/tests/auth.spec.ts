import { test, expect, Page } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, sql } from './helpers';

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

async function signIn(page: Page, email: string, password: string) {
  await open(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

test('an admin creates a clinician, who signs in with the one-time password and sees a clinician\'s navigation', async ({ page }) => {
  const email = `new.clinician.${Date.now()}@demo.test`;
  const initial = 'lantern-orchard-velvet-93';
  const chosen = 'copper-meadow-whistle-58';

  await signIn(page, 'admin@demo.test', DEMO_PASSWORD);
  await expect(page.getByRole('heading', { name: /Welcome, Avery/ })).toBeVisible();
  await expect(page.getByTestId('role')).toHaveText('Administrator');
  await hydrated(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Staff accounts' })).toBeVisible();
  await page.getByLabel('Full name').fill('Robin Quinn');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('clinician');
  await page.getByLabel('One-time password').fill(initial);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('Created Robin Quinn (Clinician).')).toBeVisible();
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText('Awaiting first sign-in');
  await signOut(page);

  await signIn(page, email, initial);
  await expect(page).toHaveURL(/\/account\?first=1/);
  await hydrated(page);
  await page.getByLabel('Current password').fill(initial);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Repeat new password').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: /Welcome, Robin/ })).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(['Home', 'Clients', 'Calendar', 'My billing', 'Staff', 'My account']);
  await expect(page.getByTestId('role')).toHaveText('Clinician');

  // the server refuses the admin page even when typed in
  const res = await page.request.post('/api/auth/list_users', { headers: { Origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(403);
});

test('a wrong password shows an error next to the field', async ({ page }) => {
  await signIn(page, 'clinician@demo.test', 'not-the-password-at-all');
  await expect(page.locator('#field-password-error')).toContainText('did not match an active account');
  await expect(page).toHaveURL(/\/login$/);
});

test('signing out returns to sign-in and the back button shows no protected content', async ({ page }) => {
  await signIn(page, 'frontdesk@demo.test', DEMO_PASSWORD);
  await expect(page.getByRole('heading', { name: /Welcome, Fran/ })).toBeVisible();
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await signOut(page);

  // Back leads to the sign-in page (the server redirects a signed-out visit), or out of the app when
  // the browser kept no entry for the signed-in pages: never to protected content.
  await page.goBack();
  await expect(page).toHaveURL(/\/login|about:blank/);
  await expect(page.getByRole('heading', { name: 'My account' })).toHaveCount(0);
  await expect(page.getByText('Fran Desk')).toHaveCount(0);
});

test('the idle warning comes a minute before the server ends the session, then sign-in follows', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'biller@demo.test', DEMO_PASSWORD);
  await expect(page.getByRole('heading', { name: /Welcome, Billie/ })).toBeVisible();
  await hydrated(page);
  const ageSession = (seconds: number) =>
    sql(`UPDATE sessions SET last_seen_at = now() - interval '${seconds} seconds'
          WHERE user_id = (SELECT id FROM users WHERE email = 'biller@demo.test')`);

  // 50 seconds before the practice's 15-minute idle timeout
  ageSession(850);
  const warning = page.getByRole('alertdialog');
  await expect(warning).toBeVisible({ timeout: 20_000 });
  await expect(warning).toContainText('signed out in');
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(warning).toBeHidden();

  // past the timeout: the server has ended the session, and the page follows
  ageSession(901);
  await expect(page).toHaveURL(/\/login\?expired=1/, { timeout: 20_000 });
  await expect(page.getByText('signed out after a period of inactivity')).toBeVisible();
});

test('the sign-in form works before any script has run (a plain form post)', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill('clinician@demo.test');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\?error=failed$/);
  // the refusal is said next to the password, in our words
  await expect(page.locator('#field-password-error')).toContainText('did not match an active account');

  await page.getByLabel('Email').fill('clinician@demo.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: /Welcome, Casey/ })).toBeVisible();
  await context.close();
});
