/**
 * The on-device model's worker. WebLLM (and its megabytes of WASM) is imported here only,
 * never on the main thread, so the first screen does not pay for it.
 *
 * It speaks WebLLM's own worker protocol (`WebWorkerMLCEngineHandler`: `{kind, uuid, content}`
 * requests answered by `return` / `throw` / `initProgressCallback`) plus Sift's `sift:*` kinds,
 * handled here: probing the GPU from this worker, downloading a model into WebLLM's cache with
 * byte-level progress and checks, and managing that cache. Errors go back as strings
 * ("Name: message"), as WebLLM's do.
 */
import { WebWorkerMLCEngineHandler, hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
import { findModel, type AppConfigForModel } from '../src/core/engines/catalogue.ts';
import {
  UNLISTED_FILES_ALLOWANCE,
  checkBodySize,
  checkRoomForDownload,
  isRetryableStatus,
  parseRetryAfter,
  retryDecision,
} from '../src/core/engines/download-policy.ts';
import type { WorkerGpuReport } from '../src/core/engines/gpu-requirements.ts';
import { formatBytes } from '../src/core/engines/load-progress.ts';
import {
  CHAT_CONFIG_FILE,
  NotAModelError,
  TENSOR_CACHE_FILE,
  cacheEntriesOfModel,
  checkLibraryHeader,
  checkTokenizer,
  modelIdOfWeightUrl,
  readChatConfig,
  readTensorCache,
  tokenizerFileWebLLMReads,
} from '../src/core/engines/model-files.ts';
import { egress, installWorkerEgressGate } from '../src/net/egress.ts';
import { probeWorkerGpu, watchLostDevices } from './gpu-probe.ts';

// Before any handler exists: every fetch and Cache.add in this worker (WebLLM's downloads
// included) goes through the gate, which follows the hosts the page allows.
installWorkerEgressGate(self);
// WebLLM keeps its GPU device to itself and, when the device is lost, unloads the model without
// telling anyone (lib/index.js L18303–18308): the page hears of it from here at once.
watchLostDevices((self as { GPUAdapter?: typeof GPUAdapter }).GPUAdapter, (message) =>
  self.postMessage({ kind: 'sift:deviceLost', uuid: '', content: { message } } satisfies SiftDeviceLostMessage),
);

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
  'sift:probe': { content: null; result: WorkerGpuReport };
  'sift:download': { content: { appConfig: AppConfigForModel }; result: { totalBytes: number; cachedBytes: number } };
  'sift:hasModelInCache': { content: { appConfig: AppConfigForModel }; result: boolean };
  'sift:deleteModel': { content: { modelId: string }; result: void };
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
/** Sent, unasked, when the GPU device WebLLM holds is lost (not when WebLLM destroys it itself). */
export interface SiftDeviceLostMessage {
  kind: 'sift:deviceLost';
  uuid: '';
  content: { message: string };
}

/** WebLLM 0.2.86's Cache Storage scopes (`cacheBackend: "cache"`); keys are the files' URLs. */
const SCOPE = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;
const PARALLEL_DOWNLOADS = 4;

class DownloadError extends Error {
  override name = 'DownloadError';
}

/** A failure the next try may not have: a network error, a 429 or a 5xx. */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly status?: number,
  ) {
    super(message);
  }
}

const handler = new WebWorkerMLCEngineHandler();

/** The page decided which hosts serve the model; this realm's gate learns the same. */
function allowModelHosts(appConfig: AppConfigForModel): void {
  const [record] = appConfig.model_list;
  egress.allow(record.model, 'model');
  egress.allow(record.model_lib, 'model');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One request; a 429, a 5xx or no answer become `RetryableError`, other statuses a `DownloadError`. */
async function fetchOnce(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await egress.fetch(url);
  } catch (error) {
    // The gate's refusal (EgressRefusedError) is final; a TypeError is the network's.
    if (error instanceof Error && error.name !== 'TypeError') throw error;
    throw new RetryableError(`${new URL(url).host} did not answer for ${url}`);
  }
  if (response.ok) return response;
  void response.body?.cancel().catch(() => undefined);
  if (isRetryableStatus(response.status)) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    throw new RetryableError(`HTTP ${response.status} for ${url}`, retryAfter, response.status);
  }
  throw new DownloadError(`HTTP ${response.status} for ${url}.`);
}

/**
 * Runs one try at fetching and storing a file, and again after a failure worth retrying, waiting
 * as the server asks (`Retry-After`) or backing off. `onRetry` undoes the failed try's progress.
 */
async function withRetries<T>(attemptOnce: () => Promise<T>, onRetry: () => void = () => undefined): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce();
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      const decision = retryDecision(attempt, error.retryAfterMs, Math.random, error.status);
      if (!decision.retry) throw new DownloadError(`${error.message} (${decision.why}).`);
      onRetry();
      await sleep(decision.delayMs);
    }
  }
}

/** What is kept of a response's headers: the body is stored decoded, so its encoding goes. */
function storedHeaders(response: Response, bytes: number | undefined): Headers {
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  if (bytes !== undefined) headers.set('content-length', String(bytes));
  return headers;
}

/** The body's length as sent, when the server said it and did not compress it. */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isInteger(length) && length >= 0 ? length : undefined;
}

function refuseWebPage(response: Response, url: string): void {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('text/html')) {
    throw new NotAModelError(`${url} answered with a web page (text/html) instead of the file.`);
  }
}

/** A body read to its end; a connection that drops midway is worth another try. */
async function readBody(
  response: Response,
  url: string,
  onBytes: (bytes: number) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      parts.push(chunk.value);
      total += chunk.value.byteLength;
      onBytes(chunk.value.byteLength);
    }
  } catch {
    throw new RetryableError(`the connection dropped while ${url} was downloading`);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
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
  return withRetries(async () => {
    const response = await fetchOnce(url);
    const body = await readBody(response, url, () => undefined);
    const value = read(new TextDecoder().decode(body), url);
    await cache.put(url, new Response(body, { headers: storedHeaders(response, body.byteLength) }));
    return value;
  });
}

type FileKind = 'shard' | 'tokenizer' | 'library';

interface ModelFile {
  url: string;
  kind: FileKind;
  cache: Cache;
  /** From the weight listing; 0 when the listing does not size it (tokenizer, library). */
  bytes: number;
}

/**
 * Puts every file WebLLM will read into its cache before `reload`, so the download has real
 * byte progress and resumes per file after an interruption; `reload` then only loads from cache.
 * Nothing is stored that failed a check: a shard must be the size its listing says, the library
 * must be WebAssembly, the tokenizer must parse. Before the first shard it checks the browser has
 * room for what is missing. Cancelling terminates this worker, which aborts the requests in flight.
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
  const chatConfig = await cachedManifest(configCache, new URL(CHAT_CONFIG_FILE, base).href, readChatConfig);
  const shards = await cachedManifest(modelCache, new URL(TENSOR_CACHE_FILE, base).href, readTensorCache);

  const files: ModelFile[] = shards.map((shard) => ({
    url: new URL(shard.dataPath, base).href,
    kind: 'shard',
    cache: modelCache,
    bytes: shard.nbytes,
  }));
  const tokenizer = tokenizerFileWebLLMReads(chatConfig);
  if (tokenizer) files.push({ url: new URL(tokenizer, base).href, kind: 'tokenizer', cache: modelCache, bytes: 0 });
  // WebLLM fetches a library whose URL contains "localhost" without its cache; it is not stored then.
  if (!record.model_lib.includes('localhost')) {
    files.push({ url: record.model_lib, kind: 'library', cache: wasmCache, bytes: 0 });
  }

  const cached = new Set<string>();
  for (const file of files) if (await file.cache.match(file.url)) cached.add(file.url);
  const missing = files.filter((file) => !cached.has(file.url));
  const neededBytes =
    missing.reduce((sum, file) => sum + file.bytes, 0) +
    (missing.some((file) => file.bytes === 0) ? UNLISTED_FILES_ALLOWANCE : 0);
  checkRoomForDownload(neededBytes, await storageEstimate(), formatBytes);

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
  for (const file of files) {
    if (!cached.has(file.url)) continue;
    progress.cachedBytes += file.bytes;
    progress.loadedBytes += file.bytes;
    progress.filesDone += 1;
  }
  post(true);

  const queue = [...missing];
  // After a failure no new file starts, but those in flight finish: a retry then resumes from them.
  let failure: unknown;
  const worker = async () => {
    for (let file = queue.shift(); file && failure === undefined; file = queue.shift()) {
      progress.file = file.url.slice(file.url.lastIndexOf('/') + 1);
      try {
        await downloadFile(file, (bytes) => {
          progress.loadedBytes += bytes;
          // Files without a size in the listing (tokenizer, library) grow the total as they arrive.
          if (file.bytes === 0) progress.totalBytes += bytes;
          post();
        });
      } catch (error) {
        failure ??= error;
        return;
      }
      progress.filesDone += 1;
      post(true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, missing.length) }, worker));
  if (failure !== undefined) throw failure;
  return { totalBytes: progress.totalBytes, cachedBytes: progress.cachedBytes };
}

/** Fetches and stores one file with its checks, retrying what is worth it; progress is undone per failed try. */
async function downloadFile(file: ModelFile, onBytes: (bytes: number) => void): Promise<void> {
  let counted = 0;
  const count = (bytes: number) => {
    counted += bytes;
    onBytes(bytes);
  };
  await withRetries(
    async () => {
      const response = await fetchOnce(file.url);
      refuseWebPage(response, file.url);
      if (file.kind === 'shard') await storeShard(file, response, count);
      else await storeWhole(file, response, count);
    },
    () => {
      onBytes(-counted);
      counted = 0;
    },
  );
}

/**
 * Streams a shard into the cache through a byte counter. A body longer or shorter than the
 * listing says errors the stream, so `cache.put` fails and nothing of it is stored.
 */
async function storeShard(file: ModelFile, response: Response, onBytes: (bytes: number) => void): Promise<void> {
  const name = file.url.slice(file.url.lastIndexOf('/') + 1);
  const listed = `the model’s listing (${TENSOR_CACHE_FILE})`;
  const declared = declaredLength(response);
  if (declared !== undefined) checkBodySize(name, declared, file.bytes, listed);
  let received = 0;
  let refusal: Error | undefined;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      onBytes(chunk.byteLength);
      try {
        if (received > file.bytes) checkBodySize(name, received, file.bytes, listed);
      } catch (error) {
        refusal = error as Error;
        throw error;
      }
      controller.enqueue(chunk);
    },
    flush() {
      try {
        checkBodySize(name, received, file.bytes, listed);
      } catch (error) {
        refusal = error as Error;
        throw error;
      }
    },
  });
  try {
    await file.cache.put(
      file.url,
      new Response(response.body!.pipeThrough(counter), { headers: storedHeaders(response, file.bytes) }),
    );
  } catch (error) {
    if (refusal) throw refusal;
    if (error instanceof Error && error.name === 'QuotaExceededError') throw error;
    throw new RetryableError(`the connection dropped while ${name} was downloading`);
  }
}

/** Reads a tokenizer or library whole, checks it, and only then stores it. */
async function storeWhole(file: ModelFile, response: Response, onBytes: (bytes: number) => void): Promise<void> {
  const name = file.url.slice(file.url.lastIndexOf('/') + 1);
  const body = await readBody(response, file.url, onBytes);
  const declared = declaredLength(response);
  if (declared !== undefined) checkBodySize(name, body.byteLength, declared, 'the server’s Content-Length');
  if (file.kind === 'library') checkLibraryHeader(body.subarray(0, 64), file.url);
  else checkTokenizer(name, body, file.url);
  await file.cache.put(file.url, new Response(body, { headers: storedHeaders(response, body.byteLength) }));
}

/** Groups WebLLM's cached files by model: every weight URL ends in `<model id>/resolve/<rev>/<file>`. */
async function listCached(): Promise<CachedModel[]> {
  const cache = await caches.open(SCOPE.model);
  const byModel = new Map<string, { modelId: string; origin: string; urls: string[]; listing?: string }>();
  for (const request of await cache.keys()) {
    const modelId = modelIdOfWeightUrl(request.url);
    if (!modelId) continue;
    const url = new URL(request.url);
    const key = `${url.origin} ${modelId}`;
    const entry = byModel.get(key) ?? { modelId, origin: url.origin, urls: [] };
    entry.urls.push(url.href);
    if (url.pathname.endsWith(`/${TENSOR_CACHE_FILE}`)) entry.listing = url.href;
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

/**
 * Deletes a model by cache key from WebLLM's three caches, from every host it was fetched from,
 * keeping a library another cached model still needs. It reads no file and fetches nothing, so it
 * works offline (WebLLM's own `deleteModelAllInfoInCache` fetches `tensor-cache.json` when that is
 * not cached under the URL it is given, and throws without a network).
 */
async function deleteModel(modelId: string): Promise<void> {
  const [model, config, wasm] = await Promise.all([
    caches.open(SCOPE.model),
    caches.open(SCOPE.config),
    caches.open(SCOPE.wasm),
  ]);
  const urls = async (cache: Cache) => (await cache.keys()).map((request) => request.url);
  const doomed = cacheEntriesOfModel(
    modelId,
    { model: await urls(model), config: await urls(config), wasm: await urls(wasm) },
    (id) => findModel(id)?.modelLib,
  );
  await Promise.all([
    ...doomed.model.map((url) => model.delete(url)),
    ...doomed.config.map((url) => config.delete(url)),
    ...doomed.wasm.map((url) => wasm.delete(url)),
  ]);
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
    case 'sift:probe':
      return answer(request.uuid, () => probeWorkerGpu(self.navigator.gpu));
    case 'sift:download':
      return answer(request.uuid, () => download(request.uuid, request.content.appConfig));
    case 'sift:hasModelInCache': {
      const config = request.content.appConfig;
      return answer(request.uuid, () => hasModelInCache(config.model_list[0].model_id, config as unknown as AppConfig));
    }
    case 'sift:deleteModel':
      return answer(request.uuid, () => deleteModel(request.content.modelId));
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
