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
