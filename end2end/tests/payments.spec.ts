import { test, expect } from '@playwright/test';
import { hydrated, signIn, signOut, sql } from './helpers';
import { readFileSync } from 'node:fs';

type Line = { claim: string; client: string; code: string; day: string; cents: number; control: string };

// Two submitted claims of one payer, line by line, as the database holds them.
function submittedLines(): Line[] {
  const rows = sql(`
    WITH payable AS (
      -- each line is paid its charge less $15 below: claims whose every line charges over $20
      SELECT c.id, c.payer_id, c.claim_number FROM claims c
       WHERE c.status = 'submitted'
         AND NOT EXISTS (SELECT 1 FROM claim_lines l JOIN charges ch ON ch.id = l.charge_id
                          WHERE l.claim_id = c.id AND ch.amount_cents < 2000)),
    two AS (
      SELECT id FROM payable
       WHERE payer_id = (SELECT payer_id FROM payable GROUP BY payer_id ORDER BY count(*) DESC LIMIT 1)
       ORDER BY claim_number LIMIT 2)
    SELECT c.claim_number, c.client_id, ch.service_code, to_char(ch.service_date, 'YYYYMMDD'), ch.amount_cents,
           replace(ch.id::text, '-', '')
      FROM two JOIN claims c ON c.id = two.id JOIN claim_lines l ON l.claim_id = c.id JOIN charges ch ON ch.id = l.charge_id
     ORDER BY c.claim_number, l.line_number`);
  return rows.split('\n').map((r) => {
    const [claim, client, code, day, cents, control] = r.split('|');
    return { claim, client, code, day, cents: Number(cents), control };
  });
}

const amount = (cents: number) => (cents / 100).toFixed(2);

// An 835 written here, apart from the server's own writer: the first claim paid less a $10
// contractual adjustment and a $5 copay per line, the second denied as not medically necessary.
function remittance(lines: Line[], trace: string): { text: string; copays: number } {
  const claims = [...new Set(lines.map((l) => l.claim))];
  const body: string[] = [];
  let paidTotal = 0;
  let copays = 0;
  claims.forEach((claim, i) => {
    const own = lines.filter((l) => l.claim === claim);
    const charged = own.reduce((s, l) => s + l.cents, 0);
    const denied = i === 1;
    const paid = denied ? 0 : own.reduce((s, l) => s + l.cents - 1500, 0);
    const share = denied ? 0 : 500 * own.length;
    paidTotal += paid;
    copays += share;
    body.push(`CLP*${claim}*${denied ? 4 : 1}*${amount(charged)}*${amount(paid)}*${amount(share)}*12*E2E${claim}*11*1`);
    body.push('NM1*QC*1*PATIENT*DEMO');
    for (const l of own) {
      body.push(`SVC*HC:${l.code}*${amount(l.cents)}*${amount(denied ? 0 : l.cents - 1500)}**1`);
      body.push(`DTM*472*${l.day}`);
      if (denied) {
        body.push(`CAS*CO*50*${amount(l.cents)}`);
      } else {
        body.push('CAS*CO*45*10');
        body.push('CAS*PR*3*5');
      }
      body.push(`REF*6R*${l.control}`);
    }
  });
  const payer = sql(`SELECT p.payer_code || '|' || p.name FROM claims c JOIN payers p ON p.id = c.payer_id WHERE c.claim_number = '${claims[0]}'`).split('|');
  const set = [
    'ST*835*0001*005010X221A1',
    `BPR*I*${amount(paidTotal)}*C*CHK************20261215`,
    `TRN*1*${trace}*1999999999`,
    `N1*PR*${payer[1].toUpperCase()}*XV*${payer[0]}`,
    'N1*PE*DEMO PRACTICE*XX*1245319599',
    'LX*1',
    ...body,
  ];
  set.push(`SE*${set.length + 1}*0001`);
  const isa = `ISA*00*          *00*          *ZZ*${'1999999999'.padEnd(15)}*ZZ*${'1245319599'.padEnd(15)}*261215*0900*^*00501*000000777*0*P*:`;
  const text = [isa, 'GS*HP*1999999999*1245319599*20261215*0900*777*X*005010X221A1', ...set, 'GE*1*777', 'IEA*1*000000777']
    .map((s) => `${s}~`)
    .join('\n');
  return { text, copays };
}

// What a client owes after their credit, in cents, summed from the ledger by SQL.
const clientBalance = (client: string) =>
  Number(sql(`SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE client_id = '${client}' AND party = 'client'`));

const shown = (cents: number) => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

test('a biller imports an 835: one claim paid, one denied with its reason, and the balance follows', async ({ page }) => {
  const lines = submittedLines();
  const [paidClaim, deniedClaim] = [...new Set(lines.map((l) => l.claim))];
  expect(deniedClaim, 'two submitted claims of one payer').toBeTruthy();
  const client = lines[0].client;
  const before = clientBalance(client);
  const { text, copays } = remittance(lines, `E2E${Date.now()}`);

  await signIn(page, 'biller@demo.test');
  await page.goto('/billing/payments');
  await hydrated(page);
  // a file that is not an 835 is refused next to the field, and nothing is posted
  await page.getByLabel('835 file').setInputFiles({ name: 'bad.835', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.getByRole('button', { name: 'Import and post' }).click();
  await expect(page.locator('#era-file-error')).toContainText('does not start with an ISA segment');

  await page.getByLabel('835 file').setInputFiles({ name: 'remit.835', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Import and post' }).click();
  await expect(page.getByText('The remittance is imported and posted.')).toBeVisible();
  const paid = page.locator(`section[data-claim="${paidClaim}"]`);
  const denied = page.locator(`section[data-claim="${deniedClaim}"]`);
  await expect(paid.locator('.badge')).toHaveText('Processed as primary');
  await expect(denied.locator('.badge')).toHaveText('Denied');
  await expect(denied.getByText('CO-50: Not deemed medically necessary').first()).toBeVisible();
  expect(sql(`SELECT status FROM claims WHERE claim_number = '${paidClaim}'`)).toBe('paid');
  expect(sql(`SELECT status FROM claims WHERE claim_number = '${deniedClaim}'`)).toBe('denied');

  // the same file again posts nothing and says so
  await page.goto('/billing/payments');
  await hydrated(page);
  await page.getByLabel('835 file').setInputFiles({ name: 'remit.835', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Import and post' }).click();
  await expect(page.getByText('This remittance was imported before: nothing was posted again.')).toBeVisible();

  // the client now owes the copays the payer moved to them
  expect(clientBalance(client)).toBe(before + copays);
  await paid.getByRole('link', { name: "The client's ledger" }).click();
  await expect(page.getByTestId('client-balance')).toHaveText(shown(before + copays));
  await expect(page.getByText('PR-3: Copay').first()).toBeVisible();
});

test('the front desk collects a copay at check-in and prints the receipt', async ({ page }) => {
  // a client with a copay on their policy and no session today gets one at 5 AM (the practice's
  // day: the demo books weekdays only, and today may be a weekend)
  const [appointment, client] = sql(`
    WITH p AS (SELECT time_zone, (now() AT TIME ZONE time_zone)::date AS today FROM practice),
         c AS (SELECT c.id, c.primary_clinician_id FROM clients c
                 JOIN insurance_policies ip ON ip.client_id = c.id AND ip.active AND ip.priority = 'primary'
                      AND ip.copay_cents > 0, p
                WHERE NOT c.self_pay AND c.status = 'active' AND c.primary_clinician_id IS NOT NULL
                  AND ip.coverage_start <= p.today AND (ip.coverage_end IS NULL OR ip.coverage_end >= p.today)
                  AND NOT EXISTS (SELECT 1 FROM appointments a2 JOIN appointment_clients ac2 ON ac2.appointment_id = a2.id
                                   WHERE ac2.client_id = c.id AND (a2.starts_at AT TIME ZONE p.time_zone)::date = p.today)
                ORDER BY c.chart_number LIMIT 1),
         a AS (INSERT INTO appointments (appointment_type_id, clinician_id, location_id, starts_at, ends_at, status)
               SELECT t.id, c.primary_clinician_id, l.id, (p.today + time '05:00') AT TIME ZONE p.time_zone,
                      (p.today + time '05:53') AT TIME ZONE p.time_zone, 'checked_in'
                 FROM appointment_types t, locations l, c, p
                WHERE t.name = 'Individual therapy' AND l.name = 'Lincoln Park'
               RETURNING id),
         ac AS (INSERT INTO appointment_clients (appointment_id, client_id) SELECT a.id, c.id FROM a, c
                RETURNING appointment_id, client_id)
    SELECT appointment_id || '|' || client_id FROM ac`).split('|');
  expect(appointment).toBeTruthy();
  const before = clientBalance(client);
  await signIn(page, 'frontdesk@demo.test');
  // the appointment panel's "Collect copay" link opens this page
  await page.goto(`/billing/clients/${client}?appointment=${appointment}`);
  await hydrated(page);
  const due = (await page.getByTestId('copay-due').textContent()) ?? '';
  expect(due).not.toBe('$0.00');
  await page.getByLabel('Method').selectOption('card');
  await page.getByLabel('Card reference').fill('4111 1111 1111 1111');
  await page.getByLabel('Amount').fill(due.replace('$', ''));
  await page.getByRole('button', { name: 'Record the payment' }).click();
  await expect(page.locator('#field-card_reference-error')).toContainText('Never record a card number');
  await page.getByLabel('Card reference').fill('****4242');
  await page.getByRole('button', { name: 'Record the payment' }).click();
  await expect(page.getByText(/Payment recorded \(receipt \d+\)/)).toBeVisible();
  await expect(page.getByTestId('copay-due')).toHaveText('$0.00');
  const dueCents = Math.round(Number(due.replace(/[$,]/g, '')) * 100);
  expect(clientBalance(client)).toBe(before - dueCents);
  const [receipt] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Print the receipt' }).click(),
  ]);
  expect(receipt.suggestedFilename()).toMatch(/^receipt-\d+\.pdf$/);
  expect(readFileSync((await receipt.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  // billers' tools are not the front desk's
  await expect(page.getByText('Write off or bill the client')).toHaveCount(0);
  await signOut(page);
});
