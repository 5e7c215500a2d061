import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

export const DEMO_PASSWORD = 'demo-password-123';

// Waits for the WASM to take over the server-rendered page (after every full page load).
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

// Signs a demo user in and waits for the home page.
export async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await hydrated(page);
}

// Waits for the sign-in page, so the next navigation does not race the sign-out's own.
export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await hydrated(page);
}

// A link of the main navigation.
export function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

// Runs SQL on the test server's database (scripts/test.sh passes it) and returns what it prints.
export function sql(statement: string): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set');
  return execFileSync('psql', [url, '-qtAc', statement]).toString().trim();
}

// Records every Content-Security-Policy violation a page reports, from before its first script.
export async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
}

// Posts to a server function with the page's session (and the Origin a browser would send).
export async function callApi(page: Page, endpoint: string, form: Record<string, string>) {
  return page.request.post(`/api/${endpoint}`, { form, headers: { Origin: new URL(page.url()).origin } });
}
