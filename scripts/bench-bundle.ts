/**
 * `npm run bench:bundle`: builds for production and measures what the first screen costs.
 * "Initial" is the JavaScript index.html loads before anything else: its module entry and every
 * chunk it preloads. Workers and lazily imported chunks (WebLLM above all) are not initial.
 * Last line: {"initial_js_gzip_kb": N, "total_js_gzip_kb": N, "largest_chunk": "...", "test_hooks": N}
 * (`test_hooks`: test-only hooks found in the production bundle; anything but 0 is a bug).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findTestHooks } from './test-hooks.ts';

const dist = process.env.SIFT_DIST ?? 'dist';
if (!process.argv.includes('--no-build')) {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

const gzipKb = (file: string) => gzipSync(readFileSync(file), { level: 9 }).byteLength / 1024;
const round = (kb: number) => Math.round(kb * 10) / 10;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set<string>();
for (const match of html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)) {
  initial.add(join(dist, match[1]!.replace(/^\.\//, '')));
}
// Static imports of the entry are loaded before first paint too, preloaded or not.
const queue = [...initial];
while (queue.length > 0) {
  const file = queue.pop()!;
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/\bimport\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
    const dependency = join(file, '..', match[1]!);
    if (!initial.has(dependency)) {
      initial.add(dependency);
      queue.push(dependency);
    }
  }
}

const allJs = walk(dist).filter((file) => file.endsWith('.js'));
const sizes = allJs.map((file) => ({ file: relative(dist, file), kb: gzipKb(file) })).sort((a, b) => b.kb - a.kb);
for (const { file, kb } of sizes) {
  const rawKb = statSync(join(dist, file)).size / 1024;
  console.log(
    `${initial.has(join(dist, file)) ? 'initial' : 'lazy   '}  ${round(kb).toString().padStart(8)} kB gzip  ${round(rawKb).toString().padStart(8)} kB  ${file}`,
  );
}
const initialKb = [...initial].reduce((sum, file) => sum + gzipKb(file), 0);
const totalKb = sizes.reduce((sum, { kb }) => sum + kb, 0);
const hooks = findTestHooks(dist);
for (const { hook, file } of hooks) console.log(`test hook in the production bundle: ${hook} (${file})`);
console.log(
  JSON.stringify({
    initial_js_gzip_kb: round(initialKb),
    total_js_gzip_kb: round(totalKb),
    largest_chunk: sizes[0]?.file ?? '',
    test_hooks: hooks.length,
  }),
);
