/**
 * Test hooks belong to the end-to-end tests' build only (`vite build --mode e2e`), never to what
 * users get. This reads a build folder for them: the names below are the ones minification keeps
 * (globals, property keys, string literals, chunk names).
 *
 *   npx tsx scripts/test-hooks.ts            checks dist/ has none and the e2e build has every one
 *   npx tsx scripts/test-hooks.ts <dir>      lists the hooks found in <dir>
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the end-to-end tests' build goes (ignored by git, lint and formatting, like `dist/`). */
export const E2E_DIST = '.e2e-root/dist';

export const TEST_HOOKS = [
  // The global an e2e test sets with page.addInitScript to script the model (src/ui/engine/test-engine.ts).
  '__SIFT_TEST_ENGINE__',
  // The scripted test engine's id, as traces show it.
  'test:scripted',
  // The chunk the test engine would be split into.
  'test-engine',
  // The benchmark's scripted engines (src/core/bench/scripted-bench-engines.ts): their ids and their chunk.
  'scripted-oracle',
  'scripted-bench-engines',
] as const;

export interface FoundHook {
  hook: string;
  file: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every test hook named in the build's file names or in its JavaScript and HTML. */
export function findTestHooks(dir: string): FoundHook[] {
  const found: FoundHook[] = [];
  for (const path of walk(dir)) {
    const file = relative(dir, path);
    const text = /\.(?:m?js|html)$/.test(path) ? readFileSync(path, 'utf8') : '';
    for (const hook of TEST_HOOKS) if (file.includes(hook) || text.includes(hook)) found.push({ hook, file });
  }
  return found;
}

/** Problems in words: a hook in the production build, or one the e2e build lacks (the list went stale). */
export function checkBuilds(productionDir: string, e2eDir: string): string[] {
  const problems = findTestHooks(productionDir).map(
    ({ hook, file }) => `the production build carries the test hook "${hook}" in ${file}`,
  );
  const inE2e = new Set(findTestHooks(e2eDir).map(({ hook }) => hook));
  for (const hook of TEST_HOOKS) {
    if (!inE2e.has(hook)) problems.push(`the e2e build lacks "${hook}": update TEST_HOOKS in scripts/test-hooks.ts`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (dir) {
    for (const { hook, file } of findTestHooks(dir)) console.log(`${hook}\t${file}`);
  } else {
    const problems = checkBuilds(process.env.SIFT_DIST ?? 'dist', process.env.SIFT_E2E_DIST ?? E2E_DIST);
    for (const problem of problems) console.error(problem);
    console.log(problems.length ? 'test hooks: FAILED' : 'test hooks: none in the production build');
    process.exit(problems.length ? 1 : 0);
  }
}
