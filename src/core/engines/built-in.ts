/**
 * Chrome's built-in model (Gemini Nano through the Prompt API, `LanguageModel`) as a ChatEngine.
 * Chrome downloads and runs the model itself: Sift fetches nothing. The API object is passed in
 * (the page's `globalThis.LanguageModel`, or a fake in tests), so this module stays pure.
 *
 * The API as of the explainer (webmachinelearning/prompt-api) and Chrome's docs:
 * - `LanguageModel.availability(options)` → unavailable | downloadable | downloading | available,
 *   asked with the same `expectedInputs`/`expectedOutputs` as `create()`;
 * - `LanguageModel.create({initialPrompts, expectedInputs, expectedOutputs, monitor, signal})`;
 *   `monitor` receives `downloadprogress` events (`loaded` 0..1); while the model is still to be
 *   downloaded, create() needs a user activation (else `NotAllowedError`);
 * - `session.promptStreaming(input, {responseConstraint, signal})` streams text pieces; the JSON
 *   Schema in `responseConstraint` constrains the output (`NotSupportedError` for a schema feature
 *   it lacks);
 * - context: `contextUsage`, `contextWindow`, `measureContextUsage()` (Chrome before the rename:
 *   `inputUsage`, `inputQuota`, `measureInputUsage()`); a prompt that cannot fit rejects with
 *   `QuotaExceededError`;
 * - `session.destroy()` frees the model. It exists only on window (not in workers).
 */
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatEngine,
  ChatMessage,
  ChatUsage,
  EngineInfo,
  FinishReason,
  RequestOptions,
} from './engine.ts';
import { collectStream } from './engine.ts';
import { messageOf } from '../text/error-message.ts';

export const builtInAvailabilities = ['unavailable', 'downloadable', 'downloading', 'available'] as const;
export type BuiltInAvailability = (typeof builtInAvailabilities)[number];

interface Expected {
  type: 'text';
  languages?: string[];
}

export interface LanguageModelCreateOptions {
  initialPrompts?: ChatMessage[];
  expectedInputs?: Expected[];
  expectedOutputs?: Expected[];
  monitor?: (monitor: DownloadMonitor) => void;
  signal?: AbortSignal;
}

export interface DownloadMonitor {
  addEventListener(type: 'downloadprogress', listener: (event: { loaded: number }) => void): void;
}

export interface LanguageModelPromptOptions {
  responseConstraint?: object;
  signal?: AbortSignal;
}

export interface LanguageModelSession {
  promptStreaming(input: string, options?: LanguageModelPromptOptions): ReadableStream<string>;
  measureContextUsage?(input: string, options?: LanguageModelPromptOptions): Promise<number>;
  measureInputUsage?(input: string, options?: LanguageModelPromptOptions): Promise<number>;
  readonly contextUsage?: number;
  readonly contextWindow?: number;
  readonly inputUsage?: number;
  readonly inputQuota?: number;
  destroy(): void;
}

/** The static side of `LanguageModel`, as much of it as Sift uses. */
export interface LanguageModelApi {
  availability(options?: LanguageModelCreateOptions): Promise<string>;
  create(options?: LanguageModelCreateOptions): Promise<LanguageModelSession>;
}

/** Sift asks and answers in English; the same options go to availability() and create(). */
const sessionOptions = {
  expectedInputs: [{ type: 'text', languages: ['en'] }],
  expectedOutputs: [{ type: 'text', languages: ['en'] }],
} satisfies LanguageModelCreateOptions;

export const builtInEngineId = 'built-in:chrome';

export async function builtInAvailability(api: LanguageModelApi | null | undefined): Promise<BuiltInAvailability> {
  if (!api) return 'unavailable';
  try {
    const answer = await api.availability(sessionOptions);
    return (builtInAvailabilities as readonly string[]).includes(answer)
      ? (answer as BuiltInAvailability)
      : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

export class BuiltInModelError extends Error {
  constructor(
    /** The DOMException's name (`QuotaExceededError`...), kept so callers can tell causes apart. */
    override readonly name: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** What went wrong, in words a person can act on. */
export function explainBuiltInError(error: unknown): BuiltInModelError {
  if (error instanceof BuiltInModelError) return error;
  const name = (error as { name?: string } | null)?.name ?? 'Error';
  const detail = messageOf(error);
  const quota = error as { requested?: number; quota?: number; contextWindow?: number };
  const messages: Record<string, string> = {
    QuotaExceededError: `The request is too long for Chrome's built-in model${
      quota.requested ? ` (${quota.requested} tokens; it holds ${quota.quota ?? quota.contextWindow ?? 'fewer'})` : ''
    }. Shorter input or a model with a larger context is needed.`,
    NotAllowedError:
      'Chrome starts downloading its built-in model only after you click on the page: press the button again.',
    NotSupportedError: `Chrome's built-in model cannot take this request (a language or a JSON Schema feature it does not support): ${detail}`,
    NetworkError:
      'Chrome could not download its built-in model. Check the connection and that about 22 GB of disk are free, then try again.',
    AbortError: 'Cancelled.',
    InvalidStateError: "Chrome's built-in model was closed; load it again.",
    SyntaxError: "Chrome's built-in model could not write an answer that fits the JSON Schema.",
  };
  return new BuiltInModelError(name, messages[name] ?? `Chrome's built-in model failed: ${detail}`, { cause: error });
}

export function builtInUnavailable(): BuiltInModelError {
  return new BuiltInModelError(
    'NotSupportedError',
    'This browser has no built-in model. Chrome 148+ on desktop (Windows 10/11, macOS 13+, Linux, Chromebook Plus) offers Gemini Nano where the device has over 4 GB of GPU memory (or 16 GB RAM and 4 cores) and about 22 GB free disk.',
  );
}

export interface LoadOptions {
  signal?: AbortSignal;
  /** Chrome's own download progress, 0..1 (at least a 0 and a 1 even when nothing downloads). */
  onProgress?: (fraction: number) => void;
  now?: () => number;
}

/**
 * Creates the session that keeps the model loaded (and downloads it first when needed; call this
 * from a click, since Chrome wants a user activation for the download), then the engine over it.
 */
export async function loadBuiltInModel(api: LanguageModelApi | null | undefined, options: LoadOptions = {}) {
  if (!api || (await builtInAvailability(api)) === 'unavailable') throw builtInUnavailable();
  try {
    const session = await api.create({
      ...sessionOptions,
      ...(options.signal ? { signal: options.signal } : {}),
      monitor: (monitor) =>
        monitor.addEventListener('downloadprogress', (event) => options.onProgress?.(Number(event.loaded) || 0)),
    });
    return new BuiltInEngine(api, session, options.now);
  } catch (error) {
    throw explainBuiltInError(error);
  }
}

const contextUsage = (session: LanguageModelSession) => session.contextUsage ?? session.inputUsage ?? null;
const contextWindow = (session: LanguageModelSession) => session.contextWindow ?? session.inputQuota ?? null;

async function measure(session: LanguageModelSession, input: string, options: LanguageModelPromptOptions) {
  const measureUsage = session.measureContextUsage ?? session.measureInputUsage;
  if (!measureUsage) return null;
  try {
    return await measureUsage.call(session, input, options);
  } catch {
    return null;
  }
}

/** Characters per token for the estimate used where the API gives no count. */
const charsPerToken = 4;

export class BuiltInEngine implements ChatEngine {
  readonly info: EngineInfo;
  readonly chat: ChatEngine['chat'];
  #destroyed = false;

  constructor(
    private readonly api: LanguageModelApi,
    /** Held open so Chrome keeps the model in memory between requests. */
    private readonly keepAlive: LanguageModelSession,
    private readonly now: () => number = () => performance.now(),
  ) {
    const window = contextWindow(keepAlive);
    this.info = {
      id: builtInEngineId,
      model: 'Gemini Nano (Chrome built-in)',
      location: 'on-device',
      size: 'small',
      // Infinity means "no fixed limit"; batches are still sized for a small model.
      contextWindow: window && Number.isFinite(window) ? window : 4096,
    };
    const create = (async (request: ChatCompletionRequest, options?: RequestOptions) => {
      const chunks = this.#stream(request, options?.signal);
      return request.stream ? chunks : collectStream(chunks);
    }) as ChatEngine['chat']['completions']['create'];
    this.chat = { completions: { create } };
  }

  destroy(): void {
    this.#destroyed = true;
    this.keepAlive.destroy();
  }

  /**
   * One request, one fresh session: the conversation so far becomes its initial prompts (the
   * system message first, as the API requires) and the last user message is prompted. The Prompt
   * API has no output limit, so `max_tokens` is kept by stopping the stream (finish "length").
   */
  async *#stream(request: ChatCompletionRequest, signal: AbortSignal | undefined): AsyncGenerator<ChatCompletionChunk> {
    if (this.#destroyed) throw explainBuiltInError(new DOMException('destroyed', 'InvalidStateError'));
    if (!Number.isInteger(request.max_tokens) || request.max_tokens <= 0) {
      throw new RangeError('max_tokens must be a positive integer: an unconstrained small model may never stop.');
    }
    const last = request.messages.at(-1);
    if (!last || last.role !== 'user') throw new Error('The last message must come from the user.');
    const id = `built-in-${Math.round(this.now())}`;
    const chunk = (delta: string, finish: FinishReason | null, usage?: ChatUsage): ChatCompletionChunk => ({
      id,
      model: this.info.model,
      choices: [{ index: 0, delta: delta ? { content: delta } : {}, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    });
    if (signal?.aborted) {
      yield chunk('', 'abort', { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
      return;
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let session: LanguageModelSession | null = null;
    const sentAt = this.now();
    let firstAt: number | null = null;
    let text = '';
    let finish: FinishReason = 'stop';
    try {
      session = await this.api.create({
        ...sessionOptions,
        initialPrompts: request.messages.slice(0, -1),
        signal: stop.signal,
      });
      const promptOptions: LanguageModelPromptOptions = { signal: stop.signal };
      if (request.response_format) promptOptions.responseConstraint = JSON.parse(request.response_format.schema);
      const before = contextUsage(session);
      const promptTokens = await measure(session, last.content, promptOptions);
      const reader = session.promptStreaming(last.content, promptOptions).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!value) continue;
          firstAt ??= this.now();
          text += value;
          yield chunk(value, null);
          if (Math.ceil(text.length / charsPerToken) >= request.max_tokens) {
            finish = 'length';
            stop.abort();
            break;
          }
        }
      } finally {
        reader.releaseLock();
      }
      const endedAt = this.now();
      const after = contextUsage(session);
      const initial = before ?? 0;
      const prompt = initial + (promptTokens ?? Math.ceil(last.content.length / charsPerToken));
      const counted = after !== null && before !== null && promptTokens !== null ? after - before - promptTokens : -1;
      const completion = counted > 0 && finish === 'stop' ? counted : Math.ceil(text.length / charsPerToken);
      const usage: ChatUsage = {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
      };
      // Timed from the stream here, since the API reports no speeds of its own.
      if (firstAt !== null && firstAt > sentAt) usage.prefill_tokens_per_s = prompt / ((firstAt - sentAt) / 1000);
      if (firstAt !== null && endedAt > firstAt && completion > 1) {
        usage.decode_tokens_per_s = (completion - 1) / ((endedAt - firstAt) / 1000);
      }
      usage.e2e_latency_s = (endedAt - sentAt) / 1000;
      yield chunk('', finish, usage);
    } catch (error) {
      if (signal?.aborted) {
        const estimate = Math.ceil(text.length / charsPerToken);
        yield chunk('', 'abort', { prompt_tokens: 0, completion_tokens: estimate, total_tokens: estimate });
        return;
      }
      throw explainBuiltInError(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      session?.destroy();
    }
  }
}
