/**
 * `npm run -s bench:model -- --engine <id> [--model-url URL|DIR] [--quick] [--headed] [--software-gpu]`
 *
 * Builds the app, serves it on 127.0.0.1, drives Settings → Benchmark in Chromium and prints the
 * result as one JSON line: {"engine", "items", "accuracy", "by_category", "valid_before_repair",
 * "ttft_ms_p50", "decode_tokens_per_s", ...}. The whole run (every item, its output and timings)
 * is written to .bench/model/<engine>.json.
 *
 * Engines:
 *   scripted-oracle, scripted-wrong   the benchmark's own check (always right → 1.0, plausibly wrong
 *                                     → 0.0); they exist only in the test build, so the app is built
 *                                     with `--mode e2e` for them and as for production otherwise
 *   webllm:<model id>                 an on-device model, with --model-url pointing at a folder laid out
 *                                     as `npm run models:mirror` writes it (a URL, or a local folder,
 *                                     which is then served beside the app); needs a GPU
 *   built-in                          Chrome's built-in model (set SIFT_CHROMIUM to Chrome 148+)
 *   current                           whatever the app picks by itself (a fallback needs Settings)
 *
 * The page is served cross-origin isolated (COOP/COEP), so the browser reports peak memory.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import sirv from 'sirv';
import { build } from 'vite';
import type { BenchRun } from '../src/core/bench/runner.ts';
import { benchLine } from '../src/core/bench/summary.ts';
import { BenchmarkPage } from '../tests/e2e/pages/benchmark.ts';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './find-chromium.ts';
import { findTestHooks } from './test-hooks.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    'model-url': { type: 'string' },
    quick: { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false },
    'software-gpu': { type: 'boolean', default: false },
  },
});
const engine = values.engine;
const usage =
  'usage: npm run -s bench:model -- --engine scripted-oracle|scripted-wrong|built-in|current|webllm:<model id> [--model-url URL|DIR] [--quick]';
if (!engine) fail(`--engine is required.\n${usage}`);
const scripted = engine === 'scripted-oracle' || engine === 'scripted-wrong';
const webllmModel = engine.startsWith('webllm:') ? engine.slice('webllm:'.length) : null;
if (!scripted && !webllmModel && engine !== 'built-in' && engine !== 'current')
  fail(`Unknown engine ${engine}.\n${usage}`);
if (webllmModel && !values['model-url']) {
  console.error('No --model-url: the model downloads from the public model hub (needs internet).');
}

const OUT = resolve('.bench/model');
const DIST = join(OUT, scripted ? 'dist-e2e' : 'dist');
const PREFIX = '/sift/';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const log = (line: string) => console.error(line);

async function buildApp(): Promise<void> {
  log(`Building the app (${scripted ? 'test build, --mode e2e' : 'production build'}) into ${DIST}…`);
  await build({ mode: scripted ? 'e2e' : 'production', logLevel: 'warn', build: { outDir: DIST, emptyOutDir: true } });
  if (!scripted) {
    // What the production build must not contain: any test hook, the scripted engines above all.
    const leaked = findTestHooks(DIST).map(({ hook, file }) => `${hook} in ${file}`);
    if (leaked.length) fail(`The production build contains test hooks (${leaked.join(', ')}).`);
  }
}

/** The app under PREFIX, and a local model folder (if given) under /models/, cross-origin isolated. */
function serve(modelDir: string | null): Promise<{ server: Server; origin: string }> {
  const app = sirv(DIST, { dev: false, single: false });
  const models = modelDir ? sirv(modelDir, { dev: false, single: false }) : null;
  const server = createServer((request, response) => {
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // credentialless, not require-corp: a model hub on another origin sends no CORP header.
    response.setHeader('Cross-Origin-Embedder-Policy', 'credentialless');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const url = request.url ?? '/';
    const notFound = () => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    };
    if (url.startsWith(PREFIX)) {
      request.url = url.slice(PREFIX.length - 1);
      app(request, response, notFound);
    } else if (models && url.startsWith('/models/')) {
      request.url = url.slice('/models'.length);
      models(request, response, notFound);
    } else notFound();
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** Points the model panel at the weights and loads the model; resolves when it is ready. */
async function loadOnDeviceModel(page: Page, modelId: string, baseUrl: string | null): Promise<void> {
  await page.getByTestId('tab-settings').click();
  const panel = page.getByTestId('model-panel');
  await panel.waitFor();
  if (baseUrl) {
    await panel.getByText('Self-hosted weights').click();
    await page.getByTestId('model-base-url').fill(baseUrl);
    await page.getByTestId('model-base-url-save').click();
    await page.getByTestId('model-base-url-current').waitFor();
  }
  await page.getByTestId('model-picker').selectOption(modelId);
  await page.getByTestId('model-load').click();
  log(`Loading ${modelId}…`);
  const settled = page.locator('[data-testid="model-ready"], [data-testid="model-error"]').first();
  await settled.waitFor({ timeout: 60 * 60_000 });
  if (await page.getByTestId('model-error').isVisible()) {
    fail(`The model did not load: ${await page.getByTestId('model-error').innerText()}`);
  }
}

async function main(): Promise<void> {
  const chromiumChoice = findChromium();
  if (!chromiumChoice) fail(HOW_TO_GET_CHROMIUM);
  mkdirSync(OUT, { recursive: true });
  await buildApp();

  const modelUrl = values['model-url'] ?? null;
  const modelDir = modelUrl && existsSync(modelUrl) && statSync(modelUrl).isDirectory() ? resolve(modelUrl) : null;
  const { server, origin } = await serve(modelDir);
  const baseUrl = modelDir ? `${origin}/models/` : modelUrl;

  // A real model wants the real GPU: the software adapter stays only for the scripted engines.
  const softwareGpu = scripted || values['software-gpu'];
  const args = CHROMIUM_ARGS.filter((arg) => softwareGpu || !/swiftshader/.test(arg));
  const browser = await chromium.launch({
    executablePath: chromiumChoice.path,
    headless: !values.headed,
    args: [...args, '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(`${origin}${PREFIX}`);
    await page.getByRole('heading', { name: 'Sift', level: 1 }).waitFor();
    if (webllmModel) await loadOnDeviceModel(page, webllmModel, baseUrl);

    const bench = new BenchmarkPage(page);
    await bench.open();
    const choice = webllmModel ? 'current' : engine!;
    if ((await bench.engine.locator(`option[value="${choice}"]`).count()) === 0) {
      fail(`This browser offers no engine "${choice}" in the Benchmark view (built-in needs Chrome 148+).`);
    }
    await bench.choose(choice, values.quick ? 'quick' : 'full');
    const started = Date.now();
    await bench.run.click();
    const ticker = setInterval(() => {
      void bench.progressText
        .innerText({ timeout: 1000 })
        .then((text) => log(`${Math.round((Date.now() - started) / 1000)} s: ${text}`))
        .catch(() => undefined);
    }, 15_000);
    try {
      await page
        .locator('[data-testid="bench-results"], [data-testid="bench-error"]')
        .first()
        .waitFor({ timeout: 6 * 60 * 60_000 });
    } finally {
      clearInterval(ticker);
    }
    if (await bench.error.isVisible()) fail(`The benchmark did not run: ${await bench.error.innerText()}`);
    const { run } = await bench.exportJson();
    const file = join(OUT, `${engine!.replace(/[^a-z0-9.-]+/gi, '-')}${values.quick ? '-quick' : ''}.json`);
    writeFileSync(file, JSON.stringify(run, null, 2));
    log(`Every item, with its output and timings: ${file}`);
    console.log(JSON.stringify(benchLine(run as unknown as BenchRun)));
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
