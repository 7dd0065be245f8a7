/**
 * The on-device model as a `ChatEngine`: requests go to WebLLM in the model worker. It adds what
 * the agent relies on: `max_tokens` always set, Qwen3's thinking off unless asked for, an
 * AbortSignal passed down (the worker stops the generation; the model stays loaded), and usage with
 * WebLLM's timings. Every call streams from the worker, even a non-streaming one, so the worker's
 * watchdog sees each token (see `src/ui/workers/llm.ts`).
 */
import type {
  ChatCompletionChunk as WebLLMChunk,
  ChatCompletionRequest as WebLLMRequest,
  CompletionUsage as WebLLMUsage,
} from '@mlc-ai/web-llm';
import type { CatalogueEntry } from '../../core/engines/catalogue.ts';
import {
  collectStream,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatEngine,
  type ChatUsage,
  type EngineInfo,
  type FinishReason,
  type RequestOptions,
} from '../../core/engines/engine.ts';

/** The part of the model worker this engine uses; `LlmWorker` provides it, tests may fake it. */
export interface ModelWorker {
  generate(
    request: WebLLMRequest & { stream: true },
    options: { signal?: AbortSignal },
  ): Promise<AsyncIterable<WebLLMChunk>>;
}

export interface WebLLMEngineOptions {
  /** Hears the usage (tokens and timings) of every finished call, for the model panel. */
  onUsage?: (usage: ChatUsage) => void;
}

/** What the warm-up call after a load measured. */
export interface WarmUp {
  /** Wall-clock seconds of the whole call, as the person waited for it. */
  seconds: number;
  usage: ChatUsage;
}

/** A one-field schema: enough to make WebLLM build XGrammar's token table, which takes seconds once. */
export const WARM_UP_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { ready: { type: 'boolean' } },
  required: ['ready'],
  additionalProperties: false,
});

export class WebLLMEngine implements ChatEngine {
  readonly info: EngineInfo;
  readonly chat: ChatEngine['chat'];

  constructor(
    private readonly worker: ModelWorker,
    private readonly model: Pick<CatalogueEntry, 'id' | 'contextWindow'>,
    private readonly options: WebLLMEngineOptions = {},
  ) {
    this.info = {
      id: `webllm:${model.id}`,
      model: model.id,
      location: 'on-device',
      size: 'small',
      contextWindow: model.contextWindow,
    };
    const create = ((request: ChatCompletionRequest, requestOptions?: RequestOptions) =>
      request.stream
        ? this.#stream(request, requestOptions)
        : this.#complete(request, requestOptions)) as ChatEngine['chat']['completions']['create'];
    this.chat = { completions: { create } };
  }

  /**
   * One short grammar-constrained call, made right after a load: the first call with a grammar
   * makes WebLLM build XGrammar's token table from the whole vocabulary, so the person's first
   * real request does not wait for that. Returns what it measured.
   */
  async warmUp(): Promise<WarmUp> {
    const started = Date.now();
    const completion = await this.#complete(
      {
        messages: [{ role: 'user', content: 'Reply with {"ready": true}.' }],
        response_format: { type: 'json_object', schema: WARM_UP_SCHEMA },
        max_tokens: 16,
        temperature: 0,
      },
      undefined,
      false,
    );
    return { seconds: (Date.now() - started) / 1000, usage: completion.usage };
  }

  #toWebLLM(request: ChatCompletionRequest): WebLLMRequest {
    if (!Number.isInteger(request.max_tokens) || request.max_tokens <= 0) {
      throw new RangeError('max_tokens must be a positive integer: an unconstrained small model may never stop.');
    }
    const out: WebLLMRequest = {
      messages: request.messages.map((message) => ({
        role: message.role,
        content: message.content,
      })) as WebLLMRequest['messages'],
      max_tokens: request.max_tokens,
    };
    // The compact grammar when the request carries one (no free whitespace to spend tokens on);
    // WebLLM takes either a schema or a grammar, never both.
    if (request.response_format) {
      const { schema, grammar } = request.response_format;
      out.response_format = grammar ? { type: 'grammar', grammar } : { type: 'json_object', schema };
    }
    if (request.temperature !== undefined) out.temperature = request.temperature;
    if (request.top_p !== undefined) out.top_p = request.top_p;
    if (request.seed !== undefined) out.seed = request.seed;
    // WebLLM prepends an empty <think> block whenever enable_thinking is false, whatever the
    // model; only Qwen3 knows what it means.
    if (/^Qwen3-/.test(this.model.id)) {
      out.extra_body = { enable_thinking: request.extra_body?.enable_thinking ?? false };
    }
    return out;
  }

  async #complete(request: ChatCompletionRequest, options?: RequestOptions, report = true): Promise<ChatCompletion> {
    const completion = await collectStream(await this.#stream(request, options, false));
    const result: ChatCompletion = {
      ...completion,
      id: completion.id || `webllm-${crypto.randomUUID()}`,
      model: this.model.id,
    };
    if (report) this.options.onUsage?.(result.usage);
    return result;
  }

  async #stream(
    request: ChatCompletionRequest,
    options?: RequestOptions,
    report = true,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const webllmRequest = {
      ...this.#toWebLLM(request),
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const signal = options?.signal;
    if (signal?.aborted) return this.#aborted();
    const chunks = await this.worker.generate(webllmRequest, signal ? { signal } : {});
    const model = this.model.id;
    const onUsage = report ? this.options.onUsage : undefined;
    return (async function* () {
      for await (const chunk of chunks) {
        const usage = chunk.usage ? usageOf(chunk.usage) : undefined;
        if (usage) onUsage?.(usage);
        yield {
          id: chunk.id,
          model,
          choices: chunk.choices.map((choice) => ({
            index: 0 as const,
            delta: choice.delta.content ? { content: choice.delta.content } : {},
            finish_reason: choice.finish_reason ? finishReason(choice.finish_reason) : null,
          })),
          ...(usage ? { usage } : {}),
        };
      }
    })();
  }

  #aborted(): AsyncIterable<ChatCompletionChunk> {
    const model = this.model.id;
    return (async function* () {
      yield {
        id: `aborted-${crypto.randomUUID()}`,
        model,
        choices: [{ index: 0 as const, delta: {}, finish_reason: 'abort' as const }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      };
    })();
  }
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
    case 'abort':
      return reason;
    case 'stop':
    case 'tool_calls':
      return 'stop';
    default:
      return 'error';
  }
}

function usageOf(usage: WebLLMUsage): ChatUsage {
  const out: ChatUsage = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
  const extra = usage.extra as Partial<WebLLMUsage['extra']> | undefined;
  const timings = [
    'decode_tokens_per_s',
    'prefill_tokens_per_s',
    'e2e_latency_s',
    'time_to_first_token_s',
    'time_per_output_token_s',
    'grammar_init_s',
    'grammar_per_token_s',
  ] as const;
  // WebLLM divides by zero tokens in places (NaN, Infinity); those are not measurements.
  for (const name of timings) {
    const value = extra?.[name];
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  }
  return out;
}
