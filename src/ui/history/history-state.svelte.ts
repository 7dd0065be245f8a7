/**
 * The history list as the page sees it. Storage comes in as functions so the unit test can use a
 * Map where the app uses IndexedDB (src/storage/history.ts).
 */
import type { RunSummary, SavedRun } from '../../storage/history.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface HistoryStorage {
  listRuns(): Promise<RunSummary[]>;
  loadRun(id: string): Promise<SavedRun | undefined>;
  deleteRun(id: string): Promise<void>;
  saveRun(run: SavedRun): Promise<void>;
}

export class RunHistory {
  runs = $state.raw<RunSummary[]>([]);
  loaded = $state(false);
  problem = $state('');

  constructor(private readonly storage: HistoryStorage) {}

  async refresh(): Promise<void> {
    try {
      this.runs = await this.storage.listRuns();
      this.problem = '';
    } catch (error) {
      this.problem = `History could not be read: ${messageOf(error)}`;
    } finally {
      this.loaded = true;
    }
  }

  /** The saved run, or null with `problem` set when it is gone or damaged. */
  async open(id: string): Promise<SavedRun | null> {
    let problem: string;
    try {
      const run = await this.storage.loadRun(id);
      if (run) {
        this.problem = '';
        return run;
      }
      problem = 'That run could not be opened: it was deleted or its saved data is damaged.';
    } catch (error) {
      problem = `That run could not be opened: ${messageOf(error)}`;
    }
    // The list may be out of date (deleted in another tab): refresh it, then say what went wrong.
    await this.refresh();
    this.problem = problem;
    return null;
  }

  /** Keeps a run (new, or changed since) and lists it; a failure is thrown for the caller to report. */
  async save(run: SavedRun): Promise<void> {
    await this.storage.saveRun(run);
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    const before = this.runs;
    this.runs = before.filter((run) => run.id !== id);
    try {
      await this.storage.deleteRun(id);
    } catch (error) {
      this.runs = before;
      this.problem = `That run was not deleted: ${messageOf(error)}`;
    }
  }
}
