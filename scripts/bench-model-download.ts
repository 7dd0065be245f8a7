/**
 * `npm run bench:model-download [-- DIST] [--mb 64] [--shards 16]`
 *
 * Measures Sift's model download path in real Chromium: the model worker fetching a model folder
 * from a local hub on 127.0.0.1 into WebLLM's Cache Storage (tee'd stream, 4 at a time), the page
 * showing progress, then a second load that finds everything cached. The files are fake (no model
 * weights can be downloaded here), so each load ends with "not a model" once WebLLM compiles the
 * library; the numbers are the time until then (the first load includes the worker's GPU probe and
 * the byte-counting checks every file passes before it is cached). Prints numbers, asserts nothing.
 * Needs a production build (`npm run build`, or SIFT_DIST=... npx vite build and pass that dir).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import sirv from 'sirv';
import { fakeModelFiles, startModelHub } from '../tests/servers/model-hub.ts';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './find-chromium.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mb: { type: 'string', default: '64' }, shards: { type: 'string', default: '16' } },
});
const dist = positionals[0] ?? process.env.SIFT_DIST ?? 'dist';
const shards = Number(values.shards);
const shardBytes = Math.round((Number(values.mb) * 2 ** 20) / shards);
const MODEL = 'Qwen3-0.6B-q4f32_1-MLC';

const browserPath = findChromium();
if (!browserPath) throw new Error(HOW_TO_GET_CHROMIUM);

const files = sirv(dist, { dev: false, single: false });
const app = createServer((request, response) => {
  const prefix = '/tools/sift';
  if (!request.url?.startsWith(`${prefix}/`)) return void response.writeHead(404).end();
  request.url = request.url.slice(prefix.length);
  files(request, response, () => {
    response.writeHead(404).end();
  });
});
await new Promise<void>((resolve) => app.listen(0, 'localhost', resolve));
const appUrl = `http://localhost:${(app.address() as AddressInfo).port}/tools/sift/`;
const hub = await startModelHub({
  files: fakeModelFiles('models', MODEL, { shards, shardBytes, libName: 'Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm' }),
});
const browser = await chromium.launch({ executablePath: browserPath.path, args: CHROMIUM_ARGS });

try {
  const page = await browser.newPage();
  let progressUpdates = 0;
  await page.exposeFunction('__countProgress', () => (progressUpdates += 1));
  await page.goto(appUrl);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('model-panel').getByText('Self-hosted weights').click();
  await page.getByTestId('model-base-url').fill(`${hub.url}models/`);
  await page.getByTestId('model-base-url-save').click();
  await page.getByTestId('model-picker').selectOption(MODEL);
  await page.evaluate(() => {
    new MutationObserver(() => (window as unknown as { __countProgress: () => void }).__countProgress()).observe(
      document.body,
      { subtree: true, characterData: true, childList: true },
    );
  });

  const load = async () => {
    const started = performance.now();
    await page.getByTestId('model-load').click();
    await page
      .getByTestId('model-progress-text')
      .waitFor({ timeout: 60_000 })
      .catch(() => undefined);
    const firstProgress = performance.now() - started;
    await page.getByTestId('model-error').waitFor({ timeout: 120_000 });
    return { firstProgress, total: performance.now() - started };
  };

  const cold = await load();
  const bytes = shards * shardBytes;
  const warm = await load();
  const shardRequests = hub.requests.filter((request) => request.path.endsWith('.bin')).length;
  // A failed load terminates the worker, so the first listing also starts a fresh one.
  const cachedToggle = page.getByTestId('model-panel').getByText('Cached models', { exact: true });
  const listing = async () => {
    const started = performance.now();
    await cachedToggle.click();
    await page.getByTestId('cached-models').waitFor();
    const ms = performance.now() - started;
    await cachedToggle.click();
    await page.getByTestId('cached-models').waitFor({ state: 'detached' });
    return ms;
  };
  const listColdMs = await listing();
  const listWarmMs = await listing();

  const mb = bytes / 2 ** 20;
  console.log(`model download bench (${mb.toFixed(0)} MB in ${shards} shards, local hub on 127.0.0.1, ${dist})`);
  console.log(`  first load:  ${(cold.total / 1000).toFixed(2)} s, ${(mb / (cold.total / 1000)).toFixed(1)} MB/s`);
  console.log(`               first progress on screen after ${cold.firstProgress.toFixed(0)} ms`);
  console.log(`  second load: ${(warm.total / 1000).toFixed(2)} s (from the browser cache)`);
  console.log(`  shard requests over both loads: ${shardRequests} (of ${shards} shards)`);
  console.log(`  page updates while loading: ${progressUpdates}`);
  console.log(`  cached-model list: ${listColdMs.toFixed(0)} ms starting the worker, ${listWarmMs.toFixed(0)} ms warm`);
  console.log(
    JSON.stringify({
      mb: Math.round(mb),
      shards,
      first_load_s: Number((cold.total / 1000).toFixed(2)),
      mb_per_s: Number((mb / (cold.total / 1000)).toFixed(1)),
      first_progress_ms: Math.round(cold.firstProgress),
      second_load_s: Number((warm.total / 1000).toFixed(2)),
      shard_requests: shardRequests,
      list_cold_ms: Math.round(listColdMs),
      list_warm_ms: Math.round(listWarmMs),
    }),
  );
} finally {
  await browser.close();
  await hub.close();
  app.closeAllConnections();
  app.close();
}
