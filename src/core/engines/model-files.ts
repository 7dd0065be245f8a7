/**
 * The files a WebLLM model folder holds and how to read its two manifests. Shared by the worker's
 * downloader and `npm run models:mirror`, so both fetch exactly what WebLLM 0.2.86 will read:
 * `mlc-chat-config.json`, `tensor-cache.json`, every shard it lists and the tokenizer.
 */

export const CHAT_CONFIG_FILE = 'mlc-chat-config.json';
/** Since 0.2.80 WebLLM reads `tensor-cache.json` (earlier versions read `ndarray-cache.json`). */
export const TENSOR_CACHE_FILE = 'tensor-cache.json';

/** The served files are not a model WebLLM can load; says which file and why. */
export class NotAModelError extends Error {
  override name = 'NotAModelError';
}

export interface ChatConfigSummary {
  tokenizerFiles: string[];
  contextWindow: number | null;
}

export interface TensorShard {
  dataPath: string;
  nbytes: number;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A file name inside the model folder: no way up or out of it. */
function isPlainFileName(name: string): boolean {
  return name.length > 0 && !name.includes('..') && !name.startsWith('/') && !/^[a-z]+:/i.test(name);
}

export function readChatConfig(text: string, where: string): ChatConfigSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotAModelError(`${where} is not JSON, so it is not a model’s ${CHAT_CONFIG_FILE}.`);
  }
  const config = asRecord(parsed);
  const files = config?.tokenizer_files;
  if (!config || !Array.isArray(files) || !files.every((file) => typeof file === 'string')) {
    throw new NotAModelError(`${where} has no tokenizer_files list, so it is not a model’s ${CHAT_CONFIG_FILE}.`);
  }
  const tokenizerFiles = (files as string[]).filter(isPlainFileName);
  const window = config.context_window_size;
  return { tokenizerFiles, contextWindow: typeof window === 'number' ? window : null };
}

export function readTensorCache(text: string, where: string): TensorShard[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotAModelError(`${where} is not JSON, so it is not a model’s weight listing.`);
  }
  const records = asRecord(parsed)?.records;
  if (!Array.isArray(records) || records.length === 0) {
    throw new NotAModelError(`${where} lists no weight shards (no "records").`);
  }
  return records.map((record, index) => {
    const shard = asRecord(record);
    const dataPath = shard?.dataPath;
    const nbytes = shard?.nbytes;
    if (typeof dataPath !== 'string' || !isPlainFileName(dataPath) || typeof nbytes !== 'number' || nbytes < 0) {
      throw new NotAModelError(`${where}: shard ${index + 1} has no valid dataPath and nbytes.`);
    }
    return { dataPath, nbytes };
  });
}

/** The tokenizer file WebLLM will fetch: `tokenizer.json`, else `tokenizer.model`. */
export function tokenizerFileWebLLMReads(summary: ChatConfigSummary): string | undefined {
  return ['tokenizer.json', 'tokenizer.model'].find((file) => summary.tokenizerFiles.includes(file));
}

/** The four bytes every WebAssembly module starts with: `\0asm`. */
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Refuses a model library whose first bytes are not WebAssembly's (an error page, a wrong file). */
export function checkLibraryHeader(firstBytes: Uint8Array, where: string): void {
  if (WASM_MAGIC.every((byte, index) => firstBytes[index] === byte)) return;
  const shown = new TextDecoder().decode(firstBytes.subarray(0, 24)).replace(/\s+/g, ' ');
  throw new NotAModelError(
    `${where} is not WebAssembly (it starts with “${shown}”), so it is not a model library.` +
      (looksLikeHtml(firstBytes) ? ' The server answered with a web page instead.' : ''),
  );
}

/** An HTML page where a file was expected: a host's "not found" page served with status 200. */
export function looksLikeHtml(firstBytes: Uint8Array): boolean {
  const start = new TextDecoder().decode(firstBytes.subarray(0, 64)).trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head');
}

/**
 * Checks a tokenizer before it is stored: `tokenizer.json` must be a Hugging Face tokenizer (JSON
 * with a `model`), `tokenizer.model` (SentencePiece, binary) must at least not be a web page.
 */
export function checkTokenizer(file: string, body: Uint8Array, where: string): void {
  if (file.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new NotAModelError(`${where} is not JSON, so it is not the model’s tokenizer.`);
    }
    if (!asRecord(asRecord(parsed)?.model)) {
      throw new NotAModelError(`${where} has no "model" section, so it is not a tokenizer.`);
    }
    return;
  }
  if (body.byteLength === 0 || looksLikeHtml(body)) {
    throw new NotAModelError(
      `${where} is ${body.byteLength === 0 ? 'empty' : 'a web page'}, not the model’s tokenizer.`,
    );
  }
}

/** A model's entries in WebLLM's three caches, keyed by the files' URLs. */
export interface ModelCacheKeys {
  model: string[];
  config: string[];
  wasm: string[];
}

/**
 * The cache entries to remove when deleting `modelId`: its weights and tokenizer (`webllm/model`)
 * and config (`webllm/config`) under every host it came from, found by the `<id>/resolve/` part of
 * their URLs, and its library (`webllm/wasm`) unless another model still in the cache uses the same
 * one (several models share a library). Needs no network: it works on cache keys only.
 */
export function cacheEntriesOfModel(
  modelId: string,
  keys: ModelCacheKeys,
  libraryOf: (modelId: string) => string | undefined,
): ModelCacheKeys {
  const marker = `/${modelId}/resolve/`;
  const othersStillCached = new Set<string>();
  for (const url of keys.model) {
    const other = modelIdOfWeightUrl(url);
    if (other && other !== modelId) othersStillCached.add(other);
  }
  const keptLibraries = new Set([...othersStillCached].map(libraryOf).filter((lib) => lib !== undefined));
  const library = libraryOf(modelId);
  return {
    model: keys.model.filter((url) => url.includes(marker)),
    config: keys.config.filter((url) => url.includes(marker)),
    wasm: library ? keys.wasm.filter((url) => fileNameOf(url) === library && !keptLibraries.has(library)) : [],
  };
}

/** `…/<model id>/resolve/<revision>/<file>` → the model id. */
export function modelIdOfWeightUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  return /\/([^/]+)\/resolve\/[^/]+\/[^/]+$/.exec(path)?.[1];
}

function fileNameOf(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  return path.slice(path.lastIndexOf('/') + 1);
}
