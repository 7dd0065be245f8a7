/**
 * Asks for a WebGPU adapter from inside the model worker, where WebLLM will ask for it, and reads
 * the limits and features WebLLM needs (`src/core/engines/gpu-requirements.ts`). The page's own probe
 * is not enough: a browser may offer WebGPU to the page but not to workers (Firefox has a separate
 * setting), and this runs before the download so a device that cannot run the model learns it first.
 */
import { WEBLLM_GPU_MINIMUMS, type GpuLimitName, type WorkerGpuReport } from '../src/core/engines/gpu-requirements.ts';
import { messageOf } from '../src/core/text/error-message.ts';

/** Some drivers never answer `requestAdapter()`; the load must not wait on them forever. */
const ADAPTER_TIMEOUT_MS = 10_000;

type AdapterLike = Pick<GPUAdapter, 'limits' | 'features'> & { info?: Partial<GPUAdapterInfo> };
export type GpuLike = { requestAdapter(options?: GPURequestAdapterOptions): Promise<AdapterLike | null> };

export async function probeWorkerGpu(
  gpu: GpuLike | undefined,
  timeoutMs = ADAPTER_TIMEOUT_MS,
): Promise<WorkerGpuReport> {
  const none = Object.fromEntries(Object.keys(WEBLLM_GPU_MINIMUMS).map((name) => [name, 0])) as Record<
    GpuLimitName,
    number
  >;
  const empty: WorkerGpuReport = {
    webgpu: gpu !== undefined,
    adapter: false,
    limits: none,
    features: [],
    description: '',
  };
  if (!gpu) return empty;
  let adapter: AdapterLike | null;
  try {
    // The same preference WebLLM asks with (detectGPUDevice's default).
    adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs);
  } catch (error) {
    return { ...empty, adapterProblem: messageOf(error) };
  }
  if (!adapter) return empty;
  const limits = { ...none };
  for (const name of Object.keys(WEBLLM_GPU_MINIMUMS) as GpuLimitName[]) limits[name] = Number(adapter.limits[name]);
  const info = adapter.info ?? {};
  return {
    webgpu: true,
    adapter: true,
    limits,
    features: [...adapter.features],
    description: info.description || [info.vendor, info.architecture].filter(Boolean).join(' '),
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from requestAdapter() after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type AdapterClassLike = { prototype: { requestDevice(descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> } };

/**
 * Calls `onLost` when a GPU device created in this realm is lost, by wrapping `requestDevice`:
 * WebLLM holds its device privately, so this is the only way to watch it. A device destroyed on
 * purpose (WebLLM does so on unload and reload) is not a loss. Some platforms never settle
 * `device.lost`; the page's watchdog covers those.
 */
export function watchLostDevices(adapterClass: AdapterClassLike | undefined, onLost: (message: string) => void): void {
  if (!adapterClass) return;
  const requestDevice = adapterClass.prototype.requestDevice;
  adapterClass.prototype.requestDevice = async function (this: unknown, descriptor?: GPUDeviceDescriptor) {
    const device = await requestDevice.call(this, descriptor);
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') onLost(info.message);
    });
    return device;
  };
}
