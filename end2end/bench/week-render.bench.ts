// Time to render the week view in the browser (release build, real Chromium), printed as figures:
// a full load of the calendar page (server render, WASM and its week chunk, hydration, the grid), and
// moving to the next week inside the app (server function, redraw). Run by scripts/bench-week-render.sh.
import { test, expect, Page } from '@playwright/test';
import { signIn } from '../tests/helpers';

const RUNS = 20;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
  return `median ${at(50).toFixed(0)} ms, p95 ${at(95).toFixed(0)} ms (${s.length} runs)`;
}

async function weekShown(page: Page, label?: string | null) {
  const week = page.getByRole('region', { name: /^Week of / });
  if (label) await expect(week).not.toHaveAttribute('aria-label', label);
  await expect(week.getByRole('listitem').first()).toBeVisible();
  return week.getAttribute('aria-label');
}

test('week view render time', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, 'frontdesk@demo.test');
  await page.goto('/calendar');
  await page.getByLabel('Clinician', { exact: true }).selectOption({ label: 'Casey Morgan, LCSW' });
  await weekShown(page);
  const url = page.url();

  const loads: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = Date.now();
    await page.goto(url);
    await weekShown(page);
    await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
    loads.push(Date.now() - started);
  }
  const moves: number[] = [];
  let label = await weekShown(page);
  for (let i = 0; i < RUNS; i++) {
    const started = Date.now();
    await page.getByRole('button', { name: i % 2 ? 'Previous week' : 'Next week' }).click();
    label = await weekShown(page, label);
    moves.push(Date.now() - started);
  }
  console.log(`week view, full page load to hydrated grid: ${stats(loads)}`);
  console.log(`week view, next/previous week inside the app: ${stats(moves)}`);
});
