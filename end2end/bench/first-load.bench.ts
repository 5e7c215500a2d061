// Bytes on the wire for a first visit (release build, real Chromium), printed as figures: the
// sign-in page, signing in and the home page, each other page's first visit after that, and a
// repeat visit (which must fetch no asset again). Counted from the DevTools protocol: every
// response's encoded (compressed) length including headers. Run by scripts/bench-first-load.sh.
import { test, expect, Page, CDPSession } from '@playwright/test';
import { DEMO_PASSWORD, hydrated } from '../tests/helpers';

const SIGN_IN_AND_HOME_GOAL = 150 * 1000;
const OTHER_PAGE_GOAL = 120 * 1000;

type Fetched = { url: string; bytes: number; cached: boolean; status: number };

// Everything one page fetched between `start()` and `stop()`.
class Wire {
  private urls = new Map<string, string>();
  private cached = new Set<string>();
  private statuses = new Map<string, number>();
  fetched: Fetched[] = [];

  static async on(page: Page): Promise<Wire> {
    const wire = new Wire();
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) => wire.urls.set(e.requestId, e.request.url));
    cdp.on('Network.requestServedFromCache', (e) => wire.cached.add(e.requestId));
    cdp.on('Network.responseReceived', (e) => {
      wire.statuses.set(e.requestId, e.response.status);
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) wire.cached.add(e.requestId);
    });
    cdp.on('Network.loadingFinished', (e) => {
      const url = wire.urls.get(e.requestId) ?? '?';
      const status = wire.statuses.get(e.requestId) ?? 0;
      wire.fetched.push({ url, bytes: e.encodedDataLength, cached: wire.cached.has(e.requestId), status });
    });
    return wire;
  }

  take(): Fetched[] {
    const got = this.fetched;
    this.fetched = [];
    return got;
  }
}

function kind(url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.startsWith('/api/')) return 'api';
  if (path.startsWith('/pkg/') || path.endsWith('.svg')) return 'other asset';
  return 'html';
}

function total(fetched: Fetched[]): number {
  return fetched.reduce((sum, f) => sum + f.bytes, 0);
}

function report(step: string, all: Fetched[]): number {
  // what came from the browser's cache cost nothing on the wire
  const fetched = all.filter((f) => !f.cached && f.bytes > 0);
  const bytes = total(fetched);
  const byKind = new Map<string, [number, number]>();
  for (const f of fetched) {
    const [n, b] = byKind.get(kind(f.url)) ?? [0, 0];
    byKind.set(kind(f.url), [n + 1, b + f.bytes]);
  }
  const parts = [...byKind].map(([k, [n, b]]) => `${k} ${n}× ${(b / 1000).toFixed(1)} kB`).join(', ');
  console.log(`${step}: ${(bytes / 1000).toFixed(1)} kB in ${fetched.length} responses (${parts}; ${all.length - fetched.length} from the cache)`);
  return bytes;
}

// A full load is done once the WASM has hydrated the page and the network is quiet (lazy chunks).
async function settled(page: Page) {
  await hydrated(page);
  await page.waitForLoadState('networkidle');
}

test('first-load bytes on the wire', async ({ page }) => {
  test.setTimeout(300_000);
  const wire = await Wire.on(page);

  await page.goto('/login');
  await settled(page);
  const signInPage = report('sign-in page', wire.take());

  await page.getByLabel('Email').fill('admin@demo.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await settled(page);
  const signingIn = report('signing in and the home page', wire.take());
  const firstLoad = signInPage + signingIn;
  console.log(`sign-in page + signing in + home: ${(firstLoad / 1000).toFixed(1)} kB (goal ≤ ${SIGN_IN_AND_HOME_GOAL / 1000} kB)`);

  await page.goto('/clients');
  await settled(page);
  const clients = report('first visit: /clients', wire.take());
  const chart = await page.locator('main a[href^="/clients/"]:not([href="/clients/new"])').first().getAttribute('href');
  const pages = ['/calendar', chart ?? '/clients', '/waitlist', '/staff', '/account', '/admin/users',
    '/admin/audit', '/admin/settings', '/billing', '/billing/claims', '/billing/payments', '/billing/receivables'];
  let largest = clients;
  for (const path of pages) {
    await page.goto(path);
    await settled(page);
    largest = Math.max(largest, report(`first visit: ${path}`, wire.take()));
  }
  console.log(`largest first visit of another page: ${(largest / 1000).toFixed(1)} kB (goal ≤ ${OTHER_PAGE_GOAL / 1000} kB)`);

  // a repeat visit in the same browser: every asset comes from the cache, none over the wire
  const again = await page.context().newPage();
  const wireAgain = await Wire.on(again);
  for (const path of ['/', '/calendar', '/clients']) {
    await again.goto(path);
    await settled(again);
  }
  const repeat = wireAgain.take();
  report('repeat visit of /, /calendar, /clients', repeat);
  // an entry file (main JS and WASM) is asked again and answered 304 Not Modified: headers only
  // (Chromium may report the cached copy's status, so a response under 1 kB counts as one)
  const fromPkg = repeat.filter((f) => new URL(f.url).pathname.startsWith('/pkg/') && !f.cached && f.bytes > 0);
  const isRevalidation = (f: Fetched) => f.status === 304 || f.bytes < 1000;
  const assetsAgain = fromPkg.filter((f) => !isRevalidation(f));
  const revalidated = fromPkg.filter(isRevalidation);
  console.log(`repeat visit: ${assetsAgain.length} assets fetched again${assetsAgain.map((f) => ` ${new URL(f.url).pathname}`).join('')}; ${revalidated.length} checked and not modified (${(total(revalidated) / 1000).toFixed(1)} kB of headers)`);
});
