/**
 * The on-device model as a `ChatEngine`: requests go to WebLLM in the model worker. It adds what
 * the agent relies on: `max_tokens` always set, Qwen3's thinking off unless asked for, an
 * AbortSignal turned into `interruptGenerate` (the model stays loaded), and usage with tokens/s.
 */
import type {
  ChatCompletion as WebLLMCompletion,
  ChatCompletionChunk as WebLLMChunk,
  ChatCompletionRequest as WebLLMRequest,
  CompletionUsage as WebLLMUsage,
} from '@mlc-ai/web-llm';
import type { CatalogueEntry } from '../../core/engines/catalogue.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatEngine,
  ChatUsage,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from '../../core/engines/engine.ts';

/** The part of the model worker this engine uses; `LlmWorker` provides it, tests may fake it. */
export interface ModelWorker {
  chatCompletion(request: WebLLMRequest & { stream?: false }): Promise<WebLLMCompletion>;
  chatCompletionStream(request: WebLLMRequest & { stream: true }): Promise<AsyncIterable<WebLLMChunk>>;
  interruptGenerate(): void;
}

export class WebLLMEngine implements ChatEngine {
  readonly info: EngineInfo;
  readonly chat: ChatEngine['chat'];

  constructor(
    private readonly worker: ModelWorker,
    private readonly model: Pick<CatalogueEntry, 'id' | 'contextWindow'>,
  ) {
    this.info = {
      id: `webllm:${model.id}`,
      model: model.id,
      location: 'on-device',
      size: 'small',
      contextWindow: model.contextWindow,
    };
    const create = ((request: ChatCompletionRequest, options?: RequestOptions) =>
      request.stream
        ? this.#stream(request, options)
        : this.#complete(request, options)) as ChatEngine['chat']['completions']['create'];
    this.chat = { completions: { create } };
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
    if (request.response_format) out.response_format = { type: 'json_object', schema: request.response_format.schema };
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

  /** Interrupts generation on abort; returns the function that stops listening. */
  #onAbort(signal: AbortSignal | undefined): () => void {
    if (!signal) return () => undefined;
    const interrupt = () => this.worker.interruptGenerate();
    signal.addEventListener('abort', interrupt, { once: true });
    return () => signal.removeEventListener('abort', interrupt);
  }

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const webllmRequest = { ...this.#toWebLLM(request), stream: false as const };
    if (options?.signal?.aborted) return this.#aborted();
    const stop = this.#onAbort(options?.signal);
    try {
      const completion = await this.worker.chatCompletion(webllmRequest);
      const choice = completion.choices[0];
      return {
        id: completion.id,
        model: this.model.id,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: choice?.message.content ?? '' },
            finish_reason: finishReason(choice?.finish_reason),
          },
        ],
        usage: usageOf(completion.usage),
      };
    } finally {
      stop();
    }
  }

  async #stream(request: ChatCompletionRequest, options?: RequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    const webllmRequest = {
      ...this.#toWebLLM(request),
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const signal = options?.signal;
    if (signal?.aborted) {
      const aborted = this.#aborted();
      return (async function* () {
        yield {
          id: aborted.id,
          model: aborted.model,
          choices: [{ index: 0 as const, delta: {}, finish_reason: 'abort' as const }],
          usage: aborted.usage,
        };
      })();
    }
    const stop = this.#onAbort(signal);
    let chunks: AsyncIterable<WebLLMChunk>;
    try {
      chunks = await this.worker.chatCompletionStream(webllmRequest);
    } catch (error) {
      stop();
      throw error;
    }
    const model = this.model.id;
    return (async function* () {
      try {
        for await (const chunk of chunks) {
          yield {
            id: chunk.id,
            model,
            choices: chunk.choices.map((choice) => ({
              index: 0 as const,
              delta: choice.delta.content ? { content: choice.delta.content } : {},
              finish_reason: choice.finish_reason ? finishReason(choice.finish_reason) : null,
            })),
            ...(chunk.usage ? { usage: usageOf(chunk.usage) } : {}),
          };
        }
      } finally {
        stop();
      }
    })();
  }

  #aborted(): ChatCompletion {
    return {
      id: `aborted-${crypto.randomUUID()}`,
      model: this.model.id,
      choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'abort' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    };
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

function usageOf(usage: WebLLMUsage | undefined): ChatUsage {
  if (!usage) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const extra = usage.extra;
  const out: ChatUsage = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
  if (typeof extra?.decode_tokens_per_s === 'number') out.decode_tokens_per_s = extra.decode_tokens_per_s;
  if (typeof extra?.prefill_tokens_per_s === 'number') out.prefill_tokens_per_s = extra.prefill_tokens_per_s;
  if (typeof extra?.e2e_latency_s === 'number') out.e2e_latency_s = extra.e2e_latency_s;
  return out;
}
