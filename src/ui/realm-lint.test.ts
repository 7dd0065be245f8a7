import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The page talks to workers through their owners in src/ui/workers/ and may know their types,
 * never load their code: these run the project's real config on snippets placed where UI code
 * lives, and fail if the rule stops firing (or starts firing on what is allowed).
 */
const eslint = new ESLint({ cwd: process.cwd() });
const RULE = 'sift/ui-imports-workers-as-types';

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('UI code imports from workers/ only as types', () => {
  it.each([
    [
      'a value import',
      "import { crmApi } from '../../../workers/crm-api.ts';\nexport const api = crmApi;",
      'src/ui/crm/x.ts',
    ],
    [
      'a mixed import',
      "import { crmApi, type ImportMode } from '../../../workers/crm-api.ts';\nexport const m: ImportMode = 'merge';\nexport const api = crmApi;",
      'src/ui/crm/x.ts',
    ],
    ['a side-effect import', "import '../../workers/tools.worker.ts';", 'src/ui/x.ts'],
    ['a re-export', "export { crmApi } from '../../../workers/crm-api.ts';", 'src/ui/crm/x.ts'],
    ['a dynamic import', "export const load = () => import('../../../workers/llm.worker.ts');", 'src/ui/model/x.ts'],
    [
      'an import in the page entry',
      "import { crmApi } from '../workers/crm-api.ts';\nexport const api = crmApi;",
      'src/main.ts',
    ],
  ])('fires on %s', async (_name, code, filePath) => {
    expect(await ruleIdsFor(code, filePath)).toContain(RULE);
  });

  it('fires in a component’s script', async () => {
    const component =
      '<script lang="ts">\n  import { crmApi } from \'../../../workers/crm-api.ts\';\n  const api = crmApi;\n</script>\n\n<p>{String(api)}</p>\n';
    expect(await ruleIdsFor(component, 'src/ui/crm/X.svelte')).toContain(RULE);
  });

  it('stays quiet for types, and for the worker owners in src/ui/workers/', async () => {
    const quiet = [
      [
        "import type { ToolsApi } from '../../../workers/tools.worker.ts';\nexport type T = ToolsApi;",
        'src/ui/workers/x.ts',
      ],
      [
        "import { type ImportMode } from '../../../workers/crm-api.ts';\nexport const m: ImportMode = 'merge';",
        'src/ui/crm/x.ts',
      ],
      ["export type { ImportMode } from '../../../workers/crm-api.ts';", 'src/ui/crm/x.ts'],
      ["import { toolsWorker } from '../workers/instances.ts';\nexport const w = toolsWorker;", 'src/ui/crm/x.ts'],
    ];
    for (const [code, filePath] of quiet) expect(await ruleIdsFor(code!, filePath!), code).not.toContain(RULE);
  });
});
