/**
 * A fallback engine for any endpoint that speaks OpenAI's `/chat/completions`: OpenAI,
 * OpenRouter, Groq, Together, and model servers on the user's machine or network (Ollama,
 * LM Studio, llama.cpp server).
 *
 * Structured output steps down gracefully: `json_schema` (strict structured outputs) where the
 * endpoint takes it, else `json_object` (JSON mode) with the schema in the prompt, else the schema
 * in the prompt alone. The agent's gates validate the answer either way. The mode that worked
 * is remembered for the rest of the page's life.
 *
 * Streaming requests are answered with one chunk: the agent needs whole JSON answers, and one
 * non-streamed call is simpler for every server to get right.
 */
import type {
  ChatCompletion,
  ChatCompletionRequest,
  ChatEngine,
  ChatMessage,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from '../../core/engines/engine.ts';
import { oneShotChat } from '../../core/engines/engine.ts';
import type { EgressGate } from '../egress.ts';
import { locationOf } from './location.ts';
import type { StructuredOutput } from './presets.ts';
import { abortedCompletion, estimateTokens, FallbackError, isAbort, joinUrl, postJson, usageOf } from './request.ts';

export interface OpenAICompatibleOptions {
  /** Preset id or `custom`: names the engine in traces. */
  name: string;
  baseUrl: string;
  model: string;
  apiKey: string | null;
  structured?: StructuredOutput;
  contextWindow?: number;
  gate?: EgressGate;
}

const STEP_DOWN: Record<StructuredOutput, StructuredOutput | null> = {
  json_schema: 'json_object',
  json_object: 'none',
  none: null,
};

export class OpenAICompatibleEngine implements ChatEngine {
  readonly info: EngineInfo;
  #structured: StructuredOutput;
  /** OpenAI's reasoning models refuse `max_tokens` (they take `max_completion_tokens`) and any non-default sampling. */
  #tokenLimit: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';
  #sampling = true;
  readonly chat = oneShotChat((request, options) => this.#complete(request, options));

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.#structured = options.structured ?? 'json_schema';
    this.info = {
      id: `openai-compatible:${options.name}`,
      model: options.model,
      location: locationOf(options.baseUrl),
      size: 'large',
      contextWindow: options.contextWindow ?? 32_768,
    };
  }

  /** The structured-output mode in use now (after any step-down). */
  get structured(): StructuredOutput {
    return this.#structured;
  }

  async #complete(request: ChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion> {
    const started = performance.now();
    for (;;) {
      try {
        const raw = await postJson({
          url: joinUrl(this.options.baseUrl, 'chat/completions'),
          headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
          body: this.requestBody(request),
          signal: options?.signal,
          secret: this.options.apiKey,
          gate: this.options.gate,
        });
        return this.#completionFrom(raw, request, (performance.now() - started) / 1000);
      } catch (error) {
        if (isAbort(error) || options?.signal?.aborted) return abortedCompletion(this.options.model);
        if (this.#tokenLimit === 'max_tokens' && refusedParameter(error, /max_completion_tokens/)) {
          this.#tokenLimit = 'max_completion_tokens';
          continue;
        }
        if (this.#sampling && refusedParameter(error, /\b(temperature|top_p)\b/)) {
          this.#sampling = false;
          continue;
        }
        const next = STEP_DOWN[this.#structured];
        if (request.response_format && next && refusedStructuredOutput(error)) {
          this.#structured = next;
          continue;
        }
        throw error;
      }
    }
  }

  /** Exactly what is sent: the step's messages and the schema, nothing about the user or their CRM. */
  requestBody(request: ChatCompletionRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.options.model,
      messages: request.messages,
      [this.#tokenLimit]: request.max_tokens,
      stream: false,
    };
    if (this.#sampling && request.temperature !== undefined) body.temperature = request.temperature;
    if (this.#sampling && request.top_p !== undefined) body.top_p = request.top_p;
    if (request.seed !== undefined) body.seed = request.seed;
    const schemaText = request.response_format?.schema;
    if (schemaText === undefined) return body;
    if (this.#structured === 'json_schema') {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: 'sift_step', schema: JSON.parse(schemaText) as unknown, strict: false },
      };
      return body;
    }
    body.messages = withSchemaInstruction(request.messages, schemaText);
    if (this.#structured === 'json_object') body.response_format = { type: 'json_object' };
    return body;
  }

  #completionFrom(raw: unknown, request: ChatCompletionRequest, latencyS: number): ChatCompletion {
    const data = raw as {
      id?: unknown;
      model?: unknown;
      choices?: { message?: { content?: unknown; reasoning_content?: unknown }; finish_reason?: unknown }[];
      usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
    };
    const choice = data.choices?.[0];
    if (!choice?.message) {
      throw new FallbackError(`${new URL(this.options.baseUrl).host} answered without a message.`, 200);
    }
    const content = typeof choice.message.content === 'string' ? choice.message.content : '';
    const prompt = numberOr(data.usage?.prompt_tokens, estimateTokens(JSON.stringify(request.messages)));
    const completion = numberOr(data.usage?.completion_tokens, estimateTokens(content));
    return {
      id: typeof data.id === 'string' ? data.id : 'fallback',
      model: typeof data.model === 'string' ? data.model : this.options.model,
      choices: [
        { index: 0, message: { role: 'assistant', content }, finish_reason: finishReasonOf(choice.finish_reason) },
      ],
      usage: usageOf(prompt, completion, latencyS),
    };
  }
}

/** A 400 naming a parameter this model does not take (OpenAI: "Unsupported parameter/value: ..."). */
function refusedParameter(error: unknown, parameter: RegExp): boolean {
  return (
    error instanceof FallbackError &&
    error.status === 400 &&
    /unsupported/i.test(error.detail) &&
    parameter.test(error.detail)
  );
}

/** 400/422 naming response_format or schemas: the endpoint (or this model) lacks that mode. */
function refusedStructuredOutput(error: unknown): boolean {
  if (!(error instanceof FallbackError)) return false;
  if (error.status !== 400 && error.status !== 422 && error.status !== 501) return false;
  return /response_format|json_schema|json_object|schema|structured|grammar/i.test(error.detail);
}

export function withSchemaInstruction(messages: ChatMessage[], schema: string): ChatMessage[] {
  const instruction = `Answer with one JSON value that matches this JSON Schema, and nothing else:\n${schema}`;
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

function finishReasonOf(value: unknown): FinishReason {
  if (value === 'length') return 'length';
  if (value === 'stop' || value === 'tool_calls' || value === 'end_turn') return 'stop';
  return value == null ? 'stop' : 'error';
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
