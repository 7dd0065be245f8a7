/**
 * The one owner of the on-device model's worker. It speaks WebLLM 0.2.86's worker protocol
 * (the subset Sift needs: setAppConfig, reload with progress, chat completion streamed or not,
 * interruptGenerate, unload, resetChat; read from `WebWorkerMLCEngine` in the package's lib) plus
 * Sift's `sift:*` kinds, without importing WebLLM's code on the main thread.
 *
 * Loading is cancelled by terminating the worker (WebLLM cannot stop a download any other way),
 * so a cancelled or crashed worker also forgets the loaded model; the next call starts afresh.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, InitProgressReport } from '@mlc-ai/web-llm';
import type { AppConfigForModel } from '../../core/engines/catalogue.ts';
import type {
  CachedModel,
  DownloadProgress,
  SiftCalls,
  SiftKind,
  SiftProgressMessage,
  StorageReport,
} from '../../../workers/llm.worker.ts';
import { connectWorkerEgress } from '../../net/egress.ts';
import { WorkerOwner, type WorkerEvents } from './worker-owner.ts';

/** An error the worker reported; WebLLM sends "Name: message" strings, so the name is recovered. */
export class LlmWorkerError extends Error {
  constructor(raw: string) {
    const match = /^([A-Za-z][A-Za-z0-9]*(?:Error|Exception)):\s*([\s\S]*)$/.exec(raw);
    super(match ? match[2] : raw);
    this.name = match ? match[1]! : 'LlmWorkerError';
  }
}

export class ModelNotLoadedError extends Error {
  override name = 'ModelNotLoadedError';
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
  /** WebLLM sends load progress with an empty uuid: it belongs to whichever reload runs. */
  onInitProgress: ((report: InitProgressReport) => void) | undefined;

  constructor(readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent) => this.#receive(event.data));
  }

  /** Posts a request that WebLLM answers with nothing (`setAppConfig`, `setLogLevel`). */
  post(kind: string, content: unknown): void {
    this.worker.postMessage({ kind, uuid: crypto.randomUUID(), content });
  }

  request<T>(kind: string, content: unknown, onProgress?: (progress: DownloadProgress) => void): Promise<T> {
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

  #receive(data: unknown): void {
    const message = data as { kind?: string; uuid?: string; content?: unknown } | null;
    if (!message || typeof message.kind !== 'string') return;
    if (message.kind === 'initProgressCallback') {
      this.onInitProgress?.(message.content as InitProgressReport);
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
  onDownload?: (progress: DownloadProgress) => void;
  onInit?: (report: InitProgressReport) => void;
}

/** The model worker's operations, each starting the worker on first use. */
export class LlmWorker {
  readonly owner: WorkerOwner<LlmConnection>;
  #loaded: { connection: LlmConnection; modelId: string } | undefined;

  constructor(spawn: () => Worker = spawnLlmWorker, events: WorkerEvents = {}) {
    this.owner = new WorkerOwner('model worker', spawn, (worker) => new LlmConnection(worker), {
      onCrash: (error) => {
        this.#loaded = undefined;
        events.onCrash?.(error);
      },
    });
  }

  get loadedModelId(): string | undefined {
    return this.#loaded?.modelId;
  }

  /**
   * Downloads the model into the browser cache (byte progress), then has WebLLM load it from
   * there (cache and shader progress). Aborting terminates the worker, stopping every download.
   */
  async load(appConfig: AppConfigForModel, callbacks: LoadCallbacks = {}, signal?: AbortSignal): Promise<void> {
    const modelId = appConfig.model_list[0].model_id;
    this.#loaded = undefined;
    try {
      await this.owner.run(async (connection) => {
        await connection.sift('sift:download', { appConfig }, callbacks.onDownload);
        connection.post('setAppConfig', appConfig);
        connection.onInitProgress = callbacks.onInit;
        try {
          await connection.request('reload', { modelId: [modelId] });
        } finally {
          connection.onInitProgress = undefined;
        }
        this.#loaded = { connection, modelId };
      }, signal);
    } catch (error) {
      // A cancelled load terminated the worker; a failed one may have left WebLLM half-loaded.
      if (!signal?.aborted) this.owner.terminate();
      throw error;
    }
  }

  #connection(): { connection: LlmConnection; modelId: string } {
    const loaded = this.#loaded;
    if (!loaded || !this.owner.running || this.owner.worker() !== loaded.connection.worker) {
      this.#loaded = undefined;
      throw new ModelNotLoadedError();
    }
    return loaded;
  }

  /** Requests outside `load` still go through the owner, so a crash rejects them instead of hanging. */
  #ask<T>(connection: LlmConnection, kind: string, content: unknown): Promise<T> {
    return this.owner.run(() => connection.request<T>(kind, content));
  }

  async chatCompletion(request: ChatCompletionRequest & { stream?: false }): Promise<ChatCompletion> {
    const { connection, modelId } = this.#connection();
    return this.#ask<ChatCompletion>(connection, 'chatCompletionNonStreaming', { request, modelId: [modelId] });
  }

  /** Mirrors `WebWorkerMLCEngine.asyncGenerate`: one worker round-trip per chunk. */
  async chatCompletionStream(
    request: ChatCompletionRequest & { stream: true },
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const { connection, modelId } = this.#connection();
    const streamId = crypto.randomUUID();
    await this.#ask(connection, 'chatCompletionStreamInit', {
      request,
      selectedModelId: modelId,
      streamId,
      modelId: [modelId],
    });
    const ask = <T>(kind: string, content: unknown) => this.#ask<T>(connection, kind, content);
    return (async function* () {
      let finished = false;
      try {
        for (;;) {
          const chunk = await ask<ChatCompletionChunk | undefined>('completionStreamNextChunk', { streamId });
          if (typeof chunk !== 'object' || chunk === null) {
            finished = true;
            return;
          }
          yield chunk;
        }
      } finally {
        if (!finished) await ask('completionStreamReturn', { streamId }).catch(() => undefined);
      }
    })();
  }

  /** Ends the current generation early; it then finishes with `finish_reason: "abort"`. */
  interruptGenerate(): void {
    if (!this.#loaded || !this.owner.running) return;
    void this.#loaded.connection.request('interruptGenerate', null).catch(() => undefined);
  }

  async resetChat(): Promise<void> {
    const { connection } = this.#connection();
    await this.#ask(connection, 'resetChat', { keepStats: false });
  }

  /** Frees the GPU memory; the worker stays up for cache management. */
  async unload(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (loaded && this.owner.running) await loaded.connection.request('unload', null);
  }

  /** Stops everything at once: the way to cancel a load. */
  terminate(): void {
    this.#loaded = undefined;
    this.owner.terminate();
  }

  listCached(): Promise<CachedModel[]> {
    return this.owner.run((connection) => connection.sift('sift:listCached', null));
  }

  hasModelInCache(appConfig: AppConfigForModel): Promise<boolean> {
    return this.owner.run((connection) => connection.sift('sift:hasModelInCache', { appConfig }));
  }

  async deleteModel(modelId: string, appConfig?: AppConfigForModel): Promise<void> {
    if (this.#loaded?.modelId === modelId) await this.unload();
    await this.owner.run((connection) =>
      connection.sift('sift:deleteModel', { modelId, ...(appConfig ? { appConfig } : {}) }),
    );
  }

  storageEstimate(): Promise<StorageReport> {
    return this.owner.run((connection) => connection.sift('sift:storageEstimate', null));
  }
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
