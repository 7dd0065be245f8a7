import { describe, expect, it } from 'vitest';
import { classifyModelError, explainModelError } from './model-errors.ts';
import { NotAModelError, readChatConfig, readTensorCache, tokenizerFileWebLLMReads } from './model-files.ts';

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
    ['Error: something nobody expected', 'unknown'],
  ])('reads %j as %s', (raw, kind) => {
    expect(classifyModelError(raw)).toBe(kind);
  });
});

describe('explainModelError', () => {
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
