/**
 * The one owner of the on-device model's worker. It speaks WebLLM 0.2.86's worker protocol
 * (the subset Sift needs: setAppConfig, reload with progress, streamed chat completion,
 * interruptGenerate, unload, resetChat; read from `WebWorkerMLCEngine` in the package's lib) plus
 * Sift's `sift:*` kinds, without importing WebLLM's code on the main thread.
 *
 * Loading is cancelled by terminating the worker (WebLLM cannot stop a download any other way),
 * so a cancelled or crashed worker also forgets the loaded model; the next call starts afresh.
 *
 * Every generation is watched, because a real GPU can fail in ways WebLLM does not report: on
 * device loss it unloads the model but neither fails the request in flight nor tells anyone
 * (lib/index.js L18303–18308), so later calls get `ModelNotLoadedError`; and `device.lost` does not
 * settle on every platform. So: no token for too long → ask it to stop; no answer to the stop →
 * terminate the worker. Either way, or on WebLLM's own loss errors, the model is "lost": listeners
 * hear it, and the next call says so until the model is reloaded. A stop is resent until the
 * request settles, because WebLLM clears its interrupt flag when a request takes the model's lock
 * (L18646, L18578): a stop sent while the request still waited for the lock is dropped.
 */
import type { ChatCompletionChunk, ChatCompletionRequest, InitProgressReport } from '@mlc-ai/web-llm';
import type { AppConfigForModel } from '../../core/engines/catalogue.ts';
import { GpuUnsuitableError, describeShortfalls, gpuShortfalls } from '../../core/engines/gpu-requirements.ts';
import { ModelLostError, isModelLoss } from '../../core/engines/model-errors.ts';
import type {
  CachedModel,
  DownloadProgress,
  SiftCalls,
  SiftDeviceLostMessage,
  SiftKind,
  SiftProgressMessage,
  StorageReport,
} from '../../../workers/llm.worker.ts';
import { connectWorkerEgress } from '../../net/egress.ts';
import { WorkerCrashedError, WorkerOwner, type WorkerEvents } from './worker-owner.ts';

/** An error the worker reported; WebLLM sends "Name: message" strings, so the name is recovered. */
export class LlmWorkerError extends Error {
  constructor(raw: string) {
    const match = /^([A-Za-z][A-Za-z0-9]*(?:Error|Exception)):\s*([\s\S]*)$/.exec(raw);
    super(match ? match[2] : raw);
    this.name = match ? match[1]! : 'LlmWorkerError';
  }
}

/** Sift has no model loaded (never loaded, unloaded, or cancelled): nothing was lost. */
export class NoModelLoadedError extends Error {
  override name = 'NoModelLoadedError';
  constructor() {
    super('No on-device model is loaded. Load one in the model panel first.');
  }
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: DownloadProgress) => void;
};

/** One live worker and the requests waiting on it. */
export class LlmConnection {
  readonly #pending = new Map<string, Pending>();
  #failed: Error | undefined;
  /** WebLLM sends load progress with an empty uuid: it belongs to whichever reload runs. */
  onInitProgress: ((report: InitProgressReport) => void) | undefined;
  onDeviceLost: ((message: string) => void) | undefined;

  constructor(readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent) => this.#receive(event.data));
  }

  /** Posts a request whose answer nobody waits for (`setAppConfig`, a stop). */
  post(kind: string, content: unknown): void {
    this.worker.postMessage({ kind, uuid: crypto.randomUUID(), content });
  }

  request<T>(kind: string, content: unknown, onProgress?: (progress: DownloadProgress) => void): Promise<T> {
    if (this.#failed) return Promise.reject(this.#failed);
    const uuid = crypto.randomUUID();
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(uuid, {
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
      this.worker.postMessage({ kind, uuid, content });
    });
  }

  sift<K extends SiftKind>(
    kind: K,
    content: SiftCalls[K]['content'],
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<SiftCalls[K]['result']> {
    return this.request(kind, content, onProgress);
  }

  /** The worker is gone: every request waiting on it, and every later one, fails with `error`. */
  failAll(error: Error): void {
    this.#failed ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #receive(data: unknown): void {
    const message = data as { kind?: string; uuid?: string; content?: unknown } | null;
    if (!message || typeof message.kind !== 'string') return;
    if (message.kind === 'initProgressCallback') {
      this.onInitProgress?.(message.content as InitProgressReport);
      return;
    }
    if (message.kind === 'sift:deviceLost') {
      this.onDeviceLost?.((message as SiftDeviceLostMessage).content.message);
      return;
    }
    const pending = this.#pending.get(message.uuid ?? '');
    if (!pending) return;
    if (message.kind === 'sift:progress') {
      pending.onProgress?.((message as SiftProgressMessage).content);
      return;
    }
    if (message.kind === 'heartbeat') return;
    this.#pending.delete(message.uuid!);
    if (message.kind === 'return') pending.resolve(message.content);
    else
      pending.reject(
        new LlmWorkerError(typeof message.content === 'string' ? message.content : 'The model worker failed.'),
      );
  }
}

export interface LoadCallbacks {
  /** The worker's GPU probe passed; the download starts next. */
  onProbed?: () => void;
  onDownload?: (progress: DownloadProgress) => void;
  onInit?: (report: InitProgressReport) => void;
}

/** How long a generation may go without an answer. Tests shorten them; the defaults suit slow GPUs. */
export interface WatchdogTimes {
  /** Before the first token, on top of the prompt's expected prefill time (grammar set-up, queueing). */
  firstTokenMs: number;
  /** Between two tokens (one decode step; a slow integrated GPU takes well under a second). */
  betweenTokensMs: number;
  /** How often a stop is sent again until the request settles. */
  stopResendMs: number;
  /** After the first stop, how long the request has to settle before the worker is terminated. */
  stopGraceMs: number;
}

export const DEFAULT_WATCHDOG: WatchdogTimes = {
  firstTokenMs: 60_000,
  betweenTokensMs: 30_000,
  stopResendMs: 250,
  stopGraceMs: 5_000,
};

/** Prefill speed assumed until a call has measured this device's (slow integrated GPUs manage more). */
const ASSUMED_PREFILL_TOKENS_PER_S = 50;

/**
 * The first-token bound for a prompt: the fixed allowance plus three times its expected prefill
 * (characters ÷ 2 overcounts tokens for English and roughly matches Chinese and Japanese), at the
 * speed the last call measured.
 */
export function firstTokenDeadlineMs(times: WatchdogTimes, promptChars: number, prefillTokensPerS?: number): number {
  const rate = prefillTokensPerS && prefillTokensPerS > 0 ? prefillTokensPerS : ASSUMED_PREFILL_TOKENS_PER_S;
  return times.firstTokenMs + Math.round((3 * 1000 * (promptChars / 2)) / rate);
}

/** A stop sent now and again every `everyMs` until `end()`, with a deadline for the request to settle. */
class Stop {
  #timer: ReturnType<typeof setInterval> | undefined;
  #deadline: number | undefined;

  constructor(
    private readonly send: () => void,
    private readonly times: WatchdogTimes,
  ) {}

  get started(): boolean {
    return this.#deadline !== undefined;
  }

  start(): void {
    if (this.#deadline !== undefined) return;
    this.#deadline = Date.now() + this.times.stopGraceMs;
    this.send();
    this.#timer = setInterval(this.send, this.times.stopResendMs);
  }

  remainingMs(): number {
    return Math.max(0, (this.#deadline ?? Date.now()) - Date.now());
  }

  end(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

type Outcome<T> = { settled: true; value: T } | { settled: false };

/** Waits for `promise` at most `ms`; a rejection is rethrown. */
async function within<T>(promise: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  try {
    return await Promise.race([promise.then((value): Outcome<T> => ({ settled: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export type LostListener = (error: ModelLostError) => void;

/** The model worker's operations, each starting the worker on first use. */
export class LlmWorker {
  readonly owner: WorkerOwner<LlmConnection>;
  readonly #times: WatchdogTimes;
  #loaded: { connection: LlmConnection; modelId: string } | undefined;
  #current: LlmConnection | undefined;
  /** The loaded model's last loss, reported by calls until the next load. */
  #lost: ModelLostError | undefined;
  readonly #lostListeners = new Set<LostListener>();
  /** Generations run one at a time, so a stop never lands on another request's turn. */
  #turn: Promise<void> = Promise.resolve();
  #measured: { prefillTokensPerS?: number; secondsPerToken?: number } = {};

  constructor(spawn: () => Worker = spawnLlmWorker, events: WorkerEvents = {}, times: Partial<WatchdogTimes> = {}) {
    this.#times = { ...DEFAULT_WATCHDOG, ...times };
    this.owner = new WorkerOwner(
      'model worker',
      spawn,
      (worker) => {
        const connection = new LlmConnection(worker);
        connection.onDeviceLost = (message) => {
          if (this.#loaded?.connection !== connection) return;
          this.#lose(
            new ModelLostError(
              'device-lost',
              `The GPU dropped the model (the graphics device was lost${message ? `: ${message}` : ''}; a driver reset or another tab or app needing the memory does this). It is no longer loaded.`,
            ),
          );
        };
        this.#current = connection;
        return connection;
      },
      {
        onCrash: (error) => {
          this.#current?.failAll(error);
          if (this.#loaded) {
            this.#loaded = undefined;
            this.#markLost(
              new ModelLostError(
                'worker-crashed',
                `The model worker stopped unexpectedly, so the model is no longer loaded.`,
              ),
            );
          }
          events.onCrash?.(error);
        },
      },
    );
  }

  get loadedModelId(): string | undefined {
    return this.#loaded?.modelId;
  }

  /** Hears when a loaded model is lost (device lost, GPU hung, worker crashed). Returns the unsubscribe. */
  onLost(listener: LostListener): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /**
   * Probes the GPU from the worker, downloads the model into the browser cache (byte progress),
   * then has WebLLM load it from there (cache and shader progress). Aborting terminates the worker,
   * stopping every download.
   */
  async load(appConfig: AppConfigForModel, callbacks: LoadCallbacks = {}, signal?: AbortSignal): Promise<void> {
    const record = appConfig.model_list[0];
    this.#loaded = undefined;
    this.#lost = undefined;
    this.#measured = {};
    try {
      await this.owner.run(async (connection) => {
        const report = await connection.sift('sift:probe', null);
        const lacking = gpuShortfalls(report, (record.required_features ?? []).includes('shader-f16'));
        if (lacking.length > 0) throw new GpuUnsuitableError(describeShortfalls(report, lacking));
        callbacks.onProbed?.();
        await connection.sift('sift:download', { appConfig }, callbacks.onDownload);
        connection.post('setAppConfig', appConfig);
        connection.onInitProgress = callbacks.onInit;
        try {
          await connection.request('reload', { modelId: [record.model_id] });
        } finally {
          connection.onInitProgress = undefined;
        }
        this.#loaded = { connection, modelId: record.model_id };
      }, signal);
    } catch (error) {
      // A cancelled load terminated the worker; a failed one may have left WebLLM half-loaded.
      if (!signal?.aborted) this.terminate();
      throw error;
    }
  }

  #connection(): { connection: LlmConnection; modelId: string } {
    const loaded = this.#loaded;
    if (loaded && this.owner.running && this.owner.worker() === loaded.connection.worker) return loaded;
    this.#loaded = undefined;
    throw this.#lost ?? new NoModelLoadedError();
  }

  /**
   * One streamed chat completion, watched (see the file comment). Aborting `signal` stops it (the
   * stream then ends with `finish_reason: "abort"`); a request still waiting for its turn is
   * dropped without reaching the worker. Throws `ModelLostError` when the model is gone.
   */
  async generate(
    request: ChatCompletionRequest & { stream: true },
    options: { signal?: AbortSignal } = {},
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const { modelId } = this.#connection();
    const { signal } = options;
    const release = await this.#takeTurn(signal);
    if (!release) return abortedStream(modelId);
    let connection: LlmConnection;
    try {
      ({ connection } = this.#connection());
    } catch (error) {
      release();
      throw error;
    }
    const stop = new Stop(() => connection.post('interruptGenerate', null), this.#times);
    const onAbort = () => stop.start();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      stop.end();
      signal?.removeEventListener('abort', onAbort);
      release();
    };
    const promptChars = request.messages.reduce((sum, message) => sum + String(message.content ?? '').length, 0);
    const firstTokenMs = firstTokenDeadlineMs(this.#times, promptChars, this.#measured.prefillTokensPerS);
    const betweenTokensMs = Math.max(this.#times.betweenTokensMs, 10_000 * (this.#measured.secondsPerToken ?? 0));
    const streamId = crypto.randomUUID();
    try {
      await this.#answer(
        connection.request('chatCompletionStreamInit', {
          request,
          selectedModelId: modelId,
          streamId,
          modelId: [modelId],
        }),
        firstTokenMs,
        stop,
      );
      if (signal?.aborted) stop.start();
    } catch (error) {
      settle();
      throw this.#asLoss(error);
    }
    return this.#chunks({ connection, streamId, stop, firstTokenMs, betweenTokensMs, settle });
  }

  /** The chunks of one started generation, each pulled from the worker within its deadline. */
  async *#chunks(generation: {
    connection: LlmConnection;
    streamId: string;
    stop: Stop;
    firstTokenMs: number;
    betweenTokensMs: number;
    settle: () => void;
  }): AsyncGenerator<ChatCompletionChunk> {
    const { connection, streamId, stop } = generation;
    let first = true;
    let open = true;
    try {
      for (;;) {
        const chunk = await this.#answer(
          connection.request<ChatCompletionChunk | undefined>('completionStreamNextChunk', { streamId }),
          first ? generation.firstTokenMs : generation.betweenTokensMs,
          stop,
        );
        first = false;
        if (typeof chunk !== 'object' || chunk === null) {
          open = false;
          return;
        }
        this.#learn(chunk);
        yield chunk;
      }
    } catch (error) {
      open = false;
      throw this.#asLoss(error);
    } finally {
      // The reader stopped early: close the worker-side generator, which releases WebLLM's lock.
      if (open) {
        await this.#answer(
          connection.request('completionStreamReturn', { streamId }),
          generation.betweenTokensMs,
          stop,
        ).catch(() => undefined);
      }
      generation.settle();
    }
  }

  /**
   * The worker's answer to one generation request, within `limitMs` (or what is left of the stop's
   * grace once a stop was sent). No answer in time sends a stop; no answer to that terminates the
   * worker and the model is lost.
   */
  async #answer<T>(pending: Promise<T>, limitMs: number, stop: Stop): Promise<T> {
    const stopping = stop.started;
    const answered = await within(pending, stopping ? stop.remainingMs() : limitMs);
    if (answered.settled) return answered.value;
    stop.start();
    const afterStop = await within(pending, stop.remainingMs());
    if (afterStop.settled) return afterStop.value;
    const what = stopping
      ? `it did not stop within ${Math.round(this.#times.stopGraceMs / 1000)} s of being asked to`
      : `nothing for ${Math.round(limitMs / 1000)} s, and no answer to the request to stop`;
    throw this.#lose(
      new ModelLostError(
        'hung',
        `The GPU stopped answering (${what}), so Sift stopped the model worker. The model is no longer loaded.`,
      ),
    );
  }

  async #takeTurn(signal: AbortSignal | undefined): Promise<(() => void) | null> {
    const previous = this.#turn;
    let release!: () => void;
    this.#turn = new Promise<void>((resolve) => (release = resolve));
    if (signal?.aborted) {
      void previous.then(release);
      return null;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const outcome = await Promise.race([previous.then(() => 'ready' as const), aborted]);
    signal?.removeEventListener('abort', onAbort!);
    if (outcome === 'aborted') {
      void previous.then(release);
      return null;
    }
    return release;
  }

  /** Measured speeds scale the watchdog's bounds to this device. */
  #learn(chunk: ChatCompletionChunk): void {
    const extra = chunk.usage?.extra;
    if (!extra) return;
    if (extra.prefill_tokens_per_s > 0) this.#measured.prefillTokensPerS = extra.prefill_tokens_per_s;
    if (extra.time_per_output_token_s > 0) this.#measured.secondsPerToken = extra.time_per_output_token_s;
  }

  /** WebLLM's and WebGPU's ways of saying the model is gone become a loss; other errors pass. */
  #asLoss(error: unknown): unknown {
    if (error instanceof ModelLostError) return error;
    if (error instanceof WorkerCrashedError) return this.#lost ?? error;
    if (!isModelLoss(error)) return error;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return this.#lose(
      new ModelLostError(
        'device-lost',
        `The GPU dropped the model, so it is no longer loaded (WebLLM said: ${detail}). A driver reset or another tab or app needing the GPU's memory does this.`,
      ),
    );
  }

  /** The loaded model is gone: the worker is stopped (a fresh one reloads cleanly) and listeners told. */
  #lose(error: ModelLostError): ModelLostError {
    if (!this.#loaded) return this.#lost ?? error;
    this.#loaded = undefined;
    this.#terminateWorker(error);
    this.#markLost(error);
    return error;
  }

  #markLost(error: ModelLostError): void {
    this.#lost = error;
    for (const listener of this.#lostListeners) listener(error);
  }

  async resetChat(): Promise<void> {
    const { connection } = this.#connection();
    try {
      await connection.request('resetChat', { keepStats: false });
    } catch (error) {
      throw this.#asLoss(error);
    }
  }

  /** Frees the GPU memory; the worker stays up for cache management. */
  async unload(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    this.#lost = undefined;
    if (loaded && this.owner.running) await loaded.connection.request('unload', null);
  }

  /** Stops everything at once: the way to cancel a load. */
  terminate(): void {
    this.#loaded = undefined;
    this.#terminateWorker(new NoModelLoadedError());
  }

  #terminateWorker(error: Error): void {
    this.#current?.failAll(error);
    this.#current = undefined;
    this.owner.terminate();
  }

  listCached(): Promise<CachedModel[]> {
    return this.owner.run((connection) => connection.sift('sift:listCached', null));
  }

  hasModelInCache(appConfig: AppConfigForModel): Promise<boolean> {
    return this.owner.run((connection) => connection.sift('sift:hasModelInCache', { appConfig }));
  }

  /** Removes a model's files from the browser cache; works offline. */
  async deleteModel(modelId: string): Promise<void> {
    if (this.#loaded?.modelId === modelId) await this.unload();
    await this.owner.run((connection) => connection.sift('sift:deleteModel', { modelId }));
  }

  storageEstimate(): Promise<StorageReport> {
    return this.owner.run((connection) => connection.sift('sift:storageEstimate', null));
  }
}

/** What a generation aborted before it reached the model returns: no text, `finish_reason: "abort"`. */
function abortedStream(modelId: string): AsyncIterable<ChatCompletionChunk> {
  return (async function* () {
    yield {
      id: `aborted-${crypto.randomUUID()}`,
      object: 'chat.completion.chunk' as const,
      created: Math.floor(Date.now() / 1000),
      model: modelId,
      choices: [{ index: 0, delta: {}, finish_reason: 'abort' as const, logprobs: null }],
    };
  })();
}

function spawnLlmWorker(): Worker {
  const worker = new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'sift-llm',
  });
  // First message: the worker's egress gate learns the allowed hosts and reports to the page's meter.
  connectWorkerEgress(worker);
  return worker;
}

/** The page's one model worker. */
export const llmWorker = new LlmWorker();
