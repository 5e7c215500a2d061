import { test, expect } from '@playwright/test';
import { cspViolations as violations, hydrated, signIn, signOut, sql, watchCsp } from './helpers';

for (const email of ['admin@demo.test', 'clinician@demo.test', 'frontdesk@demo.test', 'biller@demo.test']) {
  test(`no page of ${email.split('@')[0]}'s navigation breaks the Content-Security-Policy`, async ({ page }) => {
    await watchCsp(page);
    const csp = (await (await page.request.get('/login')).headers())['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).not.toContain('unsafe-inline\' \'wasm');

    await signIn(page, email);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const paths = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(paths.length).toBeGreaterThan(2);
    for (const path of paths) {
      // a full load of each page: server rendering, streamed resources and hydration all run
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await hydrated(page);
      await page.waitForLoadState('networkidle');
      expect(await violations(page), path).toEqual([]);
    }
    await signOut(page);
    expect(await violations(page)).toEqual([]);
  });
}

test('pages send the browser security headers', async ({ request }) => {
  const res = await request.get('/login');
  const h = res.headers();
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['permissions-policy']).toContain('camera=()');
  expect(h['x-frame-options']).toBe('DENY');
  const csp = h['content-security-policy'];
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    expect(csp).toContain(directive);
  }
  // a fresh nonce per response
  const again = (await request.get('/login')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);
});

test('a role change long after signing in asks for the password again, then goes through', async ({ page }) => {
  const email = `step.up.${Date.now()}@demo.test`;
  sql(`INSERT INTO users (email, display_name, role, password_hash)
       SELECT '${email}', 'Jo Step', 'clinician', password_hash FROM users WHERE email = 'clinician@demo.test'`);
  await signIn(page, 'admin@demo.test');
  // the admin's sessions last proved who they are ten minutes ago
  sql(`UPDATE sessions SET proved_at = now() - interval '10 minutes'
        WHERE user_id = (SELECT id FROM users WHERE email = 'admin@demo.test')`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  const row = page.locator(`tr[data-email="${email}"]`);
  await row.getByRole('combobox').selectOption('supervisor');
  await expect(page.getByText(/For this, confirm it is you/)).toBeVisible();
  await page.getByRole('link', { name: 'Confirm it is you' }).click();
  await expect(page).toHaveURL(/\/confirm\?next=\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Confirm it is you', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Password', { exact: true }).fill('demo-password-123');
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/\/admin\/users$/);
  await hydrated(page);
  // The server's answer to the change itself, so a refusal fails here with its reason. The table
  // is a streamed resource that can finish hydrating just after the page reports it has: a change
  // made in that moment reaches no handler, so it is made again until one answers.
  await expect(async () => {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/change_role'), { timeout: 2_000 });
    await page.locator(`tr[data-email="${email}"]`).getByRole('combobox').selectOption('supervisor');
    const answer = await answered;
    expect(answer.status(), await answer.text()).toBe(200);
  }).toPass({ timeout: 15_000 });
  await expect(page.locator(`tr[data-email="${email}"]`).getByRole('combobox')).toHaveValue('supervisor');
  await expect(page.getByText(/For this, confirm it is you/)).toHaveCount(0);
  await expect.poll(() => sql(`SELECT role FROM users WHERE email = '${email}'`)).toBe('supervisor');
});
