/**
 * The on-device model's worker. WebLLM (and its megabytes of WASM) is imported here only,
 * never on the main thread, so the first screen does not pay for it.
 *
 * It speaks WebLLM's own worker protocol (`WebWorkerMLCEngineHandler`: `{kind, uuid, content}`
 * requests answered by `return` / `throw` / `initProgressCallback`) plus Sift's `sift:*` kinds,
 * handled here: downloading a model into WebLLM's cache with byte-level progress, and managing
 * that cache. Errors go back as strings ("Name: message"), as WebLLM's do.
 */
import { WebWorkerMLCEngineHandler, deleteModelAllInfoInCache, hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
import type { AppConfigForModel } from '../src/core/engines/catalogue.ts';
import {
  CHAT_CONFIG_FILE,
  TENSOR_CACHE_FILE,
  readChatConfig,
  readTensorCache,
  tokenizerFileWebLLMReads,
} from '../src/core/engines/model-files.ts';
import { egress, installWorkerEgressGate } from '../src/net/egress.ts';

// Before any handler exists: every fetch and Cache.add in this worker (WebLLM's downloads
// included) goes through the gate, which follows the hosts the page allows.
installWorkerEgressGate(self);

/** Progress of Sift's own download step, in bytes. */
export interface DownloadProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  loadedBytes: number;
  totalBytes: number;
  /** Bytes that were already in the cache from an earlier, interrupted download. */
  cachedBytes: number;
}

export interface CachedModel {
  modelId: string;
  /** Where the weights came from, e.g. `https://huggingface.co`. */
  origin: string;
  bytes: number;
  /** The weight listing and every shard it names are cached. */
  complete: boolean;
}

export interface StorageReport {
  usageBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
}

/** Sift's requests, each kind with its content and the value it returns. */
export interface SiftCalls {
  'sift:download': { content: { appConfig: AppConfigForModel }; result: { totalBytes: number; cachedBytes: number } };
  'sift:hasModelInCache': { content: { appConfig: AppConfigForModel }; result: boolean };
  'sift:deleteModel': { content: { modelId: string; appConfig?: AppConfigForModel }; result: void };
  'sift:listCached': { content: null; result: CachedModel[] };
  'sift:storageEstimate': { content: null; result: StorageReport };
}
export type SiftKind = keyof SiftCalls;
export type SiftRequest = { [K in SiftKind]: { kind: K; uuid: string; content: SiftCalls[K]['content'] } }[SiftKind];
/** Sent while `sift:download` runs; `uuid` is the download request's. */
export interface SiftProgressMessage {
  kind: 'sift:progress';
  uuid: string;
  content: DownloadProgress;
}

/** WebLLM 0.2.86's Cache Storage scopes (`cacheBackend: "cache"`); keys are the files' URLs. */
const SCOPE = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;
const PARALLEL_DOWNLOADS = 4;

class DownloadError extends Error {
  override name = 'DownloadError';
}

const handler = new WebWorkerMLCEngineHandler();

/** The page decided which hosts serve the model; this realm's gate learns the same. */
function allowModelHosts(appConfig: AppConfigForModel): void {
  const [record] = appConfig.model_list;
  egress.allow(record.model, 'model');
  egress.allow(record.model_lib, 'model');
}

async function fetchOk(url: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await egress.fetch(url, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof Error && error.name !== 'TypeError') throw error;
    throw new DownloadError(`${new URL(url).host} did not answer for ${url}.`);
  }
  if (!response.ok) throw new DownloadError(`HTTP ${response.status} for ${url}.`);
  return response;
}

/** What is kept of a response's headers: the body is stored decoded, so its encoding and length go. */
function storedHeaders(response: Response): Headers {
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  return headers;
}

/**
 * Reads a small manifest from the cache, or fetches it; stores it only once `read` accepts it,
 * so an error page served in its place is never cached as the model's.
 */
async function cachedManifest<T>(cache: Cache, url: string, read: (text: string, where: string) => T): Promise<T> {
  const hit = await cache.match(url);
  if (hit) {
    try {
      return read(await hit.text(), url);
    } catch {
      await cache.delete(url);
    }
  }
  const response = await fetchOk(url);
  const text = await response.text();
  const value = read(text, url);
  await cache.put(url, new Response(text, { headers: storedHeaders(response) }));
  return value;
}

/**
 * Puts every file WebLLM will read into its cache before `reload`, so the download has real
 * byte progress and resumes per file after an interruption; `reload` then only loads from cache.
 * Cancelling terminates this worker, which aborts the requests in flight.
 */
async function download(uuid: string, appConfig: AppConfigForModel): Promise<SiftCalls['sift:download']['result']> {
  allowModelHosts(appConfig);
  const [record] = appConfig.model_list;
  const base = record.model;
  const [modelCache, configCache, wasmCache] = await Promise.all([
    caches.open(SCOPE.model),
    caches.open(SCOPE.config),
    caches.open(SCOPE.wasm),
  ]);
  const configUrl = new URL(CHAT_CONFIG_FILE, base).href;
  const chatConfig = await cachedManifest(configCache, configUrl, readChatConfig);
  const listingUrl = new URL(TENSOR_CACHE_FILE, base).href;
  const shards = await cachedManifest(modelCache, listingUrl, readTensorCache);

  const files: { url: string; cache: Cache; bytes: number }[] = shards.map((shard) => ({
    url: new URL(shard.dataPath, base).href,
    cache: modelCache,
    bytes: shard.nbytes,
  }));
  const tokenizer = tokenizerFileWebLLMReads(chatConfig);
  if (tokenizer) files.push({ url: new URL(tokenizer, base).href, cache: modelCache, bytes: 0 });
  // WebLLM fetches a library whose URL contains "localhost" without its cache; it is not stored then.
  if (!record.model_lib.includes('localhost')) files.push({ url: record.model_lib, cache: wasmCache, bytes: 0 });

  const progress: DownloadProgress = {
    file: '',
    filesDone: 0,
    filesTotal: files.length,
    loadedBytes: 0,
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    cachedBytes: 0,
  };
  let lastPost = 0;
  const post = (force = false) => {
    const now = Date.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    self.postMessage({ kind: 'sift:progress', uuid, content: { ...progress } } satisfies SiftProgressMessage);
  };
  post(true);

  const queue = [...files];
  // After a failure no new file starts, but those in flight finish: a retry then resumes from them.
  let failure: unknown;
  const worker = async () => {
    for (let file = queue.shift(); file && failure === undefined; file = queue.shift()) {
      progress.file = file.url.slice(file.url.lastIndexOf('/') + 1);
      try {
        const hit = await file.cache.match(file.url);
        if (hit) {
          progress.cachedBytes += file.bytes;
          progress.loadedBytes += file.bytes;
        } else {
          await downloadFile(file, (bytes) => {
            progress.loadedBytes += bytes;
            // Files without a size in the listing (tokenizer, library) grow the total as they arrive.
            if (file.bytes === 0) progress.totalBytes += bytes;
            post();
          });
        }
      } catch (error) {
        failure ??= error;
        return;
      }
      progress.filesDone += 1;
      post(true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, files.length) }, worker));
  if (failure !== undefined) throw failure;
  return { totalBytes: progress.totalBytes, cachedBytes: progress.cachedBytes };
}

async function downloadFile(file: { url: string; cache: Cache }, onBytes: (bytes: number) => void): Promise<void> {
  const response = await fetchOk(file.url);
  if (!response.body) throw new DownloadError(`Empty answer for ${file.url}.`);
  const [counted, stored] = response.body.tee();
  const storing = file.cache.put(file.url, new Response(stored, { headers: storedHeaders(response) }));
  const reader = counted.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) onBytes(chunk.value.byteLength);
  await storing;
}

/** Groups WebLLM's cached files by model: every weight URL ends in `<model id>/resolve/<rev>/<file>`. */
async function listCached(): Promise<CachedModel[]> {
  const cache = await caches.open(SCOPE.model);
  const byModel = new Map<string, { modelId: string; origin: string; urls: string[]; listing?: string }>();
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    const match = /\/([^/]+)\/resolve\/[^/]+\/([^/]+)$/.exec(url.pathname);
    if (!match) continue;
    const [, modelId, file] = match as unknown as [string, string, string];
    const key = `${url.origin} ${modelId}`;
    const entry = byModel.get(key) ?? { modelId, origin: url.origin, urls: [] };
    entry.urls.push(url.href);
    if (file === TENSOR_CACHE_FILE) entry.listing = url.href;
    byModel.set(key, entry);
  }
  const models: CachedModel[] = [];
  for (const entry of byModel.values()) {
    // Shard sizes come from the listing; reading each cached body to size it would take seconds.
    const listed = new Map<string, number>();
    if (entry.listing) {
      try {
        const shards = readTensorCache(await (await cache.match(entry.listing))!.text(), entry.listing);
        for (const shard of shards) listed.set(new URL(shard.dataPath, entry.listing).href, shard.nbytes);
      } catch {
        listed.clear();
      }
    }
    let bytes = 0;
    for (const url of entry.urls) bytes += listed.get(url) ?? (await storedSize(cache, url));
    const complete = listed.size > 0 && [...listed.keys()].every((url) => entry.urls.includes(url));
    models.push({ modelId: entry.modelId, origin: entry.origin, bytes, complete });
  }
  return models.sort((a, b) => a.modelId.localeCompare(b.modelId));
}

async function storedSize(cache: Cache, url: string): Promise<number> {
  const response = await cache.match(url);
  const length = Number(response?.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : ((await response?.blob())?.size ?? 0);
}

/** Deletes a model's files from every host it was fetched from, plus its config and library. */
async function deleteModel(modelId: string, appConfig?: AppConfigForModel): Promise<void> {
  if (appConfig) await deleteModelAllInfoInCache(modelId, appConfig as unknown as AppConfig);
  const marker = `/${modelId}/resolve/`;
  for (const scope of [SCOPE.model, SCOPE.config]) {
    const cache = await caches.open(scope);
    for (const request of await cache.keys()) if (request.url.includes(marker)) await cache.delete(request);
  }
}

async function storageEstimate(): Promise<StorageReport> {
  const storage = self.navigator.storage;
  const estimate = await storage?.estimate?.().catch(() => undefined);
  const persisted = await storage?.persisted?.().catch(() => null);
  return { usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null, persisted: persisted ?? null };
}

function answer(uuid: string, work: () => Promise<unknown>): void {
  work().then(
    (content) => self.postMessage({ kind: 'return', uuid, content }),
    (error: unknown) => {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      self.postMessage({ kind: 'throw', uuid, content: text });
    },
  );
}

function handleSift(request: SiftRequest): void {
  switch (request.kind) {
    case 'sift:download':
      return answer(request.uuid, () => download(request.uuid, request.content.appConfig));
    case 'sift:hasModelInCache': {
      const config = request.content.appConfig;
      return answer(request.uuid, () => hasModelInCache(config.model_list[0].model_id, config as unknown as AppConfig));
    }
    case 'sift:deleteModel':
      return answer(request.uuid, () => deleteModel(request.content.modelId, request.content.appConfig));
    case 'sift:listCached':
      return answer(request.uuid, listCached);
    case 'sift:storageEstimate':
      return answer(request.uuid, storageEstimate);
  }
}

self.onmessage = (message: MessageEvent) => {
  const data = message.data as { kind?: unknown } | null;
  if (typeof data?.kind === 'string' && data.kind.startsWith('sift:')) {
    handleSift(data as SiftRequest);
    return;
  }
  if (typeof data?.kind === 'string' && data.kind === 'setAppConfig') {
    // WebLLM fetches the weights itself when they are not cached; its hosts must be allowed too.
    allowModelHosts((data as { content: AppConfigForModel }).content);
  }
  handler.onmessage(message);
};
