/**
 * The chat engine contract every model backend implements: the subset of OpenAI's
 * `chat.completions` that WebLLM 0.2.86 implements, so the on-device model, a cloud or
 * on-premises fallback and the test engines are interchangeable behind the agent.
 *
 * Deliberately narrow: no native `tools` (WebLLM supports them for five Hermes models only);
 * tool calls are JSON constrained by `response_format` and validated by the agent's gates.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  /** Always a string: WebLLM rejects non-string assistant content. */
  content: string;
}

/** WebLLM's `json_object` form: `schema` is the JSON Schema serialised as a string. */
export interface JsonSchemaResponseFormat {
  type: 'json_object';
  /** Always set: WebLLM 0.2.86 crashes compiling a grammar from an absent schema. */
  schema: string;
  /**
   * The same constraint as an XGrammar EBNF grammar that allows no free whitespace
   * (`compactJsonGrammar`). WebLLM compiles a schema with any whitespace allowed, which a small
   * model spends its token budget on; an engine that takes grammars (WebLLM's
   * `{type: "grammar"}`) sends this instead of the schema, the others keep to the schema.
   */
  grammar?: string;
}

/**
 * What WebLLM 0.2.86 puts at the start of a Qwen3 answer when thinking is off: it arrives in
 * `message.content` (and the first stream chunk) and counts against `max_tokens`.
 */
export const qwen3EmptyThinkBlock = '<think>\n\n</think>\n\n';

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  response_format?: JsonSchemaResponseFormat;
  /** Required: an unconstrained small model may emit whitespace until it hits the limit. */
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stream?: boolean;
  /** WebLLM's way to switch Qwen3's thinking; other engines ignore what they do not know. */
  extra_body?: { enable_thinking?: boolean };
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Measured by the engine where it can (WebLLM's `usage.extra`). */
  decode_tokens_per_s?: number;
  prefill_tokens_per_s?: number;
  e2e_latency_s?: number;
  /** Seconds from the request to the first token: mostly prefill (WebLLM's `time_to_first_token_s`). */
  time_to_first_token_s?: number;
  time_per_output_token_s?: number;
  /** Seconds spent setting up the output grammar; near zero when the same grammar was used last. */
  grammar_init_s?: number;
  grammar_per_token_s?: number;
}

/** What an engine measured of one call's speed: what the trace shows per call and the model panel for the last. */
export type CallSpeed = Pick<
  ChatUsage,
  'time_to_first_token_s' | 'prefill_tokens_per_s' | 'decode_tokens_per_s' | 'grammar_init_s'
>;

const callSpeedFields = [
  'time_to_first_token_s',
  'prefill_tokens_per_s',
  'decode_tokens_per_s',
  'grammar_init_s',
] as const satisfies readonly (keyof CallSpeed)[];

/** The speed a call's usage reports, or null where the engine measured none (scripted, most remote APIs). */
export function callSpeed(usage: ChatUsage): CallSpeed | null {
  const speed: CallSpeed = {};
  for (const field of callSpeedFields) {
    const value = usage[field];
    if (value !== undefined) speed[field] = value;
  }
  return Object.keys(speed).length ? speed : null;
}

export interface ChatCompletion {
  id: string;
  model: string;
  choices: [{ index: 0; message: { role: 'assistant'; content: string }; finish_reason: FinishReason }];
  usage: ChatUsage;
}

export interface ChatCompletionChunk {
  id: string;
  model: string;
  choices: { index: 0; delta: { content?: string }; finish_reason: FinishReason | null }[];
  /** Present on the last chunk only. */
  usage?: ChatUsage;
}

export interface RequestOptions {
  /** Aborting ends generation early; the completion then reports `finish_reason: "abort"`. */
  signal?: AbortSignal;
}

/** Where a call ran, for the trace and the 2×2 cost summary. */
export type EngineLocation = 'on-device' | 'on-premises' | 'cloud' | 'test';
export type EngineSize = 'small' | 'large';

export interface EngineInfo {
  /** Stable id for traces, e.g. `webllm:Qwen3-1.7B-q4f32_1-MLC` or `openai-compatible:groq`. */
  id: string;
  model: string;
  location: EngineLocation;
  size: EngineSize;
  /** Context window in tokens: the agent sizes its batches to fit. */
  contextWindow: number;
}

export interface ChatEngine {
  readonly info: EngineInfo;
  readonly chat: {
    readonly completions: {
      create(request: ChatCompletionRequest & { stream?: false }, options?: RequestOptions): Promise<ChatCompletion>;
      create(
        request: ChatCompletionRequest & { stream: true },
        options?: RequestOptions,
      ): Promise<AsyncIterable<ChatCompletionChunk>>;
    };
  };
}

/** Drains a streamed completion into the same shape a non-streamed call returns. */
export async function collectStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  onDelta?: (text: string) => void,
): Promise<ChatCompletion> {
  let content = '';
  let finishReason: FinishReason = 'stop';
  let usage: ChatUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let id = '';
  let model = '';
  for await (const chunk of chunks) {
    id ||= chunk.id;
    model ||= chunk.model;
    for (const choice of chunk.choices) {
      if (choice.delta.content) {
        content += choice.delta.content;
        onDelta?.(choice.delta.content);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  return {
    id,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage,
  };
}

/**
 * Replays a finished completion as a stream, for engines whose backend answers in one piece:
 * the content in pieces of `pieceLength` characters (whole by default), then a last chunk with
 * the finish reason and usage, exactly as a streaming engine ends. A leading empty think block
 * stays whole in the first piece, as WebLLM sends it.
 */
export function streamOf(whole: ChatCompletion, pieceLength = Infinity): AsyncIterable<ChatCompletionChunk> {
  const [choice] = whole.choices;
  const content = choice.message.content;
  const head = content.startsWith(qwen3EmptyThinkBlock) ? qwen3EmptyThinkBlock.length : 0;
  return (async function* () {
    for (let start = 0; start < content.length; start += start === 0 ? head + pieceLength : pieceLength) {
      const piece = content.slice(start, start === 0 ? head + pieceLength : start + pieceLength);
      yield {
        id: whole.id,
        model: whole.model,
        choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
      };
    }
    yield {
      id: whole.id,
      model: whole.model,
      choices: [{ index: 0, delta: {}, finish_reason: choice.finish_reason }],
      usage: whole.usage,
    };
  })();
}

/**
 * The `chat` member of an engine whose backend answers in one piece: a streaming request is
 * answered by replaying the finished completion (`streamOf`), so each such engine writes only
 * its non-streaming call.
 */
export function oneShotChat(
  complete: (request: ChatCompletionRequest, options?: RequestOptions) => Promise<ChatCompletion>,
  pieceLength?: number,
): ChatEngine['chat'] {
  const create = async (request: ChatCompletionRequest, options?: RequestOptions) =>
    request.stream ? streamOf(await complete(request, options), pieceLength) : complete(request, options);
  return { completions: { create: create as ChatEngine['chat']['completions']['create'] } };
}
