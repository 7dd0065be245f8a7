import { describe, expect, it } from 'vitest';
import { gpuReport } from '../src/core/engines/gpu-report-factory.ts';
import { gpuShortfalls } from '../src/core/engines/gpu-requirements.ts';
import { probeWorkerGpu, watchLostDevices, type GpuLike } from './gpu-probe.ts';

/** A fake `navigator.gpu` whose adapter has the limits and features given. */
function fakeGpu(limits: Partial<GPUSupportedLimits>, features: string[] = []): GpuLike & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    async requestAdapter(options) {
      asked.push(options);
      return {
        limits: {
          maxBufferSize: 2 ** 30,
          maxStorageBufferBindingSize: 2 ** 30,
          maxComputeWorkgroupStorageSize: 32768,
          maxStorageBuffersPerShaderStage: 10,
          ...limits,
        } as GPUSupportedLimits,
        features: new Set(features) as unknown as GPUSupportedFeatures,
        info: { vendor: 'acme', architecture: 'tiny', description: '' },
      };
    },
  };
}

describe('probeWorkerGpu (the model worker’s adapter probe)', () => {
  it('reads the limits WebLLM checks from an adapter asked for as WebLLM asks', async () => {
    const gpu = fakeGpu({}, ['shader-f16']);
    const report = await probeWorkerGpu(gpu);
    expect(gpu.asked).toEqual([{ powerPreference: 'high-performance' }]);
    expect(report).toEqual(gpuReport({ features: ['shader-f16'], description: 'acme tiny' }));
    expect(gpuShortfalls(report, true)).toEqual([]);
  });

  it('finds an adapter with limits below WebLLM’s lacking, before anything is downloaded', async () => {
    const report = await probeWorkerGpu(
      fakeGpu({ maxStorageBuffersPerShaderStage: 8, maxComputeWorkgroupStorageSize: 16384 }),
    );
    expect(gpuShortfalls(report, true)).toEqual([
      'enough workgroup storage (16 KB per shader, WebLLM needs 32 KB)',
      'enough storage buffers per shader stage (8, WebLLM needs 10)',
      expect.stringMatching(/shader-f16/),
    ]);
  });

  it('reports a worker without WebGPU, no adapter, and a requestAdapter that never answers', async () => {
    expect(await probeWorkerGpu(undefined)).toMatchObject({ webgpu: false, adapter: false });
    expect(await probeWorkerGpu({ requestAdapter: async () => null })).toMatchObject({ webgpu: true, adapter: false });
    const hung = await probeWorkerGpu({ requestAdapter: () => new Promise(() => undefined) }, 20);
    expect(hung).toMatchObject({ adapter: false, adapterProblem: expect.stringMatching(/no answer/) });
  });
});

describe('watchLostDevices (the model worker hears of a lost GPU device WebLLM holds)', () => {
  /** A `GPUAdapter` class whose devices are lost when the test says, with the reason given. */
  function fakeAdapterClass() {
    const lose: ((info: GPUDeviceLostInfo) => void)[] = [];
    class FakeAdapter {
      async requestDevice(descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> {
        const lost = new Promise<GPUDeviceLostInfo>((resolve) => lose.push(resolve));
        return { label: descriptor?.label ?? '', lost } as unknown as GPUDevice;
      }
    }
    const loseDevice = (index: number, reason: GPUDeviceLostReason, message: string) =>
      lose[index]!({ reason, message } as GPUDeviceLostInfo);
    return { FakeAdapter, loseDevice };
  }

  it('reports a device lost for any reason but its own destruction, and still hands the device over', async () => {
    const { FakeAdapter, loseDevice } = fakeAdapterClass();
    const heard: string[] = [];
    watchLostDevices(FakeAdapter, (message) => heard.push(message));
    const adapter = new FakeAdapter();
    const device = await adapter.requestDevice({ label: 'webllm' });
    expect(device.label).toBe('webllm');
    await adapter.requestDevice();
    loseDevice(0, 'unknown', 'GPU process crashed');
    // WebLLM destroys its device itself on unload and reload: not a loss.
    loseDevice(1, 'destroyed', 'Device was destroyed.');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual(['GPU process crashed']);
  });

  it('does nothing where the worker has no WebGPU', () => {
    expect(() => watchLostDevices(undefined, () => undefined)).not.toThrow();
  });
});
