import { NO_WEBGPU, type DeviceProbe } from '../core/device.ts';
import { messageOf } from '../core/text/error-message.ts';

const PROBE_TIMEOUT_MS = 4000;

/**
 * Asks the browser what its GPU can do. Never throws and never waits longer than a few seconds:
 * some drivers hang in `requestAdapter()`, and the rest of the app must not wait on them.
 */
export async function probeDevice(gpu: GPU | undefined = navigator.gpu): Promise<DeviceProbe> {
  const deviceMemoryGiB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? null;
  if (!gpu) {
    const problem = window.isSecureContext
      ? NO_WEBGPU.problem
      : 'WebGPU needs a secure page (https:// or localhost), so the on-device model cannot run here.';
    return { ...NO_WEBGPU, deviceMemoryGiB, problem };
  }
  try {
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), PROBE_TIMEOUT_MS);
    if (!adapter) {
      return {
        ...NO_WEBGPU,
        webgpu: true,
        deviceMemoryGiB,
        problem: 'WebGPU is present but no graphics adapter is available (it may be turned off or blocklisted).',
      };
    }
    const info = adapter.info;
    return {
      webgpu: true,
      adapter: {
        vendor: info.vendor || 'unknown vendor',
        architecture: info.architecture || '',
        description: info.description || '',
        isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
      },
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      deviceMemoryGiB,
      problem: null,
    };
  } catch (error) {
    return {
      ...NO_WEBGPU,
      webgpu: true,
      deviceMemoryGiB,
      problem: `WebGPU did not answer: ${messageOf(error)}`,
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no adapter after ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
