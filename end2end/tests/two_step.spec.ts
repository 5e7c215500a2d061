import { test, expect, Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { DEMO_PASSWORD, hydrated, signIn, signOut, sql } from './helpers';

// An independent TOTP (RFC 4648 base32, RFC 4226 / 6238), so the test types what a phone would.
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/\s/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(out);
}

function totp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', secret).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return binary.toString().padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 1000 / 30);

async function passwordStep(page: Page, email: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
}

test('a clinician turns on two-step sign-in from a QR code, then signs in with a code', async ({ page }) => {
  const email = `two.step.${Date.now()}@demo.test`;
  // a fresh account with the demo password (its hash copied), so no demo login changes
  sql(`INSERT INTO users (email, display_name, role, password_hash)
       SELECT '${email}', 'Sam Okafor', 'clinician', password_hash FROM users WHERE email = 'clinician@demo.test'`);

  await signIn(page, email);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code of the new authenticator account' }).locator('svg')).toBeVisible();
  const secret = base32Decode((await page.locator('code.secret-key').getAttribute('data-secret')) ?? '');
  expect(secret.length).toBe(20);

  // Enter submits as a person would; a click would also blur the field, whose check then moves
  // the button from under the pointer
  await page.getByLabel('Code from the app').fill('12');
  await page.getByLabel('Code from the app').press('Enter');
  await expect(page.getByText('An authenticator code has 6 digits; this has 2.')).toBeVisible();
  const enrolStep = currentStep();
  await page.getByLabel('Code from the app').fill(totp(secret, enrolStep));
  await page.getByLabel('Code from the app').press('Enter');
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  const recoveryCode = ((await page.locator('.recovery-codes li').first().textContent()) ?? '').trim();
  expect(recoveryCode).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await expect(page.getByText(/since .* · 10 recovery codes left/)).toBeVisible();
  await signOut(page);

  // the password alone is not enough; a wrong code is refused next to the field
  await passwordStep(page, email);
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByLabel('Authentication code').press('Enter');
  await expect(page.getByText(/That code is not right/)).toBeVisible();
  await page.getByLabel('Authentication code').fill(totp(secret, enrolStep + 1));
  await page.getByLabel('Authentication code').press('Enter');
  await expect(page.getByRole('heading', { name: /Welcome, Sam/ })).toBeVisible();
  await hydrated(page);
  await signOut(page);

  // a recovery code works once, and without JavaScript too (the plain form post)
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto('/login');
  await plain.getByLabel('Email').fill(email);
  await plain.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await plain.getByRole('button', { name: 'Sign in' }).click();
  await expect(plain).toHaveURL(/\/login\?step=code$/);
  await plain.getByLabel('Authentication code').fill('999999');
  await plain.getByRole('button', { name: 'Verify' }).click();
  await expect(plain).toHaveURL(/step=code&error=code$/);
  await expect(plain.getByText(/That code is not right/)).toBeVisible();
  await plain.getByLabel('Authentication code').fill(recoveryCode);
  await plain.getByRole('button', { name: 'Verify' }).click();
  await expect(plain.getByRole('heading', { name: /Welcome, Sam/ })).toBeVisible();
  const used = sql(`SELECT count(*) FROM mfa_recovery_codes r JOIN user_mfa m ON m.id = r.user_mfa_id
                    JOIN users u ON u.id = m.user_id WHERE u.email = '${email}' AND r.used_at IS NOT NULL`);
  expect(used).toBe('1');
  await context.close();
});
