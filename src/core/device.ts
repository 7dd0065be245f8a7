/** What the device can do for an on-device model: the facts model choice depends on. */
export interface DeviceProbe {
  /** `navigator.gpu` exists (the browser ships WebGPU and the page is a secure context). */
  webgpu: boolean;
  /** An adapter was granted; without one no model can run here. */
  adapter: AdapterSummary | null;
  /** q4f16 models need it; without it Sift picks q4f32 variants. */
  shaderF16: boolean;
  /** Bytes; the largest single buffer, which caps the largest weight shard and KV cache. */
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** `navigator.deviceMemory` in GiB where the browser tells (Chromium rounds down, caps at 8). */
  deviceMemoryGiB: number | null;
  /** Why the probe found no WebGPU, in words a person can act on. */
  problem: string | null;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** Software adapters (SwiftShader) run, but far too slowly for a real model. */
  isFallbackAdapter: boolean;
}

export const NO_WEBGPU: DeviceProbe = {
  webgpu: false,
  adapter: null,
  shaderF16: false,
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
  deviceMemoryGiB: null,
  problem: 'This browser does not offer WebGPU, so the on-device model cannot run here.',
};
