import { describe, expect, it } from 'vitest';
import { gpuReport } from './gpu-report-factory.ts';
import { describeShortfalls, gpuShortfalls, WEBLLM_GPU_MINIMUMS } from './gpu-requirements.ts';

/** SwiftShader in Chromium reports exactly WebLLM's minimum for the two shader limits. */
const swiftShader = gpuReport({ features: ['subgroups'] });

describe('gpuShortfalls (WebLLM 0.2.86 detectGPUDevice, lib L4775–4818)', () => {
  it('has WebLLM’s numbers', () => {
    expect(WEBLLM_GPU_MINIMUMS).toEqual({
      maxBufferSize: 268435456,
      maxStorageBufferBindingSize: 134217728,
      maxComputeWorkgroupStorageSize: 32768,
      maxStorageBuffersPerShaderStage: 10,
    });
  });

  it('passes an adapter at exactly the minimums, and a q4f32 build without shader-f16', () => {
    expect(gpuShortfalls(swiftShader, false)).toEqual([]);
  });

  it('names each limit below WebLLM’s with the value found and the value needed', () => {
    const weak = {
      ...swiftShader,
      limits: {
        maxBufferSize: 128 * 2 ** 20,
        maxStorageBufferBindingSize: 64 * 2 ** 20,
        maxComputeWorkgroupStorageSize: 16384,
        maxStorageBuffersPerShaderStage: 8,
      },
    };
    expect(gpuShortfalls(weak, false)).toEqual([
      'large enough buffers (128 MB allowed, WebLLM needs 256 MB)',
      'large enough storage bindings (64 MB allowed, WebLLM needs 128 MB)',
      'enough workgroup storage (16 KB per shader, WebLLM needs 32 KB)',
      'enough storage buffers per shader stage (8, WebLLM needs 10)',
    ]);
  });

  it('asks for shader-f16 only for a build that needs it', () => {
    expect(gpuShortfalls(swiftShader, true)).toEqual([expect.stringMatching(/shader-f16.*q4f32/)]);
    expect(gpuShortfalls({ ...swiftShader, features: ['shader-f16'] }, true)).toEqual([]);
  });

  it('says when the worker has no WebGPU at all (Firefox’s separate setting) or no adapter', () => {
    const noWorkerGpu = { ...swiftShader, webgpu: false, adapter: false };
    expect(gpuShortfalls(noWorkerGpu, false)[0]).toMatch(/Web Worker.*dom\.webgpu\.workers\.enabled/);
    expect(gpuShortfalls({ ...swiftShader, adapter: false, adapterProblem: 'timed out' }, false)).toEqual([
      'a WebGPU adapter (timed out)',
    ]);
  });

  it('describes the shortfall in one sentence that says nothing was downloaded', () => {
    const weak = { ...swiftShader, limits: { ...swiftShader.limits, maxStorageBuffersPerShaderStage: 8 } };
    expect(describeShortfalls(weak, gpuShortfalls(weak, false))).toBe(
      'Nothing was downloaded: this device’s GPU (google swiftshader) lacks enough storage buffers per shader stage (8, WebLLM needs 10).',
    );
  });
});
