/**
 * The on-device engine in real Chromium (software WebGPU adapter), with the model hub replaced by
 * a local HTTP server on 127.0.0.1 that serves a model folder in the hub's layout. The files look
 * like a model (config, weight listing, shards, tokenizer, library) but are not one: no weights can
 * be downloaded here, and the failure they cause is part of what is tested.
 */
import type { Page, Request } from '@playwright/test';
import {
  installFakeLanguageModel,
  type FakeLanguageModelOptions,
  type FakeLanguageModelRecord,
} from '../fakes/language-model.ts';
import { HTML_PAGE_200, fakeModelFiles, startModelHub, type ModelHub } from '../servers/model-hub.ts';
import { SiftApp } from './pages/sift-app.ts';
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
async function pointAtLocalHub(page: Page, server: ModelHub, model = MODEL): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-panel');
  await expect(panel).toBeVisible();
  await panel.getByText('Self-hosted weights').click();
  await setBaseUrl(page, `${server.url}models/`);
  await page.getByTestId('model-picker').selectOption(model);
}

async function setBaseUrl(page: Page, url: string): Promise<void> {
  await page.getByTestId('model-base-url').fill(url);
  await page.getByTestId('model-base-url-save').click();
  await expect(page.getByTestId('model-base-url-current')).toContainText(url);
}

/** The paths WebLLM's three caches hold (page and worker share this origin's Cache Storage). */
function cachedPaths(page: Page): Promise<Record<'model' | 'config' | 'wasm', string[]>> {
  return page.evaluate(async () => {
    const paths = async (name: string) =>
      (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname.slice(1)).sort();
    return {
      model: await paths('webllm/model'),
      config: await paths('webllm/config'),
      wasm: await paths('webllm/wasm'),
    };
  });
}

/** A load of the fake model that got past Sift's download: WebLLM itself refuses the library. */
const WEBLLM_REFUSED = 'WebAssembly.instantiate(): Import #0';

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
  // WebLLM itself got as far as instantiating the model library from its cache, and said why it stopped.
  await expect(error.locator('code')).toContainText(WEBLLM_REFUSED);

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

test('a model base URL the page cannot fetch from is refused with what to write instead', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const panel = page.getByTestId('model-panel');
  await panel.getByText('Self-hosted weights').click();
  await expect(panel.locator('#model-base-url-hint')).toContainText('blocked by Sift');
  await page.getByTestId('model-base-url').fill('ftp://models.example/');
  await page.getByTestId('model-base-url-save').click();
  await expect(panel.getByRole('alert')).toContainText('must start with https://');
  // Plain http:// on another machine: the page's CSP (connect-src) and mixed-content rules block it.
  await page.getByTestId('model-base-url').fill('http://192.168.1.20:8000/models/');
  await page.getByTestId('model-base-url-save').click();
  await expect(panel.getByRole('alert')).toContainText('blocked by the page');
  await expect(panel.getByRole('alert')).toContainText('Serve the folder over https://');
  await expect(page.getByTestId('model-base-url-current')).toHaveCount(0);
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

test('an error page served with status 200 (HTML) for the config, the tokenizer or the library is refused before it is cached, and the next load fetches only that file', async ({
  page,
}) => {
  const config = `${FOLDER}mlc-chat-config.json`;
  const tokenizer = `${FOLDER}tokenizer.json`;
  const library = `models/libs/${LIB}`;
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 2, shardBytes: 100_000, libName: LIB }),
    faults: {
      // The config is read before anything else is fetched.
      [config]: [HTML_PAGE_200],
      // A host's "not found" page, labelled as HTML…
      [tokenizer]: [HTML_PAGE_200],
      // …and one labelled as a binary file: only the `\0asm` check catches it.
      [library]: [{ ...HTML_PAGE_200, headers: { 'content-type': 'application/octet-stream' } }],
    },
  });
  await pointAtLocalHub(page, hub);
  const error = page.getByTestId('model-error');

  await page.getByTestId('model-load').click();
  await expect(error.locator('code')).toContainText(`${hub.url}${config} is not JSON`);
  expect(hub.requests.map((request) => request.path)).toEqual([config]);
  expect((await cachedPaths(page)).config).toEqual([]);

  await page.getByTestId('model-load').click();
  await expect(error).toContainText('not a model this version of Sift can run');
  await expect(error.locator('code')).toContainText(/answered with a web page|is not WebAssembly/);
  expect((await cachedPaths(page)).config).toEqual([config]);
  // Four files download at once, so both error pages were answered in this load; neither was kept.
  expect(hub.requests.filter((request) => request.path === tokenizer)).toHaveLength(1);
  expect(hub.requests.filter((request) => request.path === library)).toHaveLength(1);
  let cached = await cachedPaths(page);
  expect(cached.model).not.toContain(tokenizer);
  expect(cached.wasm).toEqual([]);

  const before = hub.requests.length;
  await page.getByTestId('model-load').click();
  await expect(error.locator('code')).toContainText(WEBLLM_REFUSED);
  // The shards were kept: only the refused files were fetched again.
  expect(
    hub.requests
      .slice(before)
      .map((request) => request.path)
      .sort(),
  ).toEqual([library, tokenizer].sort());
  cached = await cachedPaths(page);
  expect(cached.model).toContain(tokenizer);
  expect(cached.wasm).toEqual([library]);
});

test('a shard whose connection drops midway is fetched again; one shorter than its listing is refused and nothing of it is stored', async ({
  page,
}) => {
  const cut = `${FOLDER}params_shard_1.bin`;
  const short = `${FOLDER}params_shard_2.bin`;
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 3, shardBytes: 200_000, libName: LIB }),
    faults: { [cut]: [{ cutAfterBytes: 50_000 }], [short]: [{ shortBody: 120_000 }] },
  });
  await pointAtLocalHub(page, hub);
  const error = page.getByTestId('model-error');
  await page.getByTestId('model-load').click();
  await expect(error.locator('strong')).toContainText(
    'params_shard_2.bin was cut short: the server’s answer has 120,000 bytes, the model’s listing (tensor-cache.json) says 200,000. Nothing of it was stored',
  );
  await expect(error.locator('code')).toContainText(
    'DownloadSizeError: params_shard_2.bin was cut short: the server’s answer has 120,000 bytes, the model’s listing (tensor-cache.json) says 200,000',
  );
  await expect(error).toContainText('only the damaged one is fetched again');
  expect((await cachedPaths(page)).model).not.toContain(short);
  const cutTries = hub.requests.filter((request) => request.path === cut);
  expect(cutTries.length).toBe(2);
  expect(cutTries[0]).toMatchObject({ completed: false });
  expect(cutTries[1]).toMatchObject({ completed: true });

  await page.getByTestId('model-load').click();
  await expect(error.locator('code')).toContainText(WEBLLM_REFUSED);
  const stored = await page.evaluate(async (url) => {
    const response = await (await caches.open('webllm/model')).match(url);
    return response ? (await response.arrayBuffer()).byteLength : null;
  }, `${hub.url}${short}`);
  expect(stored).toBe(200_000);
  expect(hub.requests.filter((request) => request.path === cut)).toHaveLength(2);
});

test('a host that answers 503, then 429 with Retry-After, is waited out and the download completes', async ({
  page,
}) => {
  const listing = `${FOLDER}tensor-cache.json`;
  const shard = `${FOLDER}params_shard_0.bin`;
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 2, shardBytes: 100_000, libName: LIB }),
    faults: {
      [listing]: [{ status: 503 }],
      [shard]: [{ status: 429, headers: { 'retry-after': '2' } }],
    },
  });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('model-error').locator('code')).toContainText(WEBLLM_REFUSED, { timeout: 30_000 });
  expect(hub.requests.filter((request) => request.path === listing)).toHaveLength(2);
  const tries = hub.requests.filter((request) => request.path === shard);
  expect(tries).toHaveLength(2);
  // The second try waited as long as the server asked.
  expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1900);
  expect((await cachedPaths(page)).model).toContain(shard);
});

test('a download larger than the browser lets this site store is not started, and the person is told what is needed and what is free', async ({
  page,
}) => {
  const files = fakeModelFiles('models', MODEL, { shards: 3, shardBytes: 1000, libName: LIB });
  const quota = await (async () => {
    await page.goto('./');
    return page.evaluate(async () => (await navigator.storage.estimate()).quota ?? 0);
  })();
  // A listing whose shards together exceed this browser's quota (the bodies are never asked for).
  const listing = JSON.parse(files[`${FOLDER}tensor-cache.json`] as string) as { records: { nbytes: number }[] };
  for (const record of listing.records) record.nbytes = Math.ceil(quota / 2);
  files[`${FOLDER}tensor-cache.json`] = JSON.stringify(listing);
  hub = await startModelHub({ files });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();
  const error = page.getByTestId('model-error');
  await expect(error.locator('strong')).toContainText(
    /^This model needs about [\d.]+ GB more storage, but the browser lets this site use only [\d.]+ GB more \([\d.]+ (kB|MB) used of [\d.]+ GB\)\. Nothing was downloaded\.$/,
  );
  await expect(error).toContainText('Delete cached models you no longer use');
  expect(hub.requests.filter((request) => request.path.endsWith('.bin'))).toEqual([]);
});

test('when the browser refuses to store a shard (quota), Sift says there is no room and keeps no partial file', async ({
  page,
}) => {
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 3, shardBytes: 2_000_000, libName: LIB }),
  });
  await pointAtLocalHub(page, hub);
  const usage = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return (await navigator.storage.estimate()).usage ?? 0;
  });
  // Chromium's quota for this origin, lowered: writes fail for real. (Its storage.estimate() does not
  // show such an override, so Sift's own check before the download lets it start.) The room left is
  // less than one shard: Chromium checks each write against what is already stored, so parallel
  // writes that each fit would all be let through together.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize: usage + 1_000_000,
  });
  await page.getByTestId('model-load').click();
  const error = page.getByTestId('model-error');
  await expect(error).toContainText('The browser has no room left to store the model.');
  await expect(error.locator('code')).toContainText('QuotaExceededError');
  const stored = await page.evaluate(async () => {
    const cache = await caches.open('webllm/model');
    const sizes: number[] = [];
    for (const request of await cache.keys()) {
      if (request.url.endsWith('.bin')) sizes.push((await (await cache.match(request))!.arrayBuffer()).byteLength);
    }
    return sizes;
  });
  expect(stored.length).toBeLessThan(3);
  expect(stored.every((size) => size === 2_000_000)).toBe(true);
});

test('deleting a cached model works offline, even after the model base URL changed, by cache key in all three caches', async ({
  page,
  context,
}) => {
  hub = await startModelHub({
    files: fakeModelFiles('models', MODEL, { shards: 2, shardBytes: 100_000, libName: LIB }),
  });
  await pointAtLocalHub(page, hub);
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('model-error').locator('code')).toContainText(WEBLLM_REFUSED);
  const before = await cachedPaths(page);
  expect(before.model.length).toBeGreaterThan(0);
  expect(before.config).toEqual([`${FOLDER}mlc-chat-config.json`]);
  expect(before.wasm).toEqual([`models/libs/${LIB}`]);

  // The weights now come from elsewhere, and the network is gone.
  await setBaseUrl(page, 'https://models.example/sift/');
  await page.getByTestId('model-panel').getByText('Cached models', { exact: true }).click();
  const list = page.getByTestId('cached-models');
  await expect(list).toContainText(MODEL);
  await context.setOffline(true);
  const requestsBefore = hub.requests.length;

  await list.getByRole('button', { name: `Delete ${MODEL}` }).click();
  await expect(page.getByTestId('cached-none')).toHaveText('No model is cached in this browser.');
  await expect(page.getByTestId('model-error')).not.toContainText('failed');
  expect(await cachedPaths(page)).toEqual({ model: [], config: [], wasm: [] });
  expect(hub.requests.length).toBe(requestsBefore);
  await context.setOffline(false);
});

test('deleting one of two cached models that share a model library keeps the library until the last one goes', async ({
  page,
}) => {
  const llama = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
  const hermes = 'Hermes-3-Llama-3.1-8B-q4f32_1-MLC';
  const sharedLib = 'Llama-3_1-8B-Instruct-q4f32_1_cs1k-webgpu.wasm';
  hub = await startModelHub({
    files: {
      ...fakeModelFiles('models', llama, { shards: 1, shardBytes: 50_000, libName: sharedLib }),
      ...fakeModelFiles('models', hermes, { shards: 1, shardBytes: 60_000, libName: sharedLib }),
    },
  });
  await pointAtLocalHub(page, hub, llama);
  const error = page.getByTestId('model-error');
  await page.getByTestId('model-load').click();
  await expect(error.locator('code')).toContainText(WEBLLM_REFUSED);
  await page.getByTestId('model-picker').selectOption(hermes);
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('model-load')).toBeEnabled();
  await expect(error.locator('code')).toContainText(WEBLLM_REFUSED);

  await page.getByTestId('model-panel').getByText('Cached models', { exact: true }).click();
  const list = page.getByTestId('cached-models');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await list.getByRole('button', { name: `Delete ${llama}` }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  let cached = await cachedPaths(page);
  expect(cached.wasm).toEqual([`models/libs/${sharedLib}`]);
  expect(cached.model.every((path) => path.includes(hermes))).toBe(true);
  expect(cached.config).toEqual([`models/${hermes}/resolve/main/mlc-chat-config.json`]);

  await list.getByRole('button', { name: `Delete ${hermes}` }).click();
  await expect(page.getByTestId('cached-none')).toBeVisible();
  cached = await cachedPaths(page);
  expect(cached).toEqual({ model: [], config: [], wasm: [] });
});

test.describe('the model worker’s own GPU probe, before any download', () => {
  // The worker's script is changed on its way in, so no service worker may serve it from its cache.
  test.use({ serviceWorkers: 'block' });

  /** Runs first in the model worker: its adapter reports limits below WebLLM 0.2.86's minimums. */
  const LOW_LIMITS = `{
    const real = Object.getOwnPropertyDescriptor(GPUAdapter.prototype, 'limits').get;
    Object.defineProperty(GPUAdapter.prototype, 'limits', {
      configurable: true,
      get() {
        const limits = real.call(this);
        return {
          maxBufferSize: limits.maxBufferSize,
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxComputeWorkgroupStorageSize: 16384,
          maxStorageBuffersPerShaderStage: 8,
        };
      },
    });
  }\n`;
  /** Runs first in the model worker: WebGPU offered to the page but not to workers, as Firefox can. */
  const NO_WORKER_WEBGPU = `delete WorkerNavigator.prototype.gpu;\n`;

  test('a worker whose GPU limits are below WebLLM’s, or that has no WebGPU, is refused before anything is fetched, saying what it lacks', async ({
    page,
  }) => {
    hub = await startModelHub({
      files: fakeModelFiles('models', MODEL, { shards: 2, shardBytes: 100_000, libName: LIB }),
    });
    let prelude = LOW_LIMITS;
    await page.route(/\/llm\.worker-[\w-]+\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: prelude + (await response.text()) });
    });
    await pointAtLocalHub(page, hub);
    const error = page.getByTestId('model-error');

    await page.getByTestId('model-load').click();
    await expect(error.locator('strong')).toHaveText(
      /^Nothing was downloaded: this device’s GPU( \(.+\))? lacks enough workgroup storage \(16 KB per shader, WebLLM needs 32 KB\); enough storage buffers per shader stage \(8, WebLLM needs 10\)\.$/,
    );
    await expect(error).toContainText('Pick a smaller model');
    await expect(error.locator('code')).toContainText('GpuUnsuitableError');

    prelude = NO_WORKER_WEBGPU;
    await page.getByTestId('model-load').click();
    await expect(error.locator('strong')).toContainText(
      'lacks WebGPU inside a Web Worker, where Sift runs the model (Firefox switches it on separately: dom.webgpu.workers.enabled',
    );
    expect(hub.requests).toEqual([]);
  });
});

test.describe('Chrome’s built-in model in the model panel (a fake LanguageModel that follows the Prompt API)', () => {
  test('this Chromium has none: the panel says unavailable and what would offer it, with nothing to load or benchmark', async ({
    page,
  }) => {
    const app = new SiftApp(page);
    await app.open();
    await app.show('settings');
    const status = page.getByTestId('model-built-in').getByTestId('built-in-status');
    await expect(status).toHaveAttribute('data-availability', 'unavailable');
    await expect(status.getByTestId('built-in-state')).toContainText('Chrome 148 or later');
    await expect(status.getByTestId('built-in-load')).toHaveCount(0);
    await expect(status.getByTestId('built-in-benchmark')).toHaveCount(0);
  });

  test('downloadable, then Chrome’s download after a click; a newsletter job runs on it and the egress meter stays at zero', async ({
    page,
    consoleWatch,
  }) => {
    const fake: FakeLanguageModelOptions = { availability: 'downloadable', downloadSteps: 4, stepMs: 250 };
    await page.addInitScript(installFakeLanguageModel, fake);
    const app = new SiftApp(page);
    await app.open();
    await app.show('settings');
    const builtIn = page.getByTestId('model-built-in');
    const status = builtIn.getByTestId('built-in-status');
    await expect(status).toHaveAttribute('data-availability', 'downloadable');
    await expect(status.getByTestId('built-in-state')).toContainText('Sift downloads nothing itself');

    await status.getByTestId('built-in-load').click();
    await expect(status.getByTestId('built-in-progress')).toContainText(/Chrome is downloading the model: \d+%/);
    await expect(status.getByTestId('built-in-ready')).toContainText('Gemini Nano');
    await expect(status).toHaveAttribute('data-availability', 'available');
    await expect(status.getByTestId('built-in-in-use')).toContainText('Newsletter runs and Ask use it');

    // "Benchmark this model" selects it in the Benchmark view.
    await status.getByTestId('built-in-benchmark').click();
    await expect(page.getByTestId('bench-engine')).toHaveValue('built-in');

    await app.show('newsletter');
    await expect(page.getByTestId('engine-status')).toContainText('Gemini Nano');
    await expect(page.getByTestId('tools-only-banner')).toHaveCount(0);
    await app.trySample();
    await app.run();
    await expect(app.progress).toHaveAttribute('data-status', 'done');
    await expect(app.rows.first()).toBeVisible();

    const record = await page.evaluate(
      () => (globalThis as unknown as { __fakeLanguageModel: FakeLanguageModelRecord }).__fakeLanguageModel,
    );
    // The job's model steps went to Chrome's model, each constrained by the step's JSON Schema.
    expect(record.prompts.length).toBeGreaterThan(0);
    for (const prompt of record.prompts) expect(prompt.responseConstraint).toMatchObject({ type: expect.any(String) });
    // Chrome fetches its model itself: the page sent nothing anywhere.
    await expect(page.getByTestId('egress-requests')).toHaveText('0');
    await expect(page.getByTestId('egress-bytes')).toHaveText('0 B');
    expect(consoleWatch.errors).toEqual([]);
  });
});
