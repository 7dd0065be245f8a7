/**
 * What WebLLM 0.2.86 demands of a WebGPU adapter before it can load any model, and how a shortfall
 * is told to a person. WebLLM checks these only inside `reload()`, after the weights are downloaded
 * (`detectGPUDevice`, `node_modules/@mlc-ai/web-llm/lib/index.js`):
 *   - L4775–4790: `maxBufferSize` 1 GiB, falling back to 256 MiB; below that it throws.
 *   - L4792–4806: `maxStorageBufferBindingSize` 1 GiB, falling back to 128 MiB; below that it throws.
 *   - L4808–4812: `maxComputeWorkgroupStorageSize` ≥ 32 KiB (32 << 10).
 *   - L4814–4818: `maxStorageBuffersPerShaderStage` ≥ 10 ("default is 8").
 *   - L4832 asks for `shader-f16` when the adapter has it; L18288–18291 throws `ShaderF16SupportError`
 *     only for records marked `required_features`, but every q4f16 build needs it (research §2).
 * Sift checks the same numbers from the model worker before the download starts.
 */

export const WEBLLM_GPU_MINIMUMS = {
  maxBufferSize: 256 * 2 ** 20,
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  maxComputeWorkgroupStorageSize: 32 * 2 ** 10,
  maxStorageBuffersPerShaderStage: 10,
} as const;

export type GpuLimitName = keyof typeof WEBLLM_GPU_MINIMUMS;

/** What the model worker found when it asked for an adapter. */
export interface WorkerGpuReport {
  /** `navigator.gpu` exists inside the worker (Firefox can switch workers off separately). */
  webgpu: boolean;
  /** An adapter was granted. */
  adapter: boolean;
  /** Why there is no adapter, when the browser said (a timeout, a rejection). */
  adapterProblem?: string;
  limits: Record<GpuLimitName, number>;
  features: string[];
  description: string;
}

const LIMIT_WORDS: Record<GpuLimitName, (value: string, need: string) => string> = {
  maxBufferSize: (value, need) => `large enough buffers (${value} allowed, WebLLM needs ${need})`,
  maxStorageBufferBindingSize: (value, need) =>
    `large enough storage bindings (${value} allowed, WebLLM needs ${need})`,
  maxComputeWorkgroupStorageSize: (value, need) =>
    `enough workgroup storage (${value} per shader, WebLLM needs ${need})`,
  maxStorageBuffersPerShaderStage: (value, need) =>
    `enough storage buffers per shader stage (${value}, WebLLM needs ${need})`,
};

const LIMIT_UNIT: Record<GpuLimitName, (value: number) => string> = {
  maxBufferSize: (bytes) => `${Math.floor(bytes / 2 ** 20)} MB`,
  maxStorageBufferBindingSize: (bytes) => `${Math.floor(bytes / 2 ** 20)} MB`,
  maxComputeWorkgroupStorageSize: (bytes) => `${Math.floor(bytes / 2 ** 10)} KB`,
  maxStorageBuffersPerShaderStage: String,
};

/** Each thing the device lacks for this model, in words; empty when it can run it. */
export function gpuShortfalls(report: WorkerGpuReport, needsShaderF16: boolean): string[] {
  if (!report.webgpu) {
    return [
      'WebGPU inside a Web Worker, where Sift runs the model (Firefox switches it on separately: dom.webgpu.workers.enabled in about:config)',
    ];
  }
  if (!report.adapter) return [`a WebGPU adapter${report.adapterProblem ? ` (${report.adapterProblem})` : ''}`];
  const lacking: string[] = [];
  for (const [name, need] of Object.entries(WEBLLM_GPU_MINIMUMS) as [GpuLimitName, number][]) {
    const value = report.limits[name];
    if (value >= need) continue;
    const shown = Number.isFinite(value) ? LIMIT_UNIT[name](value) : 'unknown';
    lacking.push(LIMIT_WORDS[name](shown, LIMIT_UNIT[name](need)));
  }
  if (needsShaderF16 && !report.features.includes('shader-f16')) {
    lacking.push('16-bit shaders (shader-f16), which this q4f16 build needs: pick its q4f32 build');
  }
  return lacking;
}

/** Thrown before any download when the worker's adapter cannot run the model. */
export class GpuUnsuitableError extends Error {
  override name = 'GpuUnsuitableError';
}

/** One sentence naming what is missing, for the model panel. */
export function describeShortfalls(report: WorkerGpuReport, shortfalls: string[]): string {
  const gpu = report.description ? ` (${report.description})` : '';
  return `Nothing was downloaded: this device’s GPU${gpu} lacks ${shortfalls.join('; ')}.`;
}
