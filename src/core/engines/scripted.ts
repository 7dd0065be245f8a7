/**
 * A chat engine that plays back outputs it was given and records every request, so tests and the
 * end-to-end suite can drive the agent exactly. It answers as the model it names would reach the
 * agent (realistic-output.ts): a Qwen3 model's answer opens with the empty think block; JSON keeps
 * the whitespace it was written with, unless the request sends the compact grammar (then there is
 * none); and given a token measure it stops at `max_tokens` with "length". Without one its token
 * counts are estimates (characters / 4) and it never cuts. It reports a speed only where its habits
 * give one (WebLLM's timings, scripted).
 */
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatEngine,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from './engine.ts';
import { oneShotChat } from './engine.ts';
import { layoutFor, promptTokens, relayoutJson, shapeAnswer, type ModelHabits } from './realistic-output.ts';

/** One played-back answer: the text, optionally with the finish reason a real engine would give. */
export type ScriptedReply = string | { content: string; finish_reason?: FinishReason };

/** Computes the reply from the request: how an oracle (a model that is always right) is written. */
export type ScriptedResponder = (request: ChatCompletionRequest, index: number) => ScriptedReply;

export class ScriptedEngineExhaustedError extends Error {
  override name = 'ScriptedEngineExhaustedError';
}

export const scriptedEngineInfo: EngineInfo = {
  id: 'scripted',
  model: 'scripted',
  location: 'test',
  size: 'small',
  contextWindow: 4096,
};

export class ScriptedEngine implements ChatEngine {
  readonly info: EngineInfo;
  /** Every request received, in order (deep copies: callers may reuse their arrays). */
  readonly requests: ChatCompletionRequest[] = [];
  #next: ScriptedResponder;
  #habits: ModelHabits;

  constructor(
    replies: readonly ScriptedReply[] | ScriptedResponder,
    info: Partial<EngineInfo> = {},
    habits: ModelHabits = {},
  ) {
    this.info = { ...scriptedEngineInfo, ...info };
    this.#habits = habits;
    if (typeof replies === 'function') {
      this.#next = replies;
    } else {
      const queue = [...replies];
      this.#next = (_request, index) => {
        const reply = queue[index];
        if (reply === undefined) {
          throw new ScriptedEngineExhaustedError(
            `ScriptedEngine has ${queue.length} scripted outputs but received request ${index + 1}.`,
          );
        }
        return reply;
      };
    }
  }

  // Streams in small pieces, so consumers meet a real stream's many chunks.
  readonly chat = oneShotChat((request, options) => this.#complete(request, options), 8);

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const index = this.requests.length;
    this.requests.push(structuredClone(request));
    if (options?.signal?.aborted) return this.#completion(index, '', 'abort', 0, request);
    const reply = this.#next(request, index);
    const written = typeof reply === 'string' ? reply : reply.content;
    const finish = typeof reply === 'string' ? 'stop' : (reply.finish_reason ?? 'stop');
    const shaped = shapeAnswer(this.#layout(written, request), finish, request, this.info.model, this.#habits.tokens);
    return this.#completion(index, shaped.content, shaped.finish, shaped.completionTokens, request);
  }

  /** JSON as the grammar lets the model write it, every value as scripted; anything else exactly as scripted. */
  #layout(written: string, request: ChatCompletionRequest): string {
    const layout = layoutFor(request, this.#habits.layout);
    return (layout && relayoutJson(written, layout)) ?? written;
  }

  #completion(
    index: number,
    content: string,
    finishReason: FinishReason,
    output: number,
    request: ChatCompletionRequest,
  ): ChatCompletion {
    const prompt = promptTokens(request, this.#habits.tokens);
    return {
      id: `scripted-${index}`,
      model: this.info.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
      usage: { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output, ...this.#habits.speed },
    };
  }
}
