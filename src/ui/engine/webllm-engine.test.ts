import type {
  ChatCompletion as WebLLMCompletion,
  ChatCompletionChunk as WebLLMChunk,
  ChatCompletionRequest as WebLLMRequest,
} from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../core/engines/engine.ts';
import { WebLLMEngine, type ModelWorker } from './webllm-engine.ts';

/** Stands in for the model worker: records requests and answers like WebLLM 0.2.86 does. */
class RecordingWorker implements ModelWorker {
  requests: WebLLMRequest[] = [];
  interrupts = 0;
  #release: (() => void) | undefined;

  constructor(private readonly holdUntilInterrupted = false) {}

  async chatCompletion(request: WebLLMRequest): Promise<WebLLMCompletion> {
    this.requests.push(request);
    if (this.holdUntilInterrupted) await new Promise<void>((resolve) => (this.#release = resolve));
    return {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: 'Qwen3-0.6B-q4f16_1-MLC',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: '{"ok":true}' },
          finish_reason: this.interrupts > 0 ? 'abort' : 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 5,
        total_tokens: 17,
        extra: {
          e2e_latency_s: 0.5,
          prefill_tokens_per_s: 300,
          decode_tokens_per_s: 42.5,
          time_to_first_token_s: 0.04,
          time_per_output_token_s: 0.02,
        },
      },
    };
  }

  async chatCompletionStream(request: WebLLMRequest): Promise<AsyncIterable<WebLLMChunk>> {
    this.requests.push(request);
    const chunk = (content: string, finish: WebLLMChunk['choices'][number]['finish_reason']): WebLLMChunk => ({
      id: 's-1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { content, role: 'assistant' }, finish_reason: finish, logprobs: null }],
    });
    return (async function* () {
      yield chunk('{"a"', null);
      yield chunk(':1}', 'stop');
      yield {
        ...chunk('', null),
        choices: [],
        usage: {
          prompt_tokens: 3,
          completion_tokens: 2,
          total_tokens: 5,
          extra: {
            e2e_latency_s: 1,
            prefill_tokens_per_s: 10,
            decode_tokens_per_s: 20,
            time_to_first_token_s: 0.1,
            time_per_output_token_s: 0.05,
          },
        },
      };
    })();
  }

  interruptGenerate(): void {
    this.interrupts += 1;
    this.#release?.();
  }
}

const qwen3 = { id: 'Qwen3-0.6B-q4f16_1-MLC', contextWindow: 4096 };
const llama = { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', contextWindow: 4096 };
const ask = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 64 };

describe('WebLLMEngine', () => {
  it('describes itself as a small on-device engine with the model’s context window', () => {
    expect(new WebLLMEngine(new RecordingWorker(), qwen3).info).toEqual({
      id: 'webllm:Qwen3-0.6B-q4f16_1-MLC',
      model: 'Qwen3-0.6B-q4f16_1-MLC',
      location: 'on-device',
      size: 'small',
      contextWindow: 4096,
    });
  });

  it('sends the JSON schema and max_tokens, and turns Qwen3 thinking off by default', async () => {
    const worker = new RecordingWorker();
    const engine = new WebLLMEngine(worker, qwen3);
    await engine.chat.completions.create({
      ...ask,
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
    });
    expect(worker.requests[0]).toMatchObject({
      max_tokens: 64,
      stream: false,
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
      extra_body: { enable_thinking: false },
    });
    await engine.chat.completions.create({ ...ask, extra_body: { enable_thinking: true } });
    expect(worker.requests[1]?.extra_body).toEqual({ enable_thinking: true });
  });

  it('leaves the thinking switch out for models that are not Qwen3', async () => {
    const worker = new RecordingWorker();
    await new WebLLMEngine(worker, llama).chat.completions.create(ask);
    expect(worker.requests[0]?.extra_body).toBeUndefined();
  });

  it('refuses a request without a positive max_tokens', async () => {
    const engine = new WebLLMEngine(new RecordingWorker(), qwen3);
    await expect(engine.chat.completions.create({ ...ask, max_tokens: 0 })).rejects.toThrow(/max_tokens/);
  });

  it('reports usage with decode and prefill tokens per second', async () => {
    const completion = await new WebLLMEngine(new RecordingWorker(), qwen3).chat.completions.create(ask);
    expect(completion.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
      decode_tokens_per_s: 42.5,
      prefill_tokens_per_s: 300,
      e2e_latency_s: 0.5,
    });
    expect(completion.choices[0].message.content).toBe('{"ok":true}');
  });

  it('turns an abort into interruptGenerate and a finish_reason of abort, keeping the model loaded', async () => {
    const worker = new RecordingWorker(true);
    const controller = new AbortController();
    const pending = new WebLLMEngine(worker, qwen3).chat.completions.create(ask, { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    const completion = await pending;
    expect(worker.interrupts).toBe(1);
    expect(completion.choices[0].finish_reason).toBe('abort');
  });

  it('does not call the model at all when the signal is already aborted', async () => {
    const worker = new RecordingWorker();
    const completion = await new WebLLMEngine(worker, qwen3).chat.completions.create(ask, {
      signal: AbortSignal.abort(),
    });
    expect(worker.requests).toHaveLength(0);
    expect(completion.choices[0].finish_reason).toBe('abort');
  });

  it('streams deltas and puts usage on the last chunk', async () => {
    const worker = new RecordingWorker();
    const chunks = await new WebLLMEngine(worker, qwen3).chat.completions.create({ ...ask, stream: true });
    const deltas: string[] = [];
    const completion = await collectStream(chunks, (text) => deltas.push(text));
    expect(worker.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(deltas).toEqual(['{"a"', ':1}']);
    expect(completion.choices[0]).toMatchObject({ message: { content: '{"a":1}' }, finish_reason: 'stop' });
    expect(completion.usage.decode_tokens_per_s).toBe(20);
  });
});
