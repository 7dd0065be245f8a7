import { describe, expect, it } from 'vitest';
import { ModelLostError, classifyModelError, explainModelError, isModelLoss } from './model-errors.ts';
import {
  NotAModelError,
  cacheEntriesOfModel,
  checkLibraryHeader,
  checkTokenizer,
  readChatConfig,
  readTensorCache,
  tokenizerFileWebLLMReads,
} from './model-files.ts';

describe('classifyModelError', () => {
  it.each([
    ['WebGPUNotAvailableError: WebGPU is not supported in your current environment', 'no-webgpu'],
    ['Error: Unable to find a compatible GPU. This issue might be because your computer', 'no-adapter'],
    ['Error: Cannot initialize runtime because of requested maxBufferSize exceeds limit.', 'gpu-limits'],
    ['ShaderF16SupportError: This model requires WebGPU extension shader-f16', 'shader-f16'],
    ['DeviceLostError: The WebGPU device was lost while loading the model.', 'device-lost'],
    ['QuotaExceededError: Quota exceeded.', 'storage-full'],
    ['DownloadError: HTTP 404 for http://127.0.0.1/x/tensor-cache.json', 'download-failed'],
    ['TypeError: Failed to fetch', 'download-failed'],
    ['EgressRefusedError: Sift blocked a request to evil.example', 'blocked'],
    ['CompileError: WebAssembly.instantiate(): expected magic word 00 61 73 6d', 'not-a-model'],
    ['NotAModelError: tensor-cache.json lists no weight shards', 'not-a-model'],
    ['AbortError: Cancelled.', 'cancelled'],
    ['ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest.', 'model-lost'],
    ['ModelLostError: The GPU stopped answering (nothing for 30 s), so Sift stopped the model worker.', 'model-lost'],
    ['GpuUnsuitableError: this device’s GPU lacks 16-bit shaders (shader-f16)', 'gpu-limits'],
    ['StorageFullError: This model needs about 1 GB more storage, but the browser quota…', 'storage-full'],
    [
      'DownloadSizeError: params_shard_2.bin was cut short: the server’s answer has 60 bytes, the listing says 100.',
      'download-corrupt',
    ],
    ['DownloadError: HTTP 503 for https://x/y (gave up after 5 tries).', 'download-failed'],
    ['Error: something nobody expected', 'unknown'],
  ])('reads %j as %s', (raw, kind) => {
    expect(classifyModelError(raw)).toBe(kind);
  });
});

describe('isModelLoss', () => {
  it('recognises WebLLM’s and WebGPU’s ways of saying the loaded model is gone', () => {
    for (const raw of [
      'ModelNotLoadedError: Model not loaded before trying to complete ChatCompletionRequest.',
      'WorkerEngineModelNotLoadedError: WebWorkerMLCEngine is not loaded with a model.',
      'DeviceLostError: The WebGPU device was lost while loading the model.',
      'OperationError: Device is lost',
      'Error: Device lost during onSubmittedWorkDone',
    ]) {
      expect(isModelLoss(new Error(raw)), raw).toBe(true);
    }
    expect(isModelLoss(new Error('GrammarMatcherInitError: bad schema'))).toBe(false);
  });
});

describe('explainModelError', () => {
  it('explains a lost model plainly and offers a reload from the cache first', () => {
    const problem = explainModelError(
      new ModelLostError('hung', 'The GPU stopped answering, so Sift stopped the model worker.'),
    );
    expect(problem.kind).toBe('model-lost');
    expect(problem.title).toBe('The GPU stopped answering, so Sift stopped the model worker.');
    expect(problem.nextSteps[0]).toMatch(/Reload model/);
    expect(problem.nextSteps.join(' ')).toMatch(/tools-only/);
  });

  it('uses Sift’s own words for storage and GPU shortfalls, which carry the numbers', () => {
    const full = new Error(
      'This model needs about 1.4 GB more storage, but the browser lets this site use only 800 MB more.',
    );
    full.name = 'StorageFullError';
    expect(explainModelError(full)).toMatchObject({ kind: 'storage-full', title: full.message });
  });

  it('offers the q4f32 build when shader-f16 is missing', () => {
    const problem = explainModelError('ShaderF16SupportError: needs shader-f16');
    expect(problem.title).toMatch(/16-bit shaders/);
    expect(problem.nextSteps[0]).toMatch(/q4f32/);
  });

  it('points at the configured fallback rather than asking to set one up', () => {
    const withFallback = explainModelError(new Error('Device was lost'), { fallbackConfigured: true });
    expect(withFallback.nextSteps.join(' ')).toContain('fallback model you switched on');
    const without = explainModelError(new Error('Device was lost'));
    expect(without.nextSteps.join(' ')).toContain('Switch on a fallback model');
  });

  it('always leaves the tools-only way out when the model cannot run here', () => {
    for (const raw of ['WebGPUNotAvailableError: x', 'Error: Unable to find a compatible GPU', 'DeviceLostError: x']) {
      expect(explainModelError(raw).nextSteps.join(' ')).toMatch(/tools-only/);
    }
  });

  it('keeps the engine’s own words for a bug report', () => {
    expect(explainModelError(new TypeError('Failed to fetch')).detail).toBe('TypeError: Failed to fetch');
  });
});

describe('readChatConfig / readTensorCache', () => {
  it('reads the tokenizer list and the shard list of a model folder', () => {
    const config = readChatConfig(
      '{"tokenizer_files":["tokenizer.json","vocab.json"],"context_window_size":4096}',
      'x',
    );
    expect(config).toEqual({ tokenizerFiles: ['tokenizer.json', 'vocab.json'], contextWindow: 4096 });
    expect(tokenizerFileWebLLMReads(config)).toBe('tokenizer.json');
    expect(tokenizerFileWebLLMReads({ tokenizerFiles: ['tokenizer.model'], contextWindow: null })).toBe(
      'tokenizer.model',
    );
    expect(readTensorCache('{"records":[{"dataPath":"params_shard_0.bin","nbytes":10}]}', 'x')).toEqual([
      { dataPath: 'params_shard_0.bin', nbytes: 10 },
    ]);
  });

  it.each([
    ['<html>Not found</html>', /not JSON/],
    ['{"records":[]}', /no weight shards/],
    ['{"records":[{"dataPath":"../../etc/passwd","nbytes":1}]}', /shard 1/],
    ['{"records":[{"dataPath":"https://evil.example/x.bin","nbytes":1}]}', /shard 1/],
    ['{"records":[{"dataPath":"a.bin","nbytes":-1}]}', /shard 1/],
  ])('refuses a weight listing %j as not a model', (text, message) => {
    expect(() => readTensorCache(text, 'tensor-cache.json')).toThrow(NotAModelError);
    expect(() => readTensorCache(text, 'tensor-cache.json')).toThrow(message);
  });

  it('refuses a config without a tokenizer list', () => {
    expect(() => readChatConfig('{"model_type":"qwen3"}', 'mlc-chat-config.json')).toThrow(/tokenizer_files/);
    expect(() => readChatConfig('oops', 'mlc-chat-config.json')).toThrow(/not JSON/);
  });
});

describe('checks before a file is stored', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('accepts a library that starts with \\0asm and refuses anything else, naming a web page', () => {
    expect(() => checkLibraryHeader(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0), 'lib.wasm')).not.toThrow();
    expect(() => checkLibraryHeader(bytes('<!DOCTYPE html><html>'), 'lib.wasm')).toThrow(
      /lib\.wasm is not WebAssembly \(it starts with “<!DOCTYPE html><html>”\).*a web page instead/,
    );
    expect(() => checkLibraryHeader(bytes('this is not a model library'), 'lib.wasm')).toThrow(NotAModelError);
  });

  it('parses tokenizer.json and refuses HTML or JSON that is not a tokenizer', () => {
    expect(() =>
      checkTokenizer('tokenizer.json', bytes('{"version":"1.0","model":{"type":"BPE"}}'), 'x'),
    ).not.toThrow();
    expect(() => checkTokenizer('tokenizer.json', bytes('<html>oops</html>'), 'x')).toThrow(/not JSON/);
    expect(() => checkTokenizer('tokenizer.json', bytes('{"error":"rate limited"}'), 'x')).toThrow(/no "model"/);
    expect(() => checkTokenizer('tokenizer.model', bytes('<!doctype html>'), 'x')).toThrow(/web page/);
    expect(() => checkTokenizer('tokenizer.model', Uint8Array.of(10, 3, 1), 'x')).not.toThrow();
  });
});

describe('cacheEntriesOfModel (deleting by cache key, offline)', () => {
  const hub = 'https://huggingface.co/mlc-ai';
  const mirror = 'https://cdn.example/models';
  const libs = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base';
  const library: Record<string, string> = {
    'Llama-3.1-8B-Instruct-q4f32_1-MLC': 'Llama-3_1-8B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    'Hermes-3-Llama-3.1-8B-q4f32_1-MLC': 'Llama-3_1-8B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    'Qwen3-0.6B-q4f32_1-MLC': 'Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm',
  };
  const keys = {
    model: [
      `${hub}/Llama-3.1-8B-Instruct-q4f32_1-MLC/resolve/main/tensor-cache.json`,
      `${hub}/Llama-3.1-8B-Instruct-q4f32_1-MLC/resolve/main/params_shard_0.bin`,
      `${mirror}/Llama-3.1-8B-Instruct-q4f32_1-MLC/resolve/main/params_shard_0.bin`,
      `${hub}/Hermes-3-Llama-3.1-8B-q4f32_1-MLC/resolve/main/params_shard_0.bin`,
      `${hub}/Qwen3-0.6B-q4f32_1-MLC/resolve/main/tokenizer.json`,
    ],
    config: [
      `${hub}/Llama-3.1-8B-Instruct-q4f32_1-MLC/resolve/main/mlc-chat-config.json`,
      `${hub}/Qwen3-0.6B-q4f32_1-MLC/resolve/main/mlc-chat-config.json`,
    ],
    wasm: [`${libs}/Llama-3_1-8B-Instruct-q4f32_1_cs1k-webgpu.wasm`, `${libs}/Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm`],
  };

  it('takes every file of the model from every host, and its config', () => {
    const doomed = cacheEntriesOfModel('Llama-3.1-8B-Instruct-q4f32_1-MLC', keys, (id) => library[id]);
    expect(doomed.model).toEqual(keys.model.slice(0, 3));
    expect(doomed.config).toEqual([keys.config[0]]);
  });

  it('keeps a library another cached model still uses, and takes it with the last one', () => {
    expect(cacheEntriesOfModel('Llama-3.1-8B-Instruct-q4f32_1-MLC', keys, (id) => library[id]).wasm).toEqual([]);
    const lastUser = { ...keys, model: keys.model.filter((url) => !url.includes('Hermes')) };
    expect(cacheEntriesOfModel('Llama-3.1-8B-Instruct-q4f32_1-MLC', lastUser, (id) => library[id]).wasm).toEqual([
      keys.wasm[0],
    ]);
    expect(cacheEntriesOfModel('Qwen3-0.6B-q4f32_1-MLC', keys, (id) => library[id]).wasm).toEqual([keys.wasm[1]]);
  });
});
