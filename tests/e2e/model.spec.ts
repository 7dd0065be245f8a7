/**
 * The on-device engine in real Chromium (software WebGPU adapter), with the model hub replaced by
 * a local HTTP server on 127.0.0.1 that serves a model folder in the hub's layout. The files look
 * like a model (config, weight listing, shards, tokenizer, library) but are not one: no weights can
 * be downloaded here, and the failure they cause is part of what is tested.
 */
import type { Page, Request } from '@playwright/test';
import { fakeModelFiles, startModelHub, type ModelHub } from '../servers/model-hub.ts';
import { expect, test } from './fixtures.ts';

const MODEL = 'Qwen3-0.6B-q4f32_1-MLC';
const LIB = 'Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm';
const FOLDER = `models/${MODEL}/resolve/main/`;

let hub: ModelHub | undefined;

test.afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

/** Opens Settings, points the model base URL at the local hub and picks the fake model. */
async function pointAtLocalHub(page: Page, server: ModelHub): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-panel');
  await expect(panel).toBeVisible();
  await panel.getByText('Self-hosted weights').click();
  await page.getByTestId('model-base-url').fill(`${server.url}models/`);
  await page.getByTestId('model-base-url-save').click();
  await expect(page.getByTestId('model-base-url-current')).toContainText(`${server.url}models/`);
  await page.getByTestId('model-picker').selectOption(MODEL);
}

function hubRequestsSeenByPage(page: Page, server: ModelHub): string[] {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    if (request.url().startsWith(server.url)) seen.push(new URL(request.url()).pathname.slice(1));
  });
  return seen;
}

test('the model worker starts only on "Load model", fetches every model file once from the model base URL, and a fake model fails with a clear message', async ({
  page,
}) => {
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 3, shardBytes: 200_000, libName: LIB }),
  });
  const seen = hubRequestsSeenByPage(page, hub);
  await pointAtLocalHub(page, hub);
  expect(page.workers().some((worker) => worker.url().includes('llm'))).toBe(false);

  const workerStarted = page.waitForEvent('worker', (worker) => worker.url().includes('llm'));
  await page.getByTestId('model-load').click();
  await workerStarted;

  const error = page.getByTestId('model-error');
  await expect(error).toContainText('The downloaded files are not a model this version of Sift can run.');
  await expect(error).toContainText('npm run models:mirror');
  await expect(error).toContainText('tools-only mode');
  // WebLLM itself got as far as compiling the model library from its cache, and said why it stopped.
  await expect(error.locator('code')).toContainText('WebAssembly.instantiate(): expected magic word');

  const expected = [
    `${FOLDER}mlc-chat-config.json`,
    `${FOLDER}tensor-cache.json`,
    `${FOLDER}params_shard_0.bin`,
    `${FOLDER}params_shard_1.bin`,
    `${FOLDER}params_shard_2.bin`,
    `${FOLDER}tokenizer.json`,
    `models/libs/${LIB}`,
  ];
  // Once each: Sift's download filled WebLLM's cache, so WebLLM's own load fetched nothing again.
  expect(hub.requests.map((request) => request.path).sort()).toEqual([...expected].sort());
  expect(hub.requests.every((request) => request.completed)).toBe(true);
  // Playwright sees the worker's requests too: they are the page's traffic, not hidden from it.
  expect([...new Set(seen)].sort()).toEqual([...expected].sort());
});

test('download progress with bytes and total reaches the page, and Cancel stops the downloads in flight', async ({
  page,
}) => {
  const shardBytes = 1_000_000;
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 8, shardBytes, libName: LIB }),
    throttleBytesPerSecond: 100_000,
  });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();

  const progress = page.getByTestId('model-progress-text');
  await expect(progress).toContainText(/Downloading · [\d.]+ (kB|MB) of 7\.6 MB · 0\/\d+/);
  await expect(page.getByRole('progressbar', { name: 'Model loading progress' })).toBeVisible();
  await expect(progress).toContainText(/\/s · .* left/);

  await page.getByTestId('model-cancel').click();
  await expect(page.getByTestId('model-error')).toContainText('Loading was cancelled.');
  await expect(page.getByTestId('model-load')).toBeEnabled();

  const shards = () => hub!.requests.filter((request) => request.path.endsWith('.bin'));
  // Every shard request that had started was cut off, not finished in the background...
  await expect.poll(() => shards().every((request) => request.aborted && !request.completed)).toBe(true);
  // ...and the queue behind them never started: 4 at a time, 8 in all.
  expect(shards().length).toBeGreaterThan(0);
  expect(shards().length).toBeLessThanOrEqual(4);
});

test('a download that fails on a missing shard says so, and the next load fetches only what was missing', async ({
  page,
}) => {
  const files = fakeModelFiles('models', MODEL, { shards: 4, shardBytes: 150_000, libName: LIB });
  const missing = `${FOLDER}params_shard_2.bin`;
  const shard = files[missing]!;
  delete files[missing];
  hub = await startModelHub({ files });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();
  const error = page.getByTestId('model-error');
  await expect(error).toContainText('The model download failed.');
  await expect(error.locator('code')).toContainText('HTTP 404');
  await expect(error).toContainText('finished files are kept');

  files[missing] = shard;
  const before = hub.requests.length;
  await page.getByTestId('model-load').click();
  await expect(error).toContainText('not a model this version of Sift can run');
  const again = hub.requests.slice(before).map((request) => request.path);
  expect(again).toContain(missing);
  // The shards that had arrived stay in the browser cache and are not downloaded twice.
  for (const kept of ['params_shard_0.bin', 'params_shard_1.bin', 'params_shard_3.bin']) {
    expect(again).not.toContain(`${FOLDER}${kept}`);
  }
});

test('the cached-model list shows what a download left in the browser, with its size, and Delete removes it', async ({
  page,
}) => {
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 2, shardBytes: 300_000, libName: LIB }),
  });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('model-error')).toBeVisible();

  await page.getByTestId('model-panel').getByText('Cached models', { exact: true }).click();
  const list = page.getByTestId('cached-models');
  await expect(list).toContainText(MODEL);
  await expect(list).toContainText(/58\d kB|0\.6 MB/);
  await expect(list).toContainText('127.0.0.1');

  await list.getByRole('button', { name: `Delete ${MODEL}` }).click();
  await expect(page.getByTestId('cached-none')).toHaveText('No model is cached in this browser.');
});

test('a model base URL that is not an absolute address is refused with what to write instead', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByTestId('model-panel').getByText('Self-hosted weights').click();
  await page.getByTestId('model-base-url').fill('ftp://models.example/');
  await page.getByTestId('model-base-url-save').click();
  await expect(page.getByTestId('model-panel').getByRole('alert')).toContainText('must start with https://');
});

test('in a browser without WebGPU (navigator.gpu removed) the panel says so, points to tools-only mode and offers no load', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const unavailable = page.getByTestId('model-unavailable');
  await expect(unavailable).toContainText('does not offer WebGPU');
  await expect(unavailable).toContainText('tools-only mode');
  await expect(page.getByTestId('model-load')).toBeDisabled();
  expect(page.workers().some((worker) => worker.url().includes('llm'))).toBe(false);
});

test('once a model was used online, the service worker keeps the model engine’s code, so a cached model can start offline', async ({
  page,
}) => {
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit is not controlled by the service worker yet; the next one is.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const engineCached = () =>
    page.evaluate(async () => {
      const cache = await caches.open('sift-model-engine');
      return (await cache.keys()).some((request) => /llm\.worker-/.test(request.url));
    });
  expect(await engineCached()).toBe(false);

  await page.getByRole('tab', { name: 'Settings' }).click();
  // Listing the cached models starts the model worker, which fetches the engine chunk.
  const workerStarted = page.waitForEvent('worker', (worker) => worker.url().includes('llm'));
  await page.getByTestId('model-panel').getByText('Cached models', { exact: true }).click();
  await workerStarted;
  await expect.poll(engineCached).toBe(true);
});
