import type {
  ChatCompletionChunk as WebLLMChunk,
  ChatCompletionRequest as WebLLMRequest,
  CompletionUsage as WebLLMUsage,
} from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { collectStream, type ChatUsage } from '../../core/engines/engine.ts';
import { WARM_UP_SCHEMA, WebLLMEngine, type ModelWorker } from './webllm-engine.ts';

/** WebLLM 0.2.86's `usage.extra` for a call with a grammar (lib L18490–18505). */
const EXTRA: WebLLMUsage['extra'] = {
  e2e_latency_s: 0.5,
  prefill_tokens_per_s: 300,
  decode_tokens_per_s: 42.5,
  time_to_first_token_s: 0.04,
  time_per_output_token_s: 0.02,
  grammar_init_s: 1.25,
  grammar_per_token_s: 0.001,
};

/** Stands in for the model worker: records requests and streams the way WebLLM 0.2.86 does. */
class RecordingWorker implements ModelWorker {
  requests: WebLLMRequest[] = [];
  signals: (AbortSignal | undefined)[] = [];
  extra: Partial<WebLLMUsage['extra']> = EXTRA;

  constructor(private readonly pieces = ['{"ok"', ':true}']) {}

  async generate(request: WebLLMRequest, options: { signal?: AbortSignal }): Promise<AsyncIterable<WebLLMChunk>> {
    this.requests.push(request);
    this.signals.push(options.signal);
    const { pieces, extra } = this;
    const chunk = (content: string, finish: WebLLMChunk['choices'][number]['finish_reason']): WebLLMChunk => ({
      id: 's-1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { content, role: 'assistant' }, finish_reason: finish, logprobs: null }],
    });
    return (async function* () {
      for (const [index, piece] of pieces.entries()) {
        // The worker stops a generation whose signal was aborted (see LlmWorker.generate).
        if (options.signal?.aborted) {
          yield chunk('', 'abort');
          break;
        }
        yield chunk(piece, index === pieces.length - 1 ? 'stop' : null);
      }
      yield {
        ...chunk('', null),
        choices: [],
        usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, extra: extra as WebLLMUsage['extra'] },
      };
    })();
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

  it('sends the JSON schema and max_tokens, streamed with usage, and turns Qwen3 thinking off by default', async () => {
    const worker = new RecordingWorker();
    const engine = new WebLLMEngine(worker, qwen3);
    await engine.chat.completions.create({
      ...ask,
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
    });
    expect(worker.requests[0]).toMatchObject({
      max_tokens: 64,
      // Even a non-streaming call streams from the worker, so the watchdog sees every token.
      stream: true,
      stream_options: { include_usage: true },
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
      extra_body: { enable_thinking: false },
    });
    await engine.chat.completions.create({ ...ask, extra_body: { enable_thinking: true } });
    expect(worker.requests[1]?.extra_body).toEqual({ enable_thinking: true });
  });

  it('sends the compact grammar in place of the schema when the request carries one', async () => {
    const worker = new RecordingWorker();
    await new WebLLMEngine(worker, qwen3).chat.completions.create({
      ...ask,
      response_format: { type: 'json_object', schema: '{"type":"boolean"}', grammar: 'root ::= "true" | "false"' },
    });
    expect(worker.requests[0]?.response_format).toEqual({ type: 'grammar', grammar: 'root ::= "true" | "false"' });
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

  it('carries WebLLM’s timings on the usage: first token, prefill and decode speed, grammar set-up', async () => {
    const heard: ChatUsage[] = [];
    const engine = new WebLLMEngine(new RecordingWorker(), qwen3, { onUsage: (usage) => heard.push(usage) });
    const completion = await engine.chat.completions.create(ask);
    expect(completion.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
      decode_tokens_per_s: 42.5,
      prefill_tokens_per_s: 300,
      e2e_latency_s: 0.5,
      time_to_first_token_s: 0.04,
      time_per_output_token_s: 0.02,
      grammar_init_s: 1.25,
      grammar_per_token_s: 0.001,
    });
    expect(completion.choices[0].message.content).toBe('{"ok":true}');
    expect(completion.model).toBe('Qwen3-0.6B-q4f16_1-MLC');
    expect(heard).toEqual([completion.usage]);
  });

  it('drops timings WebLLM could not measure (it divides by zero tokens)', async () => {
    const worker = new RecordingWorker();
    worker.extra = { ...EXTRA, decode_tokens_per_s: NaN, grammar_per_token_s: Infinity };
    const { usage } = await new WebLLMEngine(worker, qwen3).chat.completions.create(ask);
    expect(usage).not.toHaveProperty('decode_tokens_per_s');
    expect(usage).not.toHaveProperty('grammar_per_token_s');
    expect(usage.prefill_tokens_per_s).toBe(300);
  });

  it('passes the abort signal to the worker, and an aborted call finishes with "abort"', async () => {
    const worker = new RecordingWorker(['{"a"', ':1', '}']);
    const controller = new AbortController();
    const chunks = await new WebLLMEngine(worker, qwen3).chat.completions.create(
      { ...ask, stream: true },
      { signal: controller.signal },
    );
    const completion = await collectStream(chunks, () => controller.abort());
    expect(worker.signals[0]).toBe(controller.signal);
    expect(completion.choices[0]).toMatchObject({ message: { content: '{"a"' }, finish_reason: 'abort' });
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
    const worker = new RecordingWorker(['{"a"', ':1}']);
    const chunks = await new WebLLMEngine(worker, qwen3).chat.completions.create({ ...ask, stream: true });
    const deltas: string[] = [];
    const completion = await collectStream(chunks, (text) => deltas.push(text));
    expect(deltas).toEqual(['{"a"', ':1}']);
    expect(completion.choices[0]).toMatchObject({ message: { content: '{"a":1}' }, finish_reason: 'stop' });
    expect(completion.usage.time_to_first_token_s).toBe(0.04);
  });

  it('warms the grammar with one short constrained call and reports what it measured, not as a call of the person’s', async () => {
    const worker = new RecordingWorker(['{"ready":true}']);
    const heard: ChatUsage[] = [];
    const warm = await new WebLLMEngine(worker, qwen3, { onUsage: (usage) => heard.push(usage) }).warmUp();
    expect(worker.requests).toHaveLength(1);
    expect(worker.requests[0]).toMatchObject({
      max_tokens: 16,
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(worker.requests[0]!.response_format!.schema!)).toMatchObject({ required: ['ready'] });
    expect(warm.usage.grammar_init_s).toBe(1.25);
    expect(warm.seconds).toBeGreaterThanOrEqual(0);
    expect(heard).toEqual([]);
  });
});

describe('the warm-up schema under XGrammar (what WebLLM compiles it with)', () => {
  it('compiles, and accepts the answer it asks for', async () => {
    // A UMD bundle that reads `location` when it loads; in Node there is none.
    const global = globalThis as {
      location?: unknown;
      xgrammar?: {
        Grammar: { fromJSONSchema(schema: string): Promise<unknown> };
        Testings: { isGrammarAcceptString(grammar: unknown, input: string): Promise<boolean> };
      };
    };
    global.location ??= { href: 'file:///' };
    await import('@mlc-ai/web-xgrammar');
    const { Grammar, Testings } = global.xgrammar!;
    const grammar = await Grammar.fromJSONSchema(WARM_UP_SCHEMA);
    expect(await Testings.isGrammarAcceptString(grammar, '{"ready": true}')).toBe(true);
    expect(await Testings.isGrammarAcceptString(grammar, '{"ready": "yes"}')).toBe(false);
  });
});
