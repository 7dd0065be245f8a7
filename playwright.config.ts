import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './scripts/find-chromium.ts';
import { E2E_DIST } from './scripts/test-hooks.ts';

const chromium = findChromium();
if (!chromium) throw new Error(HOW_TO_GET_CHROMIUM);

const PORT = Number(process.env.SIFT_E2E_PORT ?? 4317);
/**
 * The tests run against the e2e build: the production app plus its test hooks (`vite build --mode
 * e2e`), built here before serving, so `npx playwright test` never runs against a stale build.
 * Parallel runs on one machine each set their own SIFT_E2E_DIST and SIFT_E2E_PORT.
 */
const DIST = process.env.SIFT_E2E_DIST ?? E2E_DIST;
/** Every end-to-end test uses the app from a sub-path, as a CDN would host it. */
export const SUB_PATH = '/tools/sift/';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: process.env.SIFT_E2E_DIST ? `${DIST}-test-results` : 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.SIFT_E2E_REPORT ? [['json', { outputFile: process.env.SIFT_E2E_REPORT }], ['list']] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}${SUB_PATH}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromium.path, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `npx vite build --mode e2e --logLevel warn && npx tsx scripts/serve.ts ${DIST} --port ${PORT} --prefix ${SUB_PATH}`,
    // The build comes first; on a busy machine it takes a while.
    timeout: 240_000,
    url: `http://localhost:${PORT}${SUB_PATH}`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
