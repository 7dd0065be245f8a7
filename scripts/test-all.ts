/**
 * `npm test`: every check a change must pass, in the order that fails fastest, ending with one
 * line `N passed, N failed[, N skipped]`. Each static check (format, lint, each type-check realm)
 * counts as one test; unit and end-to-end tests count one per test case.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { couldNotObtainChromium, obtainChromium } from './find-chromium.ts';
import { E2E_DIST } from './test-hooks.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const reportDir = join('test-results', 'reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(name: string, command: string, args: string[]): void {
  if (run(command, args)) total.passed += 1;
  else {
    total.failed += 1;
    failures.push(name);
  }
}

function addReport(name: string, file: string, ok: boolean, read: (json: unknown) => Tally): void {
  if (!existsSync(file)) {
    total.failed += 1;
    failures.push(`${name} (no report: the runner did not start)`);
    return;
  }
  const tally = read(JSON.parse(readFileSync(file, 'utf8')));
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
  if (tally.failed > 0 || !ok) failures.push(name);
  if (!ok && tally.failed === 0) total.failed += 1; // the runner failed outside any test (e.g. a crash)
}

check('format (prettier)', 'npx', ['prettier', '--check', '.']);
check('lint (eslint, warnings fail)', 'npx', ['eslint', '--max-warnings', '0', '.']);
for (const realm of ['core', 'storage', 'workers', 'node']) {
  check(`types: ${realm} (tsc)`, 'npx', ['tsc', '-p', `tsconfig.${realm}.json`]);
}
check('types: ui (svelte-check)', 'npx', ['svelte-check', '--fail-on-warnings', '--tsconfig', './tsconfig.ui.json']);

const unitReport = join(reportDir, 'unit.json');
const unitOk = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitReport}`,
]);
addReport('unit tests (vitest)', unitReport, unitOk, (json) => {
  const report = json as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
});

// The production build: what users get. It must build, and carry no test hook.
const built = run('npx', ['vite', 'build']);
if (!built) {
  total.failed += 1;
  failures.push('production build (vite build)');
}

const { choice: chromium, attempts } = obtainChromium();
if (!chromium) {
  console.error(`\n${couldNotObtainChromium(attempts)}`);
  total.failed += 1;
  failures.push('end-to-end tests (no Chromium)');
} else {
  // Playwright builds the e2e build itself (`vite build --mode e2e`, see playwright.config.ts) and serves it.
  console.log(`Chromium for end-to-end tests: ${chromium.path} (${chromium.source})`);
  const e2eReport = join(reportDir, 'e2e.json');
  const e2eOk = run('npx', ['playwright', 'test'], { SIFT_E2E_REPORT: e2eReport });
  addReport('end-to-end tests (playwright)', e2eReport, e2eOk, (json) => {
    const { stats } = json as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
  });
}

if (built) {
  // The hook names must be in the e2e build (else the check proves nothing) and nowhere in the production one.
  // Playwright has just made the e2e build; without Chromium it did not run, and a build left from before may be stale.
  const e2eBuilt = chromium !== null && existsSync(join(process.env.SIFT_E2E_DIST ?? E2E_DIST, 'index.html'));
  if (e2eBuilt || run('npx', ['vite', 'build', '--mode', 'e2e', '--logLevel', 'warn'])) {
    check('no test hooks in the production build', 'npx', ['tsx', 'scripts/test-hooks.ts']);
  } else {
    total.failed += 1;
    failures.push('e2e build (vite build --mode e2e)');
  }
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
