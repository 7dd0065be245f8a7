/**
 * The Benchmark view's state and actions: which engine and mode, the run with its progress and
 * cancel, its results, the JSON export, and the history of past runs kept in this browser.
 * Everything that reaches outside (engines, storage, the browser's measures, downloads) comes in
 * as dependencies, so the unit test drives it with scripted engines and a Map.
 */
import type { BenchItem, BenchMode } from '../../core/bench/items.ts';
import type { BenchDevice, BenchOptions, BenchProgress, BenchRun } from '../../core/bench/runner.ts';
import type { ChatEngine } from '../../core/engines/engine.ts';
import type { BenchSummary, ReadBack, SavedBenchRun } from '../../storage/bench-history.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface BenchStorage {
  list(): Promise<BenchSummary[]>;
  load(id: string): Promise<ReadBack<SavedBenchRun>>;
  save(run: BenchRun): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface BenchDeps {
  items(mode: BenchMode): BenchItem[];
  openEngine(id: string, items: readonly BenchItem[], signal: AbortSignal): Promise<ChatEngine>;
  run(options: BenchOptions): Promise<BenchRun>;
  measureMemory(): Promise<{ bytes: number | null; source: string }>;
  device(): BenchDevice;
  storage: BenchStorage;
  download(filename: string, text: string): void;
  now(): number;
}

/** `2026-12-05-10-15` (UTC): sorts by date in a folder and needs no escaping. */
const stamp = (at: number) => new Date(at).toISOString().slice(0, 16).replace(/[:T]/g, '-');

export class BenchState {
  mode = $state<BenchMode>('quick');
  engineId = $state('current');
  running = $state(false);
  progress = $state.raw<BenchProgress | null>(null);
  run = $state.raw<BenchRun | null>(null);
  problem = $state<string | null>(null);
  history = $state.raw<BenchSummary[]>([]);
  historyProblem = $state<string | null>(null);
  #controller: AbortController | null = null;

  constructor(private readonly deps: BenchDeps) {}

  itemCount(mode: BenchMode): number {
    return this.deps.items(mode).length;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const controller = new AbortController();
    this.#controller = controller;
    const items = this.deps.items(this.mode);
    this.running = true;
    this.problem = null;
    this.run = null;
    this.progress = { done: 0, total: items.length, correct: 0, current: null };
    try {
      const engine = await this.deps.openEngine(this.engineId, items, controller.signal);
      if (controller.signal.aborted) return;
      const run = await this.deps.run({
        engine,
        items,
        mode: this.mode,
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.#controller === controller) this.progress = progress;
        },
        measureMemory: () => this.deps.measureMemory(),
        now: () => this.deps.now(),
        device: this.deps.device(),
      });
      if (this.#controller !== controller) return;
      this.run = run;
      // A cancelled run is shown and can be exported, but only whole runs go into history.
      if (!run.cancelled) {
        try {
          await this.deps.storage.save(run);
          await this.refreshHistory();
        } catch (error) {
          this.historyProblem = `This run was not kept in history: ${messageOf(error)}`;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) this.problem = messageOf(error);
    } finally {
      if (this.#controller === controller) {
        this.#controller = null;
        this.running = false;
      }
    }
  }

  /** Stops the run at once; what finished stays on screen. */
  cancel(): void {
    this.#controller?.abort();
  }

  exportJson(run: BenchRun | null = this.run): void {
    if (!run) return;
    const engine = run.engine.id.replace(/[^a-z0-9.-]+/gi, '-');
    this.deps.download(`sift-benchmark-${engine}-${stamp(run.finishedAt)}.json`, JSON.stringify(run, null, 2));
  }

  async refreshHistory(): Promise<void> {
    try {
      this.history = await this.deps.storage.list();
      this.historyProblem = null;
    } catch (error) {
      this.historyProblem = `Past runs could not be read: ${messageOf(error)}`;
    }
  }

  async open(id: string): Promise<void> {
    const read = await this.deps.storage.load(id).catch((error: unknown) => {
      this.historyProblem = `That run could not be opened: ${messageOf(error)}`;
      return null;
    });
    if (!read) return;
    if (read.value) {
      this.run = read.value;
      this.historyProblem = null;
    } else {
      this.historyProblem = read.newer
        ? 'That run was saved by a newer version of Sift: reload the page to open it.'
        : 'That run could not be opened: it was deleted or its saved data is damaged.';
    }
  }

  async exportSaved(id: string): Promise<void> {
    await this.open(id);
    if (this.run?.id === id) this.exportJson(this.run);
  }

  async remove(id: string): Promise<void> {
    const before = this.history;
    this.history = before.filter((entry) => entry.id !== id);
    try {
      await this.deps.storage.remove(id);
    } catch (error) {
      this.history = before;
      this.historyProblem = `That run was not deleted: ${messageOf(error)}`;
    }
  }
}
