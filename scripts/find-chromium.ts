/**
 * Finds a Chromium for Playwright: an explicit path first, then the system's, then Playwright's own.
 * Returns undefined with instructions when there is none, so callers can say how to get one.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ENV = 'SIFT_CHROMIUM';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface ChromiumChoice {
  path: string;
  source: 'env' | 'system' | 'playwright';
}

export function findChromium(): ChromiumChoice | undefined {
  const fromEnv = process.env[CHROMIUM_ENV];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${CHROMIUM_ENV}=${fromEnv} does not exist.`);
    return { path: fromEnv, source: 'env' };
  }
  const system = SYSTEM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (system) return { path: system, source: 'system' };
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return { path: bundled, source: 'playwright' };
  } catch {
    // Playwright throws when its browsers were never installed; fall through to the instructions.
  }
  return undefined;
}

export const HOW_TO_GET_CHROMIUM = [
  'No Chromium found for the end-to-end tests. Any one of these fixes it:',
  `  - point ${CHROMIUM_ENV} at a Chromium or Chrome binary: ${CHROMIUM_ENV}=/path/to/chrome npm test`,
  '  - on Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium)',
  '  - or let Playwright download its own: npx playwright install chromium',
].join('\n');

/**
 * Flags for every test launch. The WebGPU ones give a software adapter (SwiftShader) on machines
 * without a GPU; the rest keep a headless Chromium from calling Google's services on start-up.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];
