/**
 * A fallback engine for Anthropic's Messages API, called straight from the browser (Anthropic
 * requires the `anthropic-dangerous-direct-browser-access` header for that: the key is the
 * user's own, kept in this browser, so there is no server to hide it on).
 *
 * Structured output: one tool whose `input_schema` is the step's schema, forced with
 * `tool_choice`, so the answer arrives as the tool's input. A schema whose top level is not an
 * object is wrapped in `{ value }` (tool inputs must be objects) and unwrapped on the way back.
 */
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatEngine,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from '../../core/engines/engine.ts';
import { oneShotChat } from '../../core/engines/engine.ts';
import type { EgressGate } from '../egress.ts';
import { locationOf } from './location.ts';
import { abortedCompletion, estimateTokens, FallbackError, isAbort, joinUrl, postJson, usageOf } from './request.ts';

export const ANTHROPIC_VERSION = '2023-06-01';
const TOOL_NAME = 'answer';

export interface AnthropicOptions {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  contextWindow?: number;
  gate?: EgressGate;
}

export class AnthropicEngine implements ChatEngine {
  readonly info: EngineInfo;
  readonly chat = oneShotChat((request, options) => this.#complete(request, options));

  constructor(private readonly options: AnthropicOptions) {
    this.info = {
      id: 'anthropic',
      model: options.model,
      location: locationOf(options.baseUrl),
      size: 'large',
      contextWindow: options.contextWindow ?? 200_000,
    };
  }

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const started = performance.now();
    const { body, wrapped } = this.requestBody(request);
    let raw: unknown;
    try {
      raw = await postJson({
        url: joinUrl(this.options.baseUrl, 'v1/messages'),
        headers: {
          ...(this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {}),
          'anthropic-version': ANTHROPIC_VERSION,
          'anthropic-dangerous-direct-browser-access': 'true',
        },
        body,
        signal: options?.signal,
        secret: this.options.apiKey,
        gate: this.options.gate,
      });
    } catch (error) {
      if (isAbort(error) || options?.signal?.aborted) return abortedCompletion(this.options.model);
      throw error;
    }
    return this.#completionFrom(raw, request, wrapped, (performance.now() - started) / 1000);
  }

  /** Exactly what is sent: system text, the step's messages, the schema as a forced tool. */
  requestBody(request: ChatCompletionRequest): { body: Record<string, unknown>; wrapped: boolean } {
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n');
    // The Messages API wants user/assistant turns that alternate and start with the user.
    const turns: { role: 'user' | 'assistant'; content: string }[] = [];
    for (const message of request.messages) {
      if (message.role === 'system') continue;
      const last = turns.at(-1);
      if (last?.role === message.role) last.content += `\n\n${message.content}`;
      else turns.push({ role: message.role, content: message.content });
    }
    if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: '(continue)' });

    const body: Record<string, unknown> = {
      model: this.options.model,
      max_tokens: request.max_tokens,
      messages: turns,
    };
    if (system) body.system = system;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.top_p !== undefined && request.temperature === undefined) body.top_p = request.top_p;
    let wrapped = false;
    if (request.response_format) {
      const schema = JSON.parse(request.response_format.schema) as Record<string, unknown>;
      wrapped = schema.type !== 'object';
      body.tools = [
        {
          name: TOOL_NAME,
          description: 'Give your answer. Its input is the whole answer.',
          input_schema: wrapped ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema,
        },
      ];
      body.tool_choice = { type: 'tool', name: TOOL_NAME };
    }
    return { body, wrapped };
  }

  #completionFrom(raw: unknown, request: ChatCompletionRequest, wrapped: boolean, latencyS: number): ChatCompletion {
    const data = raw as {
      id?: unknown;
      model?: unknown;
      content?: { type?: unknown; text?: unknown; name?: unknown; input?: unknown }[];
      stop_reason?: unknown;
      usage?: { input_tokens?: unknown; output_tokens?: unknown };
    };
    if (!Array.isArray(data.content)) {
      throw new FallbackError(`${new URL(this.options.baseUrl).host} answered without content.`, 200);
    }
    let content: string;
    const tool = data.content.find((block) => block.type === 'tool_use' && block.name === TOOL_NAME);
    if (request.response_format && tool) {
      const input = tool.input as Record<string, unknown> | undefined;
      content = JSON.stringify(wrapped ? input?.value : input);
    } else {
      content = data.content
        .filter((block) => block.type === 'text' && typeof block.text === 'string')
        .map((block) => block.text as string)
        .join('');
    }
    const prompt = numberOr(data.usage?.input_tokens, estimateTokens(JSON.stringify(request.messages)));
    const completion = numberOr(data.usage?.output_tokens, estimateTokens(content));
    return {
      id: typeof data.id === 'string' ? data.id : 'anthropic',
      model: typeof data.model === 'string' ? data.model : this.options.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: stopReasonOf(data.stop_reason) }],
      usage: usageOf(prompt, completion, latencyS),
    };
  }
}

function stopReasonOf(value: unknown): FinishReason {
  if (value === 'max_tokens') return 'length';
  if (value === 'end_turn' || value === 'tool_use' || value === 'stop_sequence' || value == null) return 'stop';
  return 'error';
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
