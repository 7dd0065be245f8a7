import { describe, expect, it } from 'vitest';
import { NO_WEBGPU, type DeviceProbe } from '../device.ts';
import {
  CATALOGUE,
  DEFAULT_MODEL_HOST,
  DEFAULT_MODEL_LIB_HOST,
  ModelBaseUrlError,
  buildAppConfig,
  chooseDefaultModel,
  findModel,
  fitOf,
  modelHosts,
  normaliseModelBaseUrl,
} from './catalogue.ts';

const GiB = 2 ** 30;

function probe(overrides: Partial<DeviceProbe> = {}): DeviceProbe {
  return {
    webgpu: true,
    adapter: { vendor: 'test', architecture: '', description: '', isFallbackAdapter: false },
    shaderF16: true,
    maxBufferSize: 4 * GiB,
    maxStorageBufferBindingSize: 2 * GiB,
    deviceMemoryGiB: 8,
    problem: null,
    ...overrides,
  };
}

describe('CATALOGUE', () => {
  it('offers every model the issue names, in both 4-bit builds', () => {
    const stems = [
      'Qwen3-0.6B',
      'Qwen3-1.7B',
      'Qwen3-4B',
      'Qwen3-8B',
      'Qwen2.5-1.5B-Instruct',
      'Qwen2.5-3B-Instruct',
      'Qwen2.5-7B-Instruct',
      'Llama-3.2-1B-Instruct',
      'Llama-3.2-3B-Instruct',
      'Llama-3.1-8B-Instruct',
      'Hermes-3-Llama-3.1-8B',
    ];
    for (const stem of stems) {
      expect(findModel(`${stem}-q4f16_1-MLC`), stem).toBeDefined();
      expect(findModel(`${stem}-q4f32_1-MLC`), stem).toBeDefined();
    }
    expect(CATALOGUE).toHaveLength(stems.length * 2);
  });

  it('records the figures WebLLM 0.2.86 publishes for a model', () => {
    const qwen = findModel('Qwen3-1.7B-q4f32_1-MLC')!;
    expect(qwen).toMatchObject({
      vramMB: 2635,
      contextWindow: 4096,
      needsShaderF16: false,
      lowResource: true,
      modelLib: 'Qwen3-1.7B-q4f32_1_cs1k-webgpu.wasm',
    });
    expect(qwen.toolCalling).toContain('BFCL');
    // Several models share a library; the names must be WebLLM's, not guessed from the id.
    expect(findModel('Qwen2.5-1.5B-Instruct-q4f16_1-MLC')!.modelLib).toBe(
      'Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    );
    expect(findModel('Hermes-3-Llama-3.1-8B-q4f16_1-MLC')!.modelLib).toBe(
      'Llama-3_1-8B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    );
  });

  it('marks every q4f16 build as needing shader-f16 and no q4f32 build', () => {
    for (const entry of CATALOGUE) expect(entry.needsShaderF16).toBe(entry.quantization === 'q4f16_1');
  });

  it('estimates larger downloads for larger models and for q4f32', () => {
    const small = findModel('Qwen3-0.6B-q4f16_1-MLC')!;
    const large = findModel('Qwen3-8B-q4f16_1-MLC')!;
    expect(small.downloadMB).toBeLessThan(large.downloadMB);
    expect(findModel('Qwen3-0.6B-q4f32_1-MLC')!.downloadMB).toBeGreaterThan(small.downloadMB);
    expect(large.downloadMB).toBeGreaterThan(4000);
  });
});

describe('chooseDefaultModel', () => {
  it('picks nothing where the browser has no WebGPU', () => {
    expect(chooseDefaultModel(NO_WEBGPU)).toBeNull();
  });

  it('picks nothing where WebGPU is present but no adapter was granted', () => {
    expect(chooseDefaultModel({ ...NO_WEBGPU, webgpu: true, problem: 'no adapter' })).toBeNull();
  });

  it('picks nothing where buffer limits are below what WebLLM can start with', () => {
    expect(chooseDefaultModel(probe({ maxStorageBufferBindingSize: 64 * 2 ** 20 }))).toBeNull();
    expect(chooseDefaultModel(probe({ maxBufferSize: 128 * 2 ** 20 }))).toBeNull();
  });

  it('picks Qwen3 4B in q4f16 on a capable GPU with shader-f16', () => {
    expect(chooseDefaultModel(probe())?.id).toBe('Qwen3-4B-q4f16_1-MLC');
  });

  it('picks a q4f32 build where shader-f16 is missing, smaller when the q4f32 size does not fit', () => {
    const choice = chooseDefaultModel(probe({ shaderF16: false }));
    expect(choice?.quantization).toBe('q4f32_1');
    // Qwen3-4B q4f32 needs 4328 MB, more than the 4 GiB budget of an 8 GiB device.
    expect(choice?.id).toBe('Qwen3-1.7B-q4f32_1-MLC');
  });

  it('picks a smaller model on a device that reports little memory', () => {
    expect(chooseDefaultModel(probe({ deviceMemoryGiB: 4 }))?.id).toBe('Qwen3-1.7B-q4f16_1-MLC');
    expect(chooseDefaultModel(probe({ deviceMemoryGiB: 4, shaderF16: false }))?.id).toBe('Qwen3-0.6B-q4f32_1-MLC');
  });

  it('still offers the smallest model when even it exceeds the memory estimate', () => {
    expect(chooseDefaultModel(probe({ deviceMemoryGiB: 1 }))?.id).toBe('Qwen3-0.6B-q4f16_1-MLC');
  });

  it('picks a smaller model where GPU buffer limits are low (WebLLM falls back to 256 MB / 128 MB)', () => {
    const limited = probe({ maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 });
    expect(chooseDefaultModel(limited)?.id).toBe('Qwen3-1.7B-q4f16_1-MLC');
  });

  it('assumes a mid-range budget where the browser does not report device memory', () => {
    expect(chooseDefaultModel(probe({ deviceMemoryGiB: null }))?.id).toBe('Qwen3-4B-q4f16_1-MLC');
  });

  it('never suggests a q4f16 build to a GPU without shader-f16', () => {
    for (const deviceMemoryGiB of [null, 0.5, 1, 2, 4, 8]) {
      expect(chooseDefaultModel(probe({ shaderF16: false, deviceMemoryGiB }))?.needsShaderF16).toBe(false);
    }
  });
});

describe('fitOf', () => {
  it('says a q4f16 build does not run without shader-f16 and an 8B model does not fit 2 GiB', () => {
    const noF16 = probe({ shaderF16: false });
    expect(fitOf(findModel('Qwen3-1.7B-q4f16_1-MLC')!, noF16).runs).toBe(false);
    expect(fitOf(findModel('Qwen3-1.7B-q4f32_1-MLC')!, noF16).runs).toBe(true);
    expect(fitOf(findModel('Qwen3-8B-q4f16_1-MLC')!, probe({ deviceMemoryGiB: 4 })).fits).toBe(false);
  });
});

describe('buildAppConfig', () => {
  const qwen = findModel('Qwen3-0.6B-q4f16_1-MLC')!;

  it('points at the public hub and WebLLM’s model-library host by default', () => {
    const config = buildAppConfig(qwen);
    const [record] = config.model_list;
    expect(record.model).toBe(`${DEFAULT_MODEL_HOST}Qwen3-0.6B-q4f16_1-MLC/resolve/main/`);
    expect(record.model_lib).toBe(`${DEFAULT_MODEL_LIB_HOST}Qwen3-0.6B-q4f16_1_cs1k-webgpu.wasm`);
    expect(DEFAULT_MODEL_LIB_HOST).toContain('/v0_2_86/base/');
    expect(record.required_features).toEqual(['shader-f16']);
    expect(record.overrides.context_window_size).toBe(4096);
    expect(config.cacheBackend).toBe('cache');
    expect(modelHosts(config)).toEqual(['https://huggingface.co', 'https://raw.githubusercontent.com']);
  });

  it('lays a self-hosted base URL out as <id>/resolve/main/ for weights and libs/ for the library', () => {
    const config = buildAppConfig(findModel('Qwen3-0.6B-q4f32_1-MLC')!, {
      modelBaseUrl: 'https://cdn.example/models',
    });
    const [record] = config.model_list;
    expect(record.model).toBe('https://cdn.example/models/Qwen3-0.6B-q4f32_1-MLC/resolve/main/');
    expect(record.model_lib).toBe('https://cdn.example/models/libs/Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm');
    expect(record.required_features).toBeUndefined();
    expect(modelHosts(config)).toEqual(['https://cdn.example']);
  });

  it('resolves a path-only base URL against the page so the worker gets absolute URLs', () => {
    const config = buildAppConfig(qwen, {
      modelBaseUrl: './models/',
      pageBase: 'https://team.example/tools/sift/index.html',
    });
    expect(config.model_list[0].model).toBe(
      'https://team.example/tools/sift/models/Qwen3-0.6B-q4f16_1-MLC/resolve/main/',
    );
    expect(config.model_list[0].model_lib).toMatch(/^https:\/\/team\.example\/tools\/sift\/models\/libs\//);
  });

  it('survives structured cloning (it is posted to the worker)', () => {
    const config = buildAppConfig(qwen);
    expect(structuredClone(config)).toEqual(config);
  });
});

describe('normaliseModelBaseUrl', () => {
  it('adds the trailing slash a folder needs', () => {
    expect(normaliseModelBaseUrl(' https://cdn.example/m ')).toBe('https://cdn.example/m/');
  });

  it.each([
    ['', /empty/],
    ['models/', /not an absolute URL/],
    ['ftp://cdn.example/models/', /https:\/\//],
    ['https://cdn.example/models/?token=1', /without \? or #/],
  ])('rejects %j with a message saying what to write', (input, message) => {
    expect(() => normaliseModelBaseUrl(input)).toThrow(ModelBaseUrlError);
    expect(() => normaliseModelBaseUrl(input)).toThrow(message);
  });
});

describe('normaliseModelBaseUrl and plain http://', () => {
  const page = 'https://team.example/tools/sift/';
  it('allows http:// only where the page can reach it: this machine, or Sift’s own origin', () => {
    expect(normaliseModelBaseUrl('http://localhost:8080/models', page)).toBe('http://localhost:8080/models/');
    expect(normaliseModelBaseUrl('http://127.0.0.1:9000/m/', page)).toBe('http://127.0.0.1:9000/m/');
    expect(normaliseModelBaseUrl('./models/', 'http://sift.lan/')).toBe('http://sift.lan/models/');
  });

  it('refuses http:// to another machine, saying the policy blocks it and what works instead', () => {
    const lan = () => normaliseModelBaseUrl('http://192.168.1.20:8000/models/', page);
    expect(lan).toThrow(ModelBaseUrlError);
    expect(lan).toThrow(/security policy and the browser's mixed-content rule/);
    expect(lan).toThrow(/https:\/\/.*\.\/models\//);
  });
});
