/** Test data: what the model worker's probe reports, for an adapter at exactly WebLLM 0.2.86's minimums. */
import { WEBLLM_GPU_MINIMUMS, type WorkerGpuReport } from './gpu-requirements.ts';

/** Like SwiftShader in Chromium (no shader-f16), with larger buffers; `overrides` change any part. */
export function gpuReport(overrides: Partial<WorkerGpuReport> = {}): WorkerGpuReport {
  return {
    webgpu: true,
    adapter: true,
    limits: { ...WEBLLM_GPU_MINIMUMS, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    features: [],
    description: 'google swiftshader',
    ...overrides,
  };
}
