import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Browser timings (scripts/bench-week-render.sh): same browser and server as the tests, no traces.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /.*\.bench\.ts/,
  use: { ...base.use, trace: 'off' },
});
