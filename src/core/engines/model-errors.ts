/**
 * Turns what went wrong loading or running the on-device model into words a person can act on.
 * WebLLM's worker sends errors as strings (`err.toString()`, e.g. "WebGPUNotAvailableError: …"),
 * so this matches on names and known phrases rather than on classes.
 */

export type ModelProblemKind =
  | 'no-webgpu'
  | 'no-adapter'
  | 'gpu-limits'
  | 'shader-f16'
  | 'device-lost'
  | 'model-lost'
  | 'storage-full'
  | 'download-failed'
  | 'download-corrupt'
  | 'blocked'
  | 'not-a-model'
  | 'cancelled'
  | 'unknown';

export interface ModelProblem {
  kind: ModelProblemKind;
  /** One sentence: what happened. */
  title: string;
  /** What to do next, most useful first. */
  nextSteps: string[];
  /** The engine's own words, for a bug report. */
  detail: string;
}

export interface ExplainContext {
  /** A fallback model is switched on in Settings. */
  fallbackConfigured?: boolean;
}

/** Why a model that was ready stopped being usable. */
export type ModelLossReason = 'device-lost' | 'hung' | 'worker-crashed';

/**
 * The loaded model is gone: the GPU device was lost (WebLLM then unloads the model and answers
 * later calls with `ModelNotLoadedError`), the GPU stopped answering and Sift stopped the worker,
 * or the worker crashed. Reloading brings it back from the browser cache.
 */
export class ModelLostError extends Error {
  override name = 'ModelLostError';
  constructor(
    readonly reason: ModelLossReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * WebLLM's ways of saying the model it had is gone, as they reach the page (strings): its own
 * `ModelNotLoadedError` after a device loss unloaded it, `DeviceLostError`, and WebGPU's
 * "Device lost"/"Device is lost" operation errors from a generation in flight.
 */
const LOSS =
  /ModelLostError|\bModelNotLoadedError|WorkerEngineModelNotLoadedError|DeviceLostError|device (is |was )?lost/i;

export function isModelLoss(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return LOSS.test(text);
}

const RULES: { kind: ModelProblemKind; test: RegExp }[] = [
  // Sift's own errors first: their messages are free text that may contain other rules' words.
  { kind: 'gpu-limits', test: /^GpuUnsuitableError\b/ },
  { kind: 'model-lost', test: /^ModelLostError\b/ },
  { kind: 'storage-full', test: /^StorageFullError\b/ },
  { kind: 'download-corrupt', test: /^DownloadSizeError\b/ },
  { kind: 'not-a-model', test: /^NotAModelError\b/ },
  { kind: 'cancelled', test: /\bAbortError\b|\bcancell?ed\b/i },
  { kind: 'blocked', test: /EgressRefusedError|blocked a request/i },
  { kind: 'no-webgpu', test: /WebGPUNotAvailableError|navigator\.gpu/i },
  { kind: 'no-adapter', test: /Unable to find a compatible GPU|no (graphics )?adapter/i },
  { kind: 'gpu-limits', test: /Cannot initialize runtime because of requested max/i },
  { kind: 'shader-f16', test: /ShaderF16SupportError|shader-f16|FeatureSupportError/i },
  { kind: 'storage-full', test: /QuotaExceededError|StorageFullError|quota/i },
  { kind: 'model-lost', test: /\bModelNotLoadedError|WorkerEngineModelNotLoadedError/ },
  { kind: 'device-lost', test: /DeviceLostError|device (was )?lost|out of memory|\bOOM\b/i },
  { kind: 'not-a-model', test: /NotAModelError|WebAssembly|CompileError|LinkError|magic word|is not a function/i },
  { kind: 'download-failed', test: /DownloadError|Failed to fetch|NetworkError|Cache\.add|HTTP \d{3}|Cannot fetch/i },
];

export function classifyModelError(raw: string): ModelProblemKind {
  return RULES.find((rule) => rule.test.test(raw))?.kind ?? 'unknown';
}

/** Errors whose message Sift wrote for people (with the numbers that matter) serve as the title. */
const SELF_EXPLAINING = new Set(['StorageFullError', 'GpuUnsuitableError', 'DownloadSizeError', 'ModelLostError']);

export function explainModelError(error: unknown, context: ExplainContext = {}): ModelProblem {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const kind = classifyModelError(detail);
  const ownWords = error instanceof Error && SELF_EXPLAINING.has(error.name) ? error.message : undefined;
  const fallback = context.fallbackConfigured
    ? 'Use the fallback model you switched on in Settings.'
    : 'Switch on a fallback model in Settings (your own server or a cloud endpoint).';
  const toolsOnly = 'Keep working in tools-only mode: links are still found, ranked and checked against your CRM.';
  const smaller = 'Pick a smaller model (Qwen3 0.6B or 1.7B) or its q4f32 build.';
  switch (kind) {
    case 'cancelled':
      return { kind, title: 'Loading was cancelled.', nextSteps: ['Press “Load model” to start again.'], detail };
    case 'blocked':
      return {
        kind,
        title: 'Sift blocked the model download: that host is not allowed.',
        nextSteps: ['Check the model base URL in the model settings, then load again.', toolsOnly],
        detail,
      };
    case 'no-webgpu':
      return {
        kind,
        title: 'This browser does not offer WebGPU, so the on-device model cannot run here.',
        nextSteps: ['Open Sift in a recent Chrome or Edge (113+), over https://.', fallback, toolsOnly],
        detail,
      };
    case 'no-adapter':
      return {
        kind,
        title: 'WebGPU is present but no graphics adapter is available (turned off or blocklisted).',
        nextSteps: ['Turn on hardware acceleration in the browser settings and reload the page.', fallback, toolsOnly],
        detail,
      };
    case 'gpu-limits':
      return {
        kind,
        title: ownWords ?? 'This GPU’s limits are too small for the model runtime.',
        nextSteps: [smaller, fallback, toolsOnly],
        detail,
      };
    case 'shader-f16':
      return {
        kind,
        title: 'This GPU lacks 16-bit shaders (shader-f16), which q4f16 models need.',
        nextSteps: ['Pick the q4f32 build of the same model.', fallback],
        detail,
      };
    case 'device-lost':
      return {
        kind,
        title: 'The GPU gave up while loading or running the model, most likely out of memory.',
        nextSteps: [smaller, 'Close other tabs that use the GPU, then load again.', fallback, toolsOnly],
        detail,
      };
    case 'model-lost':
      return {
        kind,
        title: ownWords ?? 'The GPU dropped the model, so it is no longer loaded.',
        nextSteps: [
          'Press “Reload model”: the files are in the browser cache, so nothing is downloaded again.',
          'If it happens again, close other tabs or apps that use the GPU, or pick a smaller model.',
          fallback,
          toolsOnly,
        ],
        detail,
      };
    case 'storage-full':
      return {
        kind,
        title: ownWords ?? 'The browser has no room left to store the model.',
        nextSteps: [
          'Delete cached models you no longer use (listed below), or free space in the browser’s site data.',
          smaller,
        ],
        detail,
      };
    case 'download-failed':
      return {
        kind,
        title: 'The model download failed.',
        nextSteps: [
          'Check the connection (or the model base URL, if you host the weights) and load again: finished files are kept.',
          fallback,
          toolsOnly,
        ],
        detail,
      };
    case 'download-corrupt':
      return {
        kind,
        title: ownWords ?? 'A model file arrived different from the model’s listing, so Sift stored none of it.',
        nextSteps: [
          'Load again: finished files are kept and only the damaged one is fetched again.',
          'If you host the weights, mirror them again with `npm run models:mirror`.',
          toolsOnly,
        ],
        detail,
      };
    case 'not-a-model':
      return {
        kind,
        title: 'The downloaded files are not a model this version of Sift can run.',
        nextSteps: [
          'If you host the weights, mirror them again with `npm run models:mirror` (the library must be for WebLLM 0.2.86).',
          'Otherwise delete this model below and load it again.',
          toolsOnly,
        ],
        detail,
      };
    default:
      return {
        kind,
        title: 'The on-device model could not be loaded.',
        nextSteps: [smaller, fallback, toolsOnly],
        detail,
      };
  }
}
