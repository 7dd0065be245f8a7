/**
 * The on-device models Sift offers: tool-capable small models from WebLLM 0.2.86's prebuilt list,
 * each in the two 4-bit builds (`q4f16_1` needs the GPU's `shader-f16`; `q4f32_1` runs anywhere).
 *
 * Figures come from WebLLM 0.2.86's `prebuiltAppConfig` (model id, `vram_required_MB`,
 * `low_resource_required`, context window, model library) and from the BFCL leaderboard snapshots
 * recorded in `shared/research/benchmarks.md`. Download sizes are estimates from the parameter
 * count (4 bits per weight plus one scale per 32 weights); the exact total is in the model's
 * `tensor-cache.json` and the progress bar shows it once a download starts.
 */
import type { DeviceProbe } from '../device.ts';
import { WEBLLM_GPU_MINIMUMS } from './gpu-requirements.ts';

export type Quantization = 'q4f16_1' | 'q4f32_1';

/** WebLLM 0.2.86 reads model libraries from this folder only: the wasm must match the npm version. */
export const MODEL_LIB_VERSION = 'v0_2_86';
export const DEFAULT_MODEL_HOST = 'https://huggingface.co/mlc-ai/';
export const DEFAULT_MODEL_LIB_HOST = `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/${MODEL_LIB_VERSION}/base/`;

export interface CatalogueEntry {
  /** WebLLM's model id, also the folder name under a model base URL. */
  id: string;
  /** The model as a person names it, e.g. "Qwen3 1.7B". */
  name: string;
  quantization: Quantization;
  paramsB: number;
  /** Approximate download in MB (see the file comment). */
  downloadMB: number;
  /** WebLLM's `vram_required_MB`: GPU memory the model and its KV cache take. */
  vramMB: number;
  contextWindow: number;
  needsShaderF16: boolean;
  /** WebLLM marks it runnable on devices with small buffer limits. */
  lowResource: boolean;
  /** The model library wasm under `v0_2_86/base/`; several models share one. */
  modelLib: string;
  /** The only ones WebLLM's native `tools` accepts; Sift uses JSON-schema output for every model. */
  nativeTools: boolean;
  /** Published tool-calling strength, one line. */
  toolCalling: string;
}

interface Family {
  name: string;
  /** Weight folder stem: `${stem}-${quantization}-MLC`. */
  stem: string;
  paramsB: number;
  vramMB: Record<Quantization, number>;
  lowResource: boolean;
  contextWindow: number;
  /** Library stem: `${lib}-${quantization}_cs1k-webgpu.wasm`. */
  lib: string;
  nativeTools?: boolean;
  idSuffix?: string;
  toolCalling: string;
}

// BFCL: "NL-AST / simple_python / irrelevance" are the non-live AST average, simple_python and
// irrelevance scores in %, from the leaderboard snapshots cited in benchmarks.md §2.
const FAMILIES: Family[] = [
  {
    name: 'Qwen3 0.6B',
    stem: 'Qwen3-0.6B',
    paramsB: 0.6,
    vramMB: { q4f16_1: 1403, q4f32_1: 1925 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Qwen3-0.6B',
    toolCalling: 'BFCL v3 47.3; NL-AST 71.8, simple 86.5, irrelevance 82.5. Fine for single calls, weak at multi-step.',
  },
  {
    name: 'Qwen3 1.7B',
    stem: 'Qwen3-1.7B',
    paramsB: 1.72,
    vramMB: { q4f16_1: 2037, q4f32_1: 2635 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Qwen3-1.7B',
    toolCalling: 'BFCL v3 54.7; NL-AST 82.9, simple 91.0, irrelevance 80.0. Good single calls at a small size.',
  },
  {
    name: 'Qwen3 4B',
    stem: 'Qwen3-4B',
    paramsB: 4.02,
    vramMB: { q4f16_1: 3432, q4f32_1: 4328 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Qwen3-4B',
    toolCalling: 'BFCL v3 63.4; NL-AST 87.9, simple 95.5, irrelevance 88.8. Best tool use per GB here.',
  },
  {
    name: 'Qwen3 8B',
    stem: 'Qwen3-8B',
    paramsB: 8.19,
    vramMB: { q4f16_1: 5696, q4f32_1: 6853 },
    lowResource: false,
    contextWindow: 4096,
    lib: 'Qwen3-8B',
    toolCalling: 'BFCL v3 66.3; NL-AST 87.6, simple 95.5, irrelevance 81.7; multi-turn 41.8 %. Strongest here.',
  },
  {
    name: 'Qwen2.5 1.5B Instruct',
    stem: 'Qwen2.5-1.5B-Instruct',
    paramsB: 1.54,
    vramMB: { q4f16_1: 1630, q4f32_1: 1889 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Qwen2-1.5B-Instruct',
    toolCalling: 'BFCL v3 47.8; NL-AST 79.1, simple 92.3, irrelevance 64.6. Calls tools when it should not.',
  },
  {
    name: 'Qwen2.5 3B Instruct',
    stem: 'Qwen2.5-3B-Instruct',
    paramsB: 3.09,
    vramMB: { q4f16_1: 2505, q4f32_1: 2894 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Qwen2.5-3B-Instruct',
    toolCalling: 'BFCL v3 50.4; NL-AST 78.8, simple 96.0, irrelevance 63.3; When2Call BFCL-Live AST 54.8.',
  },
  {
    name: 'Qwen2.5 7B Instruct',
    stem: 'Qwen2.5-7B-Instruct',
    paramsB: 7.62,
    vramMB: { q4f16_1: 5107, q4f32_1: 5900 },
    lowResource: false,
    contextWindow: 4096,
    lib: 'Qwen2-7B-Instruct',
    toolCalling: 'BFCL v3 55.8; NL-AST 85.7, simple 95.5, irrelevance 65.8; When2Call BFCL-Live AST 64.1.',
  },
  {
    name: 'Llama 3.2 1B Instruct',
    stem: 'Llama-3.2-1B-Instruct',
    paramsB: 1.24,
    vramMB: { q4f16_1: 879, q4f32_1: 1129 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Llama-3.2-1B-Instruct',
    toolCalling: 'BFCL v3 22.0; NL-AST 38.4, simple 75.0, irrelevance 35.8. Smallest download, weakest tool use.',
  },
  {
    name: 'Llama 3.2 3B Instruct',
    stem: 'Llama-3.2-3B-Instruct',
    paramsB: 3.21,
    vramMB: { q4f16_1: 2264, q4f32_1: 2952 },
    lowResource: true,
    contextWindow: 4096,
    lib: 'Llama-3.2-3B-Instruct',
    toolCalling: 'BFCL v3 45.9; NL-AST 82.7, simple 92.0, irrelevance 62.5. 4-bit quantisation costs it BFCL points.',
  },
  {
    name: 'Llama 3.1 8B Instruct',
    stem: 'Llama-3.1-8B-Instruct',
    paramsB: 8.03,
    vramMB: { q4f16_1: 5001, q4f32_1: 6101 },
    lowResource: false,
    contextWindow: 4096,
    lib: 'Llama-3_1-8B-Instruct',
    toolCalling: 'BFCL v3 49.6 (prompt mode); NL-AST 84.0, simple 94.0, irrelevance 47.5. Over-calls tools.',
  },
  {
    name: 'Hermes 3 (Llama 3.1 8B)',
    stem: 'Hermes-3-Llama-3.1-8B',
    paramsB: 8.03,
    vramMB: { q4f16_1: 4876, q4f32_1: 5779 },
    lowResource: false,
    contextWindow: 4096,
    lib: 'Llama-3_1-8B-Instruct',
    nativeTools: true,
    toolCalling:
      'Not on BFCL; its predecessor Hermes-2-Pro-Llama-3-8B scores v3 47.3, NL-AST 76.8, irrelevance 58.8. Native tools in WebLLM.',
  },
];

const BYTES_PER_PARAM: Record<Quantization, number> = { q4f16_1: 4.5 / 8, q4f32_1: 5 / 8 };

export const QUANTIZATIONS: readonly Quantization[] = ['q4f16_1', 'q4f32_1'];

export const CATALOGUE: readonly CatalogueEntry[] = FAMILIES.flatMap((family) =>
  QUANTIZATIONS.map((quantization): CatalogueEntry => ({
    id: `${family.stem}-${quantization}-MLC${family.idSuffix ?? ''}`,
    name: family.name,
    quantization,
    paramsB: family.paramsB,
    downloadMB: Math.round((family.paramsB * 1e9 * BYTES_PER_PARAM[quantization]) / 2 ** 20),
    vramMB: family.vramMB[quantization],
    contextWindow: family.contextWindow,
    // WebLLM marks only some records, but every q4f16 build needs 16-bit shaders (research §2).
    needsShaderF16: quantization === 'q4f16_1',
    lowResource: family.lowResource,
    modelLib: `${family.lib}-${quantization}_cs1k-webgpu.wasm`,
    nativeTools: family.nativeTools ?? false,
    toolCalling: family.toolCalling,
  })),
);

export function findModel(id: string): CatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.id === id);
}

/** WebLLM asks for a 1 GiB buffer and binding and falls back to its minimums; below them nothing loads. */
const MIN_BUFFER = WEBLLM_GPU_MINIMUMS.maxBufferSize;
const MIN_BINDING = WEBLLM_GPU_MINIMUMS.maxStorageBufferBindingSize;
const FULL_LIMIT = 2 ** 30;

/** Best tool use first; the choice walks down until a model fits the device. */
const DEFAULT_PREFERENCE = ['Qwen3-4B', 'Qwen3-1.7B', 'Qwen3-0.6B'];

/** What Sift reckons the device can give a model, in MB of GPU memory. */
export function memoryBudgetMB(probe: DeviceProbe): number {
  // Integrated GPUs share system memory with the page; leave the browser half of it.
  // `navigator.deviceMemory` is rounded down (and capped at 8, 16 or 32 GiB depending on the
  // browser version); where it is missing, 4 GiB is assumed.
  const fromDevice = probe.deviceMemoryGiB === null ? 4096 : (probe.deviceMemoryGiB * 1024) / 2;
  const limited = probe.maxBufferSize < FULL_LIMIT || probe.maxStorageBufferBindingSize < FULL_LIMIT;
  return limited ? Math.min(fromDevice, 2560) : fromDevice;
}

/** Why no model can run, or null when one can. */
export function whyNoModel(probe: DeviceProbe): string | null {
  if (!probe.webgpu || !probe.adapter) return probe.problem ?? 'No WebGPU adapter is available.';
  if (probe.maxBufferSize < MIN_BUFFER || probe.maxStorageBufferBindingSize < MIN_BINDING) {
    return 'This GPU’s buffer limits are below what WebLLM needs (256 MB buffers, 128 MB bindings).';
  }
  return null;
}

export function quantizationFor(probe: DeviceProbe): Quantization {
  return probe.shaderF16 ? 'q4f16_1' : 'q4f32_1';
}

/** Whether this device can run this build at all (features), and whether it fits its memory. */
export function fitOf(entry: CatalogueEntry, probe: DeviceProbe): { runs: boolean; fits: boolean } {
  const runs = whyNoModel(probe) === null && (!entry.needsShaderF16 || probe.shaderF16);
  const limited = probe.maxBufferSize < FULL_LIMIT || probe.maxStorageBufferBindingSize < FULL_LIMIT;
  const fits = entry.vramMB <= memoryBudgetMB(probe) && (!limited || entry.lowResource);
  return { runs, fits };
}

/**
 * The model Sift suggests for this device: `q4f16` only where `shader-f16` exists, the best
 * Qwen3 that fits the memory budget, the smallest Qwen3 when nothing fits, and null where no
 * model can run at all (no WebGPU, no adapter, buffer limits below WebLLM's minimum).
 */
export function chooseDefaultModel(probe: DeviceProbe): CatalogueEntry | null {
  if (whyNoModel(probe) !== null) return null;
  const quantization = quantizationFor(probe);
  const candidates = DEFAULT_PREFERENCE.map((stem) => findModel(`${stem}-${quantization}-MLC`)!);
  return candidates.find((entry) => fitOf(entry, probe).fits) ?? candidates.at(-1)!;
}

export interface AppConfigOptions {
  /**
   * A self-hosted folder holding `<model id>/resolve/main/…` and `libs/<model lib>.wasm`.
   * Absolute (a worker cannot resolve relative URLs against the page); without it, the public hub.
   */
  modelBaseUrl?: string;
  /** The page's `document.baseURI`, to resolve a path-only base URL on the main thread. */
  pageBase?: string;
}

/** The one model record WebLLM needs, in its `AppConfig` shape (structured-clonable for the worker). */
export interface ModelRecordConfig {
  model_id: string;
  model: string;
  model_lib: string;
  vram_required_MB: number;
  low_resource_required: boolean;
  required_features?: string[];
  overrides: { context_window_size: number };
}

export interface AppConfigForModel {
  model_list: [ModelRecordConfig];
  cacheBackend: 'cache';
}

export class ModelBaseUrlError extends Error {
  override name = 'ModelBaseUrlError';
}

/**
 * Checks a model base URL a person typed; returns it absolute, with a trailing slash. A path
 * (`./models/`) is resolved against `pageBase` (the page's `document.baseURI`) when given, so a
 * team hosting weights beside the app can write it short; the worker only ever sees absolute URLs.
 */
export function normaliseModelBaseUrl(input: string, pageBase?: string): string {
  const trimmed = input.trim();
  if (!trimmed) throw new ModelBaseUrlError('The model base URL is empty.');
  let url: URL;
  try {
    url = new URL(trimmed, pageBase);
  } catch {
    throw new ModelBaseUrlError(
      `“${trimmed}” is not an absolute URL. Write the full address, e.g. https://models.example.com/sift/.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ModelBaseUrlError('The model base URL must start with https://.');
  }
  if (url.protocol === 'http:' && !plainHttpReachable(url, pageBase)) {
    throw new ModelBaseUrlError(
      `Sift cannot fetch from ${url.origin}: plain http:// is blocked by the page's security policy and the ` +
        `browser's mixed-content rule except on this machine (localhost, 127.0.0.1) or Sift's own address. ` +
        `Serve the folder over https://, or put it beside Sift (e.g. ./models/).`,
    );
  }
  if (url.search || url.hash) {
    throw new ModelBaseUrlError('The model base URL must be a plain folder address, without ? or #.');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * Plain http:// that the page can reach: its Content-Security-Policy (`connect-src 'self' https:
 * http://localhost:* http://127.0.0.1:*`, see index.html) allows only these, and a browser treats
 * localhost and 127.0.0.1 as secure, so an https:// page may fetch from them (mixed content).
 */
function plainHttpReachable(url: URL, pageBase: string | undefined): boolean {
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') return true;
  if (!pageBase) return false;
  try {
    return new URL(pageBase).origin === url.origin;
  } catch {
    return false;
  }
}

/** WebLLM's `AppConfig` for one catalogue model, every URL absolute. */
export function buildAppConfig(entry: CatalogueEntry, options: AppConfigOptions = {}): AppConfigForModel {
  const base = options.modelBaseUrl ? normaliseModelBaseUrl(options.modelBaseUrl, options.pageBase) : undefined;
  const model = base
    ? new URL(`${entry.id}/resolve/main/`, base).href
    : `${DEFAULT_MODEL_HOST}${entry.id}/resolve/main/`;
  const modelLib = base ? new URL(`libs/${entry.modelLib}`, base).href : `${DEFAULT_MODEL_LIB_HOST}${entry.modelLib}`;
  return {
    model_list: [
      {
        model_id: entry.id,
        model,
        model_lib: modelLib,
        vram_required_MB: entry.vramMB,
        low_resource_required: entry.lowResource,
        ...(entry.needsShaderF16 ? { required_features: ['shader-f16'] } : {}),
        overrides: { context_window_size: entry.contextWindow },
      },
    ],
    cacheBackend: 'cache',
  };
}

/** The hosts a model's files come from: the egress gate must allow exactly these. */
export function modelHosts(config: AppConfigForModel): string[] {
  const [record] = config.model_list;
  return [...new Set([new URL(record.model).origin, new URL(record.model_lib).origin])];
}
