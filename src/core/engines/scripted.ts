/**
 * A chat engine that plays back outputs it was given and records every request, so tests and the
 * end-to-end suite can drive the agent exactly. Its token counts are estimates (characters / 4):
 * it has no tokenizer, and nothing it reports is a measurement.
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

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class ScriptedEngine implements ChatEngine {
  readonly info: EngineInfo;
  /** Every request received, in order (deep copies: callers may reuse their arrays). */
  readonly requests: ChatCompletionRequest[] = [];
  #next: ScriptedResponder;

  constructor(replies: readonly ScriptedReply[] | ScriptedResponder, info: Partial<EngineInfo> = {}) {
    this.info = { ...scriptedEngineInfo, ...info };
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
    if (options?.signal?.aborted) return completion(this.info.model, index, '', 'abort', request);
    const reply = this.#next(request, index);
    const content = typeof reply === 'string' ? reply : reply.content;
    const finish = typeof reply === 'string' ? 'stop' : (reply.finish_reason ?? 'stop');
    return completion(this.info.model, index, content, finish, request);
  }
}

function completion(
  model: string,
  index: number,
  content: string,
  finishReason: FinishReason,
  request: ChatCompletionRequest,
): ChatCompletion {
  const prompt = estimateTokens(request.messages.map((message) => message.content).join('\n'));
  const output = estimateTokens(content);
  return {
    id: `scripted-${index}`,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage: { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output },
  };
}
