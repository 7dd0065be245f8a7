/**
 * The on-device model's state for the page: which model (the device's default until the person
 * picks one), where its files come from, loading with progress per phase, cancelling, the cached
 * models, the speed it measured, and what went wrong in words a person can act on. The loaded
 * engine is `engine`; when the GPU drops the model it becomes null and the status `lost`.
 */
import {
  CATALOGUE,
  buildAppConfig,
  chooseDefaultModel,
  findModel,
  modelHosts,
  normaliseModelBaseUrl,
  whyNoModel,
  type AppConfigForModel,
  type CatalogueEntry,
} from '../../core/engines/catalogue.ts';
import { TransferRate, parseWebLLMProgress, type LoadPhase } from '../../core/engines/load-progress.ts';
import type { ChatUsage } from '../../core/engines/engine.ts';
import { explainModelError, type ModelProblem } from '../../core/engines/model-errors.ts';
import type { DeviceProbe } from '../../core/device.ts';
import type { CachedModel, DownloadProgress, StorageReport } from '../../../workers/llm.worker.ts';
import { egress } from '../../net/egress.ts';
import { loadSetting, saveSetting } from '../../storage/settings.ts';
import { llmWorker, type LlmWorker } from '../workers/llm.ts';
import { WebLLMEngine, type WarmUp } from '../engine/webllm-engine.ts';
import { fallbackState } from '../fallback/fallback-state.svelte.ts';
import { messageOf } from '../../core/text/error-message.ts';

export const MODEL_SETTINGS_KEY = 'model';

/** Stored under the `model` settings key. */
export interface ModelSettings {
  modelId?: string;
  /** Absolute; empty or absent means the public model hub. */
  modelBaseUrl?: string;
}

/** `pageBase` lets a stored same-origin http:// address stay valid (see `normaliseModelBaseUrl`). */
export function parseModelSettings(stored: unknown, pageBase?: string): ModelSettings | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { modelId, modelBaseUrl } = stored as Record<string, unknown>;
  const settings: ModelSettings = {};
  if (typeof modelId === 'string' && findModel(modelId)) settings.modelId = modelId;
  if (typeof modelBaseUrl === 'string') {
    try {
      settings.modelBaseUrl = normaliseModelBaseUrl(modelBaseUrl, pageBase);
    } catch {
      // A stored value that no longer validates is dropped rather than breaking the panel.
    }
  }
  return settings;
}

export interface LoadView {
  phase: LoadPhase;
  fraction: number;
  loadedBytes?: number;
  totalBytes?: number;
  bytesPerSecond?: number;
  secondsLeft?: number;
  step?: { done: number; of: number };
}

/** `lost`: a model was ready, then the GPU dropped it (device lost, hung, worker crashed). */
export type ModelStatus = 'idle' | 'loading' | 'ready' | 'failed' | 'lost';

export interface ModelStateDeps {
  worker: Pick<
    LlmWorker,
    'load' | 'terminate' | 'listCached' | 'deleteModel' | 'storageEstimate' | 'generate' | 'onLost'
  >;
  settings: {
    load: () => Promise<ModelSettings>;
    save: (settings: ModelSettings) => Promise<void>;
  };
  /** The egress gate's `allow`: model hosts are allowed only while in use. */
  allowHost: (url: string, purpose: 'model') => () => void;
  /** `document.baseURI`, to resolve a path-only base URL here rather than in the worker. */
  pageBase: () => string;
  persistStorage: () => Promise<boolean>;
  fallbackConfigured: () => boolean;
  now: () => number;
}

export class ModelState {
  /** The probe's suggestion, or the person's pick once they made one. */
  selectedId = $state<string | null>(null);
  modelBaseUrl = $state('');
  baseUrlError = $state<string | null>(null);
  status = $state<ModelStatus>('idle');
  progress = $state.raw<LoadView | null>(null);
  problem = $state.raw<ModelProblem | null>(null);
  cached = $state.raw<CachedModel[] | null>(null);
  storage = $state.raw<StorageReport | null>(null);
  persisted = $state<boolean | null>(null);
  /** The loaded model as a ChatEngine; null until a load finishes. */
  engine = $state.raw<WebLLMEngine | null>(null);
  probe = $state.raw<DeviceProbe | null>(null);
  /** What the short call after the last load measured (grammar set-up above all). */
  warmUp = $state.raw<WarmUp | null>(null);
  /** Tokens and timings of the model's latest call. */
  lastCall = $state.raw<ChatUsage | null>(null);

  selected = $derived(this.selectedId ? (findModel(this.selectedId) ?? null) : null);
  suggested = $derived(this.probe ? chooseDefaultModel(this.probe) : null);
  unavailable = $derived(this.probe ? whyNoModel(this.probe) : null);

  #userChose = false;
  #controller: AbortController | undefined;
  #withdraw: (() => void)[] = [];
  #rate = new TransferRate();

  constructor(private readonly deps: ModelStateDeps) {
    deps.worker.onLost((error) => {
      // A load in progress reports its own failure; only a model that was ready can be lost.
      if (this.status !== 'ready') return;
      this.engine = null;
      this.status = 'lost';
      this.progress = null;
      this.problem = explainModelError(error, { fallbackConfigured: this.deps.fallbackConfigured() });
    });
  }

  readonly catalogue: readonly CatalogueEntry[] = CATALOGUE;

  async restore(): Promise<void> {
    const settings = await this.deps.settings.load();
    this.modelBaseUrl = settings.modelBaseUrl ?? '';
    if (settings.modelId) {
      this.selectedId = settings.modelId;
      this.#userChose = true;
    }
  }

  /** Takes the device probe; the default follows it until the person picks a model. */
  applyProbe(probe: DeviceProbe | null): void {
    this.probe = probe;
    if (probe && !this.#userChose) this.selectedId = chooseDefaultModel(probe)?.id ?? null;
  }

  async choose(modelId: string): Promise<void> {
    if (!findModel(modelId)) return;
    this.selectedId = modelId;
    this.#userChose = true;
    await this.#save();
  }

  /** Validates and stores the self-hosted base URL; empty means the public hub again. */
  async setModelBaseUrl(input: string): Promise<boolean> {
    this.baseUrlError = null;
    if (input.trim() === '') {
      this.modelBaseUrl = '';
      await this.#save();
      return true;
    }
    try {
      this.modelBaseUrl = normaliseModelBaseUrl(input, this.deps.pageBase());
    } catch (error) {
      this.baseUrlError = messageOf(error);
      return false;
    }
    await this.#save();
    return true;
  }

  appConfig(entry: CatalogueEntry): AppConfigForModel {
    return buildAppConfig(entry, this.modelBaseUrl ? { modelBaseUrl: this.modelBaseUrl } : {});
  }

  async load(): Promise<void> {
    const entry = this.selected;
    if (!entry || this.status === 'loading') return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.problem = null;
    this.engine = null;
    this.warmUp = null;
    // The last call's speed was another load's (perhaps another model's).
    this.lastCall = null;
    this.progress = { phase: 'starting', fraction: 0 };
    this.#rate.reset();
    void this.deps.persistStorage().then(
      (persisted) => (this.persisted = persisted),
      () => (this.persisted = false),
    );
    try {
      const config = this.appConfig(entry);
      this.#allowHosts(config);
      await this.deps.worker.load(
        config,
        {
          onDownload: (progress) => this.#onDownload(progress, controller),
          onInit: (report) => {
            if (this.#controller !== controller) return;
            const parsed = parseWebLLMProgress(report);
            this.progress = { ...parsed };
          },
        },
        controller.signal,
      );
      if (this.#controller !== controller) return;
      const engine = new WebLLMEngine(this.deps.worker, entry, { onUsage: (usage) => (this.lastCall = usage) });
      this.progress = { phase: 'warmup', fraction: 0 };
      const warmUp = await engine.warmUp();
      if (this.#controller !== controller) return;
      this.warmUp = warmUp;
      this.engine = engine;
      this.status = 'ready';
      this.progress = { phase: 'ready', fraction: 1 };
    } catch (error) {
      if (this.#controller !== controller) return;
      this.problem = explainModelError(error, { fallbackConfigured: this.deps.fallbackConfigured() });
      this.status = 'failed';
    } finally {
      if (this.#controller === controller) this.#controller = undefined;
    }
  }

  /** Stops a load at once: the worker is terminated, which aborts every download in flight. */
  cancel(): void {
    const controller = this.#controller;
    if (!controller) return;
    this.#controller = undefined;
    controller.abort();
    this.deps.worker.terminate();
    this.status = 'failed';
    this.progress = null;
    this.problem = explainModelError(new DOMException('Cancelled.', 'AbortError'));
  }

  async refreshCached(): Promise<void> {
    try {
      const [cached, storage] = await Promise.all([this.deps.worker.listCached(), this.deps.worker.storageEstimate()]);
      this.cached = cached;
      this.storage = storage;
    } catch (error) {
      this.problem = explainModelError(error, { fallbackConfigured: this.deps.fallbackConfigured() });
    }
  }

  async deleteCached(modelId: string): Promise<void> {
    if (this.engine?.info.model === modelId) {
      this.engine = null;
      this.status = 'idle';
    }
    try {
      await this.deps.worker.deleteModel(modelId);
    } catch (error) {
      this.problem = explainModelError(error, { fallbackConfigured: this.deps.fallbackConfigured() });
    }
    await this.refreshCached();
  }

  #onDownload(progress: DownloadProgress, controller: AbortController): void {
    if (this.#controller !== controller) return;
    const now = this.deps.now();
    // Speed counts only what comes over the network, not files found in the cache.
    this.#rate.add(now, progress.loadedBytes - progress.cachedBytes);
    const speed = this.#rate.bytesPerSecond();
    const left = this.#rate.secondsLeft(progress.totalBytes - progress.cachedBytes);
    this.progress = {
      phase: 'download',
      fraction: progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : 0,
      loadedBytes: progress.loadedBytes,
      totalBytes: progress.totalBytes,
      step: { done: progress.filesDone, of: progress.filesTotal },
      ...(speed !== null ? { bytesPerSecond: speed } : {}),
      ...(left !== null ? { secondsLeft: left } : {}),
    };
  }

  #allowHosts(config: AppConfigForModel): void {
    for (const withdraw of this.#withdraw) withdraw();
    this.#withdraw = modelHosts(config).map((origin) => this.deps.allowHost(origin, 'model'));
  }

  #save(): Promise<void> {
    const settings: ModelSettings = {};
    if (this.#userChose && this.selectedId) settings.modelId = this.selectedId;
    if (this.modelBaseUrl) settings.modelBaseUrl = this.modelBaseUrl;
    return this.deps.settings.save(settings);
  }
}

/** The page's model state, wired to the real worker, settings store and egress gate. */
export const modelState = new ModelState({
  worker: llmWorker,
  settings: {
    load: () => loadSetting(MODEL_SETTINGS_KEY, (stored) => parseModelSettings(stored, document.baseURI), {}),
    save: (settings) => saveSetting(MODEL_SETTINGS_KEY, settings),
  },
  allowHost: (url, purpose) => egress.allow(url, purpose),
  pageBase: () => document.baseURI,
  persistStorage: async () => (await navigator.storage?.persist?.()) ?? false,
  fallbackConfigured: () => fallbackState.config.enabled,
  now: () => performance.now(),
});
