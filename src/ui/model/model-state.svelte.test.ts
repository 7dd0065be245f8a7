import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { DeviceProbe } from '../../core/device.ts';
import type { AppConfigForModel } from '../../core/engines/catalogue.ts';
import { ModelLostError } from '../../core/engines/model-errors.ts';
import type { CachedModel, DownloadProgress } from '../../../workers/llm.worker.ts';
import type { LoadCallbacks, LostListener } from '../workers/llm.ts';
import { ModelState, parseModelSettings, type ModelSettings, type ModelStateDeps } from './model-state.svelte.ts';

const GiB = 2 ** 30;
const probe = (overrides: Partial<DeviceProbe> = {}): DeviceProbe => ({
  webgpu: true,
  adapter: { vendor: 'test', architecture: '', description: '', isFallbackAdapter: false },
  shaderF16: true,
  maxBufferSize: 4 * GiB,
  maxStorageBufferBindingSize: 2 * GiB,
  deviceMemoryGiB: 8,
  problem: null,
  ...overrides,
});

/** The model worker's contract, played out in memory: the load waits for the test to settle it. */
class ScriptedWorker {
  loads: AppConfigForModel[] = [];
  terminated = 0;
  deleted: string[] = [];
  cached: CachedModel[] = [];
  #settle: { resolve: () => void; reject: (error: Error) => void; callbacks: LoadCallbacks } | undefined;

  load(config: AppConfigForModel, callbacks: LoadCallbacks = {}, signal?: AbortSignal): Promise<void> {
    this.loads.push(config);
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject, callbacks };
      signal?.addEventListener('abort', () => reject(new DOMException('Cancelled.', 'AbortError')));
    });
  }
  download(progress: DownloadProgress) {
    this.#settle?.callbacks.onDownload?.(progress);
  }
  init(text: string, progress: number) {
    this.#settle?.callbacks.onInit?.({ text, progress, timeElapsed: 0 });
  }
  finish() {
    this.#settle?.resolve();
  }
  fail(raw: string) {
    this.#settle?.reject(new Error(raw));
  }
  terminate() {
    this.terminated += 1;
  }
  async listCached() {
    return this.cached;
  }
  async deleteModel(modelId: string) {
    this.deleted.push(modelId);
    this.cached = this.cached.filter((model) => model.modelId !== modelId);
  }
  async storageEstimate() {
    return { usageBytes: 10, quotaBytes: 100, persisted: true };
  }
  generated = 0;
  #lost: LostListener[] = [];
  /** Answers like WebLLM's stream: one piece of JSON, then the usage chunk with its timings. */
  async generate(): Promise<AsyncIterable<ChatCompletionChunk>> {
    this.generated += 1;
    const base = { id: 'g', object: 'chat.completion.chunk' as const, created: 0, model: 'm' };
    return (async function* () {
      yield {
        ...base,
        choices: [{ index: 0, delta: { content: '{"ready":true}' }, finish_reason: 'stop' as const, logprobs: null }],
      };
      yield {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 20,
          completion_tokens: 6,
          total_tokens: 26,
          extra: {
            e2e_latency_s: 2,
            prefill_tokens_per_s: 250,
            decode_tokens_per_s: 30,
            time_to_first_token_s: 1.6,
            time_per_output_token_s: 0.03,
            grammar_init_s: 1.5,
          },
        },
      };
    })();
  }
  onLost(listener: LostListener) {
    this.#lost.push(listener);
    return () => undefined;
  }
  lose(error: ModelLostError) {
    for (const listener of this.#lost) listener(error);
  }
}

function setup(stored: ModelSettings = {}) {
  const worker = new ScriptedWorker();
  const saved: ModelSettings[] = [];
  const allowed: string[] = [];
  const withdrawn: string[] = [];
  let clock = 0;
  const deps: ModelStateDeps = {
    worker: worker as unknown as ModelStateDeps['worker'],
    settings: { load: async () => stored, save: async (settings) => void saved.push(settings) },
    allowHost: (url) => {
      allowed.push(url);
      return () => withdrawn.push(url);
    },
    pageBase: () => 'https://team.example/tools/sift/',
    persistStorage: async () => true,
    fallbackConfigured: () => false,
    now: () => clock,
  };
  const state = new ModelState(deps);
  return { state, worker, saved, allowed, withdrawn, tick: (ms: number) => (clock += ms) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ModelState', () => {
  it('follows the device probe for its default until the person picks a model', async () => {
    const { state, saved } = setup();
    state.applyProbe(probe());
    expect(state.selectedId).toBe('Qwen3-4B-q4f16_1-MLC');
    state.applyProbe(probe({ shaderF16: false }));
    expect(state.selectedId).toBe('Qwen3-1.7B-q4f32_1-MLC');
    await state.choose('Llama-3.2-3B-Instruct-q4f32_1-MLC');
    state.applyProbe(probe());
    expect(state.selectedId).toBe('Llama-3.2-3B-Instruct-q4f32_1-MLC');
    expect(saved.at(-1)).toEqual({ modelId: 'Llama-3.2-3B-Instruct-q4f32_1-MLC' });
  });

  it('restores the stored pick and base URL', async () => {
    const { state } = setup({ modelId: 'Qwen3-0.6B-q4f32_1-MLC', modelBaseUrl: 'https://cdn.example/m/' });
    await state.restore();
    state.applyProbe(probe());
    expect(state.selectedId).toBe('Qwen3-0.6B-q4f32_1-MLC');
    expect(state.appConfig(state.selected!).model_list[0].model).toBe(
      'https://cdn.example/m/Qwen3-0.6B-q4f32_1-MLC/resolve/main/',
    );
  });

  it('resolves a path-only base URL against the page and refuses a bad one with a message', async () => {
    const { state, saved } = setup();
    expect(await state.setModelBaseUrl('./models')).toBe(true);
    expect(state.modelBaseUrl).toBe('https://team.example/tools/sift/models/');
    expect(await state.setModelBaseUrl('ftp://x/')).toBe(false);
    expect(state.baseUrlError).toMatch(/https:\/\//);
    expect(state.modelBaseUrl).toBe('https://team.example/tools/sift/models/');
    expect(saved).toHaveLength(1);
  });

  it('allows exactly the model hosts in use before loading, and withdraws them when they change', async () => {
    const { state, worker, allowed, withdrawn } = setup();
    state.applyProbe(probe());
    void state.load();
    expect(allowed).toEqual(['https://huggingface.co', 'https://raw.githubusercontent.com']);
    worker.fail('TypeError: Failed to fetch');
    await flush();
    await state.setModelBaseUrl('https://cdn.example/models/');
    void state.load();
    expect(withdrawn).toEqual(['https://huggingface.co', 'https://raw.githubusercontent.com']);
    expect(allowed.at(-1)).toBe('https://cdn.example');
    expect(worker.loads.at(-1)?.model_list[0].model_lib).toBe(
      'https://cdn.example/models/libs/Qwen3-4B-q4f16_1_cs1k-webgpu.wasm',
    );
  });

  it('shows download bytes, speed and time left, then WebLLM’s phases, then a ready engine', async () => {
    const { state, worker, tick } = setup();
    state.applyProbe(probe());
    const loading = state.load();
    expect(state.status).toBe('loading');
    const step = { file: 'params_shard_0.bin', filesDone: 0, filesTotal: 10, totalBytes: 10_000_000, cachedBytes: 0 };
    worker.download({ ...step, loadedBytes: 0 });
    tick(1000);
    worker.download({ ...step, loadedBytes: 2_000_000 });
    flushSync();
    expect(state.progress).toMatchObject({
      phase: 'download',
      fraction: 0.2,
      loadedBytes: 2_000_000,
      totalBytes: 10_000_000,
      bytesPerSecond: 2_000_000,
      secondsLeft: 4,
    });
    worker.init('Loading GPU shader modules[4/40]: 10% completed, 1 secs elapsed.', 0.1);
    expect(state.progress).toMatchObject({ phase: 'shaders', step: { done: 4, of: 40 } });
    worker.finish();
    await loading;
    expect(state.status).toBe('ready');
    expect(state.engine?.info).toMatchObject({ id: 'webllm:Qwen3-4B-q4f16_1-MLC', location: 'on-device' });
    expect(state.persisted).toBe(true);
  });

  it('warms the grammar with one call after loading, and keeps what it and each later call measured', async () => {
    const { state, worker } = setup();
    state.applyProbe(probe());
    const loading = state.load();
    worker.finish();
    await loading;
    expect(worker.generated).toBe(1);
    expect(state.warmUp?.usage).toMatchObject({ grammar_init_s: 1.5, time_to_first_token_s: 1.6 });
    expect(state.lastCall).toBeNull();
    await state.engine!.chat.completions.create({ messages: [{ role: 'user', content: 'x' }], max_tokens: 8 });
    expect(state.lastCall).toMatchObject({ prefill_tokens_per_s: 250, decode_tokens_per_s: 30 });
    // A new load forgets the speed of the old one's calls.
    const reloading = state.load();
    expect(state.lastCall).toBeNull();
    worker.finish();
    await reloading;
    expect(state.warmUp).not.toBeNull();
  });

  it('turns a lost model into the "lost" state: no engine, a plain explanation, and a reload that brings it back', async () => {
    const { state, worker } = setup();
    state.applyProbe(probe());
    const loading = state.load();
    // A loss while loading is the load's own failure to report, not a lost ready model.
    worker.lose(new ModelLostError('device-lost', 'ignored'));
    expect(state.status).toBe('loading');
    worker.finish();
    await loading;
    expect(state.status).toBe('ready');
    worker.lose(
      new ModelLostError('hung', 'The GPU stopped answering (nothing for 30 s), so Sift stopped the model worker.'),
    );
    expect(state.status).toBe('lost');
    expect(state.engine).toBeNull();
    expect(state.problem).toMatchObject({ kind: 'model-lost', title: expect.stringMatching(/stopped answering/) });
    expect(state.problem?.nextSteps[0]).toMatch(/Reload model.*nothing is downloaded again/);
    const reloading = state.load();
    expect(state.status).toBe('loading');
    worker.finish();
    await reloading;
    expect(state.status).toBe('ready');
    expect(state.problem).toBeNull();
    expect(worker.loads).toHaveLength(2);
  });

  it('cancel terminates the worker and says so, and the late rejection changes nothing', async () => {
    const { state, worker } = setup();
    state.applyProbe(probe());
    const loading = state.load();
    state.cancel();
    await loading;
    expect(worker.terminated).toBe(1);
    expect(state.status).toBe('failed');
    expect(state.problem?.kind).toBe('cancelled');
    expect(state.engine).toBeNull();
  });

  it('turns a load failure into a problem with next steps', async () => {
    const { state, worker } = setup();
    state.applyProbe(probe());
    const loading = state.load();
    worker.fail('ShaderF16SupportError: This model requires WebGPU extension shader-f16');
    await loading;
    expect(state.status).toBe('failed');
    expect(state.problem?.kind).toBe('shader-f16');
    expect(state.problem?.nextSteps[0]).toMatch(/q4f32/);
  });

  it('lists cached models and deletes one', async () => {
    const { state, worker } = setup();
    worker.cached = [{ modelId: 'Qwen3-0.6B-q4f16_1-MLC', origin: 'https://huggingface.co', bytes: 5, complete: true }];
    await state.refreshCached();
    expect(state.cached).toHaveLength(1);
    expect(state.storage?.quotaBytes).toBe(100);
    await state.deleteCached('Qwen3-0.6B-q4f16_1-MLC');
    expect(worker.deleted).toEqual(['Qwen3-0.6B-q4f16_1-MLC']);
    expect(state.cached).toEqual([]);
  });
});

describe('parseModelSettings', () => {
  it('keeps what is valid and drops what is not', () => {
    expect(parseModelSettings({ modelId: 'Qwen3-0.6B-q4f16_1-MLC', modelBaseUrl: 'https://x.example/m' })).toEqual({
      modelId: 'Qwen3-0.6B-q4f16_1-MLC',
      modelBaseUrl: 'https://x.example/m/',
    });
    expect(parseModelSettings({ modelId: 'gone-model', modelBaseUrl: 'not a url' })).toEqual({});
    expect(parseModelSettings('garbage')).toBeUndefined();
  });

  it('keeps a stored http:// address only where the page can still reach it', () => {
    const stored = { modelBaseUrl: 'http://sift.lan/models/' };
    expect(parseModelSettings(stored, 'http://sift.lan/')).toEqual(stored);
    expect(parseModelSettings(stored, 'https://team.example/')).toEqual({});
  });
});
