/**
 * Finds a Chromium for Playwright: an explicit path first, then the system's, then Playwright's own.
 * `obtainChromium` goes further for `npm test`: when none is found it fetches one, so a fresh
 * machine needs no set-up beyond `npm ci && npm test`.
 */
import { spawnSync } from 'node:child_process';
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

export interface ObtainAttempt {
  how: string;
  ok: boolean;
}

function attempt(how: string, command: string, args: string[]): ObtainAttempt {
  console.log(`\nNo Chromium found: trying ${how} ($ ${command} ${args.join(' ')})`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    // A closed network fails in seconds; a slow one still gets ten minutes for a ~170 MB browser.
    timeout: 600_000,
  });
  return { how, ok: result.status === 0 };
}

function runsAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds a Chromium, or fetches one: Playwright's own download first (it works wherever the
 * Playwright CDN is reachable, without root), then Debian's `chromium` through apt where the tests
 * run as root (containers and CI, whose network may reach only the package mirrors). Returns the
 * attempts made, so the caller can say exactly what failed and what to run instead.
 */
export function obtainChromium(): { choice: ChromiumChoice | undefined; attempts: ObtainAttempt[] } {
  const found = findChromium();
  if (found) return { choice: found, attempts: [] };
  const attempts: ObtainAttempt[] = [];
  attempts.push(attempt("Playwright's own Chromium", 'npx', ['playwright', 'install', 'chromium']));
  let choice = findChromium();
  if (!choice && runsAsRoot() && hasCommand('apt-get')) {
    const update = attempt("Debian's chromium package (apt index)", 'apt-get', ['update', '-qq']);
    attempts.push(update);
    if (update.ok) attempts.push(attempt("Debian's chromium package", 'apt-get', ['install', '-y', '-qq', 'chromium']));
    choice = findChromium();
  }
  return { choice, attempts };
}

/** One sentence saying what was tried and the exact command that would fix it here. */
export function couldNotObtainChromium(attempts: ObtainAttempt[]): string {
  const tried = attempts.map((a) => a.how).join(' and ');
  const fix =
    process.platform === 'linux' && hasCommand('apt-get')
      ? 'sudo apt-get install -y chromium'
      : 'npx playwright install chromium';
  return `No Chromium for the end-to-end tests, and ${tried || 'nothing'} could not provide one: run \`${fix}\` (or set ${CHROMIUM_ENV}=/path/to/chrome) and run npm test again.`;
}

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
