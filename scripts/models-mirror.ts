/**
 * `npm run models:mirror -- MODEL_ID DIR [--hub URL] [--lib-host URL] [--lib FILE]`
 *
 * Downloads one model's files into the layout Sift's "model base URL" expects, for a team that
 * serves weights from its own host (run it on a machine with internet, then upload DIR):
 *
 *   DIR/<model id>/resolve/main/mlc-chat-config.json, tensor-cache.json, params_shard_*.bin, tokenizer files
 *   DIR/libs/<model library>.wasm   (the build for WebLLM 0.2.86)
 *
 * Re-running resumes: files already there with the right size are kept. Each file is written to a
 * temporary name and renamed when complete, so an interrupted run never leaves a truncated shard.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CATALOGUE, DEFAULT_MODEL_HOST, DEFAULT_MODEL_LIB_HOST, findModel } from '../src/core/engines/catalogue.ts';
import {
  CHAT_CONFIG_FILE,
  TENSOR_CACHE_FILE,
  checkLibraryHeader,
  checkTokenizer,
  readChatConfig,
  readTensorCache,
  tokenizerFileWebLLMReads,
} from '../src/core/engines/model-files.ts';

export interface MirrorOptions {
  modelId: string;
  dir: string;
  /** Where `<model id>/resolve/main/` lives; the public hub by default. */
  hub?: string;
  /** Where model libraries live; WebLLM 0.2.86's library folder by default. */
  libHost?: string;
  /** The library file, for a model outside Sift's catalogue. */
  lib?: string;
  log?: (line: string) => void;
}

export interface MirrorSummary {
  files: number;
  downloadedBytes: number;
  keptBytes: number;
}

export class MirrorError extends Error {
  override name = 'MirrorError';
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new MirrorError(`Could not reach ${new URL(url).host} for ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new MirrorError(`HTTP ${response.status} for ${url}`);
  return response;
}

async function download(url: string, target: string): Promise<number> {
  const response = await fetchOk(url);
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  try {
    if (!response.body) throw new MirrorError(`Empty answer for ${url}`);
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      createWriteStream(partial),
    );
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return (await sizeOf(target)) ?? 0;
}

async function readText(url: string): Promise<string> {
  return (await fetchOk(url)).text();
}

export async function mirrorModel(options: MirrorOptions): Promise<MirrorSummary> {
  const log = options.log ?? (() => undefined);
  const entry = findModel(options.modelId);
  const lib = options.lib ?? entry?.modelLib;
  if (!lib) {
    throw new MirrorError(
      `${options.modelId} is not in Sift's catalogue, so its model library is unknown. Pass --lib FILE.wasm, or use one of: ${CATALOGUE.map((model) => model.id).join(', ')}`,
    );
  }
  const hub = new URL(options.hub ?? DEFAULT_MODEL_HOST);
  const libHost = new URL(options.libHost ?? DEFAULT_MODEL_LIB_HOST);
  const source = new URL(`${options.modelId}/resolve/main/`, hub);
  const modelDir = join(resolve(options.dir), options.modelId, 'resolve', 'main');
  const summary: MirrorSummary = { files: 0, downloadedBytes: 0, keptBytes: 0 };

  // The two manifests are small and decide everything else: always fetched fresh, checked, then written.
  const configText = await readText(new URL(CHAT_CONFIG_FILE, source).href);
  const chatConfig = readChatConfig(configText, `${options.modelId}/${CHAT_CONFIG_FILE}`);
  const listingText = await readText(new URL(TENSOR_CACHE_FILE, source).href);
  const shards = readTensorCache(listingText, `${options.modelId}/${TENSOR_CACHE_FILE}`);
  await mkdir(modelDir, { recursive: true });
  await writeFile(join(modelDir, CHAT_CONFIG_FILE), configText);
  await writeFile(join(modelDir, TENSOR_CACHE_FILE), listingText);
  // WebLLM up to 0.2.79 read the same listing under its old name; the hub carries both.
  await writeFile(join(modelDir, 'ndarray-cache.json'), listingText);
  summary.files += 3;

  const required = tokenizerFileWebLLMReads(chatConfig);
  if (!required) {
    throw new MirrorError(`${options.modelId}: tokenizer_files names neither tokenizer.json nor tokenizer.model.`);
  }
  // The same checks the browser makes before it caches these files: a mirror must not serve an error page.
  const checkFile = async (job: { url: string; target: string; kind?: 'tokenizer' | 'library' }) => {
    if (!job.kind) return;
    const body = new Uint8Array(await readFile(job.target));
    if (job.kind === 'library') checkLibraryHeader(body.subarray(0, 64), job.url);
    else checkTokenizer(job.target, body, job.url);
  };
  const jobs: {
    url: string;
    target: string;
    expected?: number;
    optional: boolean;
    kind?: 'tokenizer' | 'library';
  }[] = [
    ...shards.map((shard) => ({
      url: new URL(shard.dataPath, source).href,
      target: join(modelDir, shard.dataPath),
      expected: shard.nbytes,
      optional: false,
    })),
    ...chatConfig.tokenizerFiles.map((file) => ({
      url: new URL(file, source).href,
      target: join(modelDir, file),
      optional: file !== required,
      ...(file === required ? { kind: 'tokenizer' as const } : {}),
    })),
    {
      url: new URL(lib, libHost).href,
      target: join(resolve(options.dir), 'libs', lib),
      optional: false,
      kind: 'library' as const,
    },
  ];

  const total = shards.reduce((sum, shard) => sum + shard.nbytes, 0);
  log(
    `${options.modelId}: ${shards.length} shards, ${(total / 2 ** 20).toFixed(1)} MB of weights, from ${source.href}`,
  );
  for (const job of jobs) {
    const existing = await sizeOf(job.target);
    if (existing !== undefined && existing > 0 && (job.expected === undefined || existing === job.expected)) {
      summary.keptBytes += existing;
      summary.files += 1;
      continue;
    }
    try {
      const bytes = await download(job.url, job.target);
      if (job.expected !== undefined && bytes !== job.expected) {
        await rm(job.target, { force: true });
        throw new MirrorError(`${job.url} has ${bytes} bytes; tensor-cache.json says ${job.expected}.`);
      }
      try {
        await checkFile(job);
      } catch (error) {
        await rm(job.target, { force: true });
        throw error;
      }
      summary.downloadedBytes += bytes;
      summary.files += 1;
      log(`  ${job.target.slice(resolve(options.dir).length + 1)} (${(bytes / 2 ** 20).toFixed(1)} MB)`);
    } catch (error) {
      if (!job.optional) throw error;
      log(`  skipped ${job.url}: ${(error as Error).message} (WebLLM does not read it)`);
    }
  }
  return summary;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { hub: { type: 'string' }, 'lib-host': { type: 'string' }, lib: { type: 'string' } },
  });
  const [modelId, dir] = positionals;
  if (!modelId || !dir) {
    console.error('Usage: npm run models:mirror -- MODEL_ID DIR [--hub URL] [--lib-host URL] [--lib FILE.wasm]');
    console.error(`Models: ${CATALOGUE.map((model) => model.id).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  try {
    const summary = await mirrorModel({
      modelId,
      dir,
      ...(values.hub ? { hub: values.hub } : {}),
      ...(values['lib-host'] ? { libHost: values['lib-host'] } : {}),
      ...(values.lib ? { lib: values.lib } : {}),
      log: (line) => console.log(line),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${summary.files} files: ${(summary.downloadedBytes / 2 ** 20).toFixed(1)} MB downloaded, ${(summary.keptBytes / 2 ** 20).toFixed(1)} MB kept, in ${seconds.toFixed(1)} s.`,
    );
    console.log(`Serve ${resolve(dir)} and set Sift's model base URL to the address of that folder.`);
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
