/**
 * Wraps any engine to time what the benchmark reports: each request is sent streaming, so the time
 * to the first token is measured at the first piece of text, and the engine's own speeds (prefill
 * and decode tokens/s, where it reports them) are kept. The caller still gets a whole completion
 * when it asked for one.
 */
import {
  collectStream,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatEngine,
  type EngineInfo,
  type FinishReason,
  type RequestOptions,
} from '../engines/engine.ts';

const emptyThinkBlock = /^\s*<think>\s*<\/think>/;

export interface RequestMeasure {
  /** From sending the request to the first text; null when no text came. */
  ttftMs: number | null;
  totalMs: number;
  promptTokens: number;
  completionTokens: number;
  /** As the engine reported them; absent when it does not measure them. */
  prefillTokensPerS?: number;
  decodeTokensPerS?: number;
  finishReason: FinishReason;
}

export class MeteredEngine implements ChatEngine {
  readonly info: EngineInfo;
  readonly measures: RequestMeasure[] = [];
  readonly chat: ChatEngine['chat'];

  constructor(
    private readonly inner: ChatEngine,
    private readonly now: () => number,
  ) {
    this.info = inner.info;
    const create = (async (request: ChatCompletionRequest, options?: RequestOptions) => {
      const chunks = this.#measured(
        await this.inner.chat.completions.create({ ...request, stream: true }, options),
        this.now(),
      );
      return request.stream ? chunks : collectStream(chunks);
    }) as ChatEngine['chat']['completions']['create'];
    this.chat = { completions: { create } };
  }

  async *#measured(chunks: AsyncIterable<ChatCompletionChunk>, startedAt: number): AsyncIterable<ChatCompletionChunk> {
    let firstText: number | null = null;
    let text = '';
    let finishReason: FinishReason = 'stop';
    let usage: ChatCompletionChunk['usage'];
    for await (const chunk of chunks) {
      if (firstText === null) {
        text += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
        // The empty think block WebLLM puts before a Qwen3 answer is not the model's first token.
        if (text.replace(emptyThinkBlock, '').trim()) firstText = this.now();
      }
      for (const choice of chunk.choices) if (choice.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
      yield chunk;
    }
    const measure: RequestMeasure = {
      ttftMs: firstText === null ? null : firstText - startedAt,
      totalMs: this.now() - startedAt,
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens: usage?.completion_tokens ?? 0,
      finishReason,
    };
    if (usage?.prefill_tokens_per_s !== undefined) measure.prefillTokensPerS = usage.prefill_tokens_per_s;
    if (usage?.decode_tokens_per_s !== undefined) measure.decodeTokensPerS = usage.decode_tokens_per_s;
    this.measures.push(measure);
  }
}
