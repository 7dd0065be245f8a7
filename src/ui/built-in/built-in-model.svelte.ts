/**
 * Chrome's built-in model as the page sees it: its availability, Chrome's own download progress,
 * the loaded engine, and what went wrong in words. Loading must start from a click: Chrome wants a
 * user activation before it downloads the model.
 */
import {
  builtInAvailability,
  explainBuiltInError,
  loadBuiltInModel,
  type BuiltInAvailability,
  type BuiltInEngine,
  type LanguageModelApi,
} from '../../core/engines/built-in.ts';

export type BuiltInStatus = 'checking' | 'idle' | 'loading' | 'ready' | 'failed';

export class BuiltInModel {
  availability = $state<BuiltInAvailability | null>(null);
  status = $state<BuiltInStatus>('checking');
  /** Chrome's download progress, 0..1, while loading. */
  progress = $state<number | null>(null);
  problem = $state<string | null>(null);
  engine = $state.raw<BuiltInEngine | null>(null);
  /**
   * The person chose it in the model panel for Sift's newsletter runs and Ask. A load for the
   * Benchmark alone leaves this false, so measuring a model never changes which one checks runs.
   */
  inUse = $state(false);
  /** The API exists in this browser (it may still say the model is unavailable). */
  present = $derived(this.availability !== null && this.availability !== 'unavailable');

  #controller: AbortController | null = null;

  constructor(private readonly api: () => LanguageModelApi | undefined) {}

  async check(): Promise<void> {
    this.availability = await builtInAvailability(this.api());
    if (this.status === 'checking') this.status = 'idle';
  }

  /** Call from a click handler: a download needs the user's activation. */
  async load(): Promise<BuiltInEngine | null> {
    if (this.engine) return this.engine;
    if (this.status === 'loading') return null;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.problem = null;
    this.progress = this.availability === 'available' ? null : 0;
    try {
      const engine = await loadBuiltInModel(this.api(), {
        signal: controller.signal,
        onProgress: (fraction) => {
          if (this.#controller === controller) this.progress = fraction;
        },
      });
      if (this.#controller !== controller) {
        engine.destroy();
        return null;
      }
      this.engine = engine;
      this.status = 'ready';
      return engine;
    } catch (error) {
      if (this.#controller === controller) {
        this.problem = explainBuiltInError(error).message;
        this.status = 'failed';
      }
      return null;
    } finally {
      if (this.#controller === controller) this.#controller = null;
      this.progress = null;
      await this.check();
    }
  }

  /** Loads it (from a click) and makes it the on-device model of Sift's runs. */
  async use(): Promise<BuiltInEngine | null> {
    const engine = await this.load();
    this.inUse = engine !== null;
    return engine;
  }

  /** Runs go back to the WebLLM model; the session stays, so the Benchmark can still measure it. */
  stopUsing(): void {
    this.inUse = false;
  }

  /** Stops waiting for the download (Chrome may finish it in the background) or unloads the model. */
  cancel(): void {
    this.inUse = false;
    this.#controller?.abort();
    this.#controller = null;
    this.engine?.destroy();
    this.engine = null;
    this.progress = null;
    this.status = 'idle';
  }
}

export const builtInModel = new BuiltInModel(() => (globalThis as { LanguageModel?: LanguageModelApi }).LanguageModel);
