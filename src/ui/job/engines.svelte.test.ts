import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeLanguageModel } from '../../../tests/fakes/language-model.ts';
import { NO_WEBGPU, type DeviceProbe } from '../../core/device.ts';
import { FALLBACK_OFF, configFromPreset } from '../../net/fallback/config.ts';
import { builtInModel } from '../built-in/built-in-model.svelte.ts';
import { deviceState } from '../device/device-state.svelte.ts';
import { fallbackState } from '../fallback/fallback-state.svelte.ts';
import { builtInForRuns, enginesForRun, noModelReason, offeredFallback } from './engines.svelte.ts';

const gpu: DeviceProbe = {
  webgpu: true,
  adapter: { vendor: 'acme', architecture: '', description: '', isFallbackAdapter: false },
  shaderF16: true,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 30,
  deviceMemoryGiB: 8,
  problem: null,
};

afterEach(() => {
  builtInModel.cancel();
  delete (globalThis as { LanguageModel?: unknown }).LanguageModel;
  deviceState.probe = null;
  fallbackState.config = FALLBACK_OFF;
  fallbackState.hasKey = false;
});

describe('noModelReason (the tools-only banner)', () => {
  it('says WebGPU is missing, or that no model is loaded, and nothing once a fallback is on', () => {
    deviceState.probe = { ...NO_WEBGPU, problem: 'This browser does not offer WebGPU.' };
    expect(noModelReason()).toBe('This browser does not offer WebGPU.');
    deviceState.probe = gpu;
    expect(noModelReason()).toMatch(/No on-device model is loaded yet/);
    deviceState.probe = { ...gpu, adapter: { ...gpu.adapter!, isFallbackAdapter: true } };
    expect(noModelReason()).toMatch(/software graphics adapter/);
    fallbackState.config = { ...FALLBACK_OFF, enabled: true };
    expect(noModelReason()).toBeNull();
  });
});

describe('offeredFallback', () => {
  it('offers only a fallback the user set up (a saved key, or a keyless server of their own)', () => {
    expect(offeredFallback()).toBeNull();
    fallbackState.hasKey = true;
    expect(offeredFallback()?.label).toBe(`${FALLBACK_OFF.model} at api.openai.com`);
    fallbackState.hasKey = false;
    const ollama = configFromPreset('ollama');
    fallbackState.config = ollama;
    expect(offeredFallback()?.label).toContain(new URL(ollama.baseUrl).host);
    fallbackState.config = { ...ollama, enabled: true };
    expect(offeredFallback()).toBeNull();
  });
});

describe("Chrome's built-in model as the run's engine", () => {
  const runEngines = () => enginesForRun(new AbortController().signal, () => undefined);

  it('is the primary engine once chosen for runs, even without the page’s WebGPU, and the banner goes', async () => {
    installFakeLanguageModel({ availability: 'available' });
    deviceState.probe = { ...NO_WEBGPU, problem: 'This browser does not offer WebGPU.' };
    await builtInModel.check();

    const engine = await builtInModel.use();
    expect(engine?.info.id).toBe('built-in:chrome');
    expect(builtInForRuns()).toBe(engine);
    expect(noModelReason()).toBeNull();
    expect(await runEngines()).toEqual({ primary: engine, fallback: null });

    builtInModel.stopUsing();
    expect(noModelReason()).toBe('This browser does not offer WebGPU.');
    expect(await runEngines()).toEqual({ primary: null, fallback: null });
  });

  it('is not used by runs when only the Benchmark loaded it, nor after it is unloaded', async () => {
    installFakeLanguageModel({ availability: 'available' });
    deviceState.probe = gpu;
    expect(await builtInModel.load()).not.toBeNull();
    expect(builtInForRuns()).toBeNull();
    expect((await runEngines()).primary).toBeNull();

    await builtInModel.use();
    builtInModel.cancel();
    expect(builtInForRuns()).toBeNull();
    expect(noModelReason()).toMatch(/No on-device model is loaded yet/);
  });
});
