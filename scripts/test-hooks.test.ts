import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_HOOKS, checkBuilds, findTestHooks } from './test-hooks.ts';

const made: string[] = [];
function build(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sift-build-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('test hooks stay out of the production build', () => {
  const e2eBuild = () =>
    build({
      'index.html': '<script src="./assets/index-1.js"></script>',
      'assets/index-1.js': 'if(globalThis.__SIFT_TEST_ENGINE__)import("./chunk-2.js")',
      'assets/test-engine-2.js': 'const e={id:"test:scripted"}',
      'assets/scripted-bench-engines-3.js': 'const ids=["scripted-oracle","scripted-wrong"]',
    });

  it('finds a hook by its global, its string or its chunk name', () => {
    expect(findTestHooks(e2eBuild())).toEqual([
      { hook: '__SIFT_TEST_ENGINE__', file: 'assets/index-1.js' },
      { hook: 'scripted-oracle', file: 'assets/scripted-bench-engines-3.js' },
      { hook: 'scripted-bench-engines', file: 'assets/scripted-bench-engines-3.js' },
      { hook: 'test:scripted', file: 'assets/test-engine-2.js' },
      { hook: 'test-engine', file: 'assets/test-engine-2.js' },
    ]);
  });

  it('passes a clean production build, and names the file of a leaked hook', () => {
    const e2e = e2eBuild();
    const clean = build({ 'assets/index-1.js': 'console.log("sift")', 'icon.png': '__SIFT_TEST_ENGINE__' });
    expect(checkBuilds(clean, e2e)).toEqual([]);
    const leaky = build({ 'assets/index-1.js': 'globalThis.__SIFT_TEST_ENGINE__' });
    expect(checkBuilds(leaky, e2e)).toEqual([
      'the production build carries the test hook "__SIFT_TEST_ENGINE__" in assets/index-1.js',
    ]);
  });

  it('fails when the e2e build lacks a hook, so a renamed hook cannot make the check pass by itself', () => {
    const clean = build({ 'assets/index-1.js': '' });
    expect(checkBuilds(clean, clean)).toHaveLength(TEST_HOOKS.length);
  });
});
