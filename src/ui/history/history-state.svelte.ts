/**
 * The history list as the page sees it: one list of what was run here, newest first, a pasted newsletter's run
 * (src/storage/history.ts) or a batch of many (src/storage/batch-runs.ts). Storage comes in as functions so the
 * unit test can use Maps where the app uses IndexedDB.
 */
import type { BatchListEntry } from '../../storage/batch-runs.ts';
import type { RunSummary, SavedRun } from '../../storage/history.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface HistoryStorage {
  listRuns(): Promise<RunSummary[]>;
  loadRun(id: string): Promise<SavedRun | undefined>;
  deleteRun(id: string): Promise<void>;
  saveRun(run: SavedRun): Promise<void>;
  listBatches(): Promise<BatchListEntry[]>;
  /** Throws, with the reason in words, when the batch may not be deleted now (it is being read). */
  deleteBatch(id: string): Promise<void>;
}

/** One line of the list: `at` is when it finished (a run) or was last saved (a batch). */
export type HistoryEntry = ({ kind: 'run' } & RunSummary) | ({ kind: 'batch' } & BatchListEntry);

export const entryTime = (entry: HistoryEntry): number => (entry.kind === 'run' ? entry.finishedAt : entry.updatedAt);

/** Runs and batches in one list, newest first. */
export function historyEntries(runs: readonly RunSummary[], batches: readonly BatchListEntry[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...runs.map((run) => ({ kind: 'run' as const, ...run })),
    ...batches.map((batch) => ({ kind: 'batch' as const, ...batch })),
  ];
  return entries.sort((a, b) => entryTime(b) - entryTime(a));
}

const sameEntry = (a: Pick<HistoryEntry, 'kind' | 'id'>, b: Pick<HistoryEntry, 'kind' | 'id'>) =>
  a.kind === b.kind && a.id === b.id;

export class RunHistory {
  entries = $state.raw<HistoryEntry[]>([]);
  loaded = $state(false);
  problem = $state('');

  constructor(private readonly storage: HistoryStorage) {}

  /** Both lists are read; one that fails says so and the other is still shown. */
  async refresh(): Promise<void> {
    const [runs, batches] = await Promise.allSettled([this.storage.listRuns(), this.storage.listBatches()]);
    const kept = this.entries;
    this.entries = historyEntries(
      runs.status === 'fulfilled' ? runs.value : kept.flatMap((entry) => (entry.kind === 'run' ? [entry] : [])),
      batches.status === 'fulfilled' ? batches.value : kept.flatMap((entry) => (entry.kind === 'batch' ? [entry] : [])),
    );
    const problems = [
      runs.status === 'rejected' ? `Past runs could not be read: ${messageOf(runs.reason)}` : '',
      batches.status === 'rejected' ? `Past batches could not be read: ${messageOf(batches.reason)}` : '',
    ];
    this.problem = problems.filter(Boolean).join(' ');
    this.loaded = true;
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

  async remove(entry: Pick<HistoryEntry, 'kind' | 'id'>): Promise<void> {
    const before = this.entries;
    this.entries = before.filter((other) => !sameEntry(other, entry));
    try {
      if (entry.kind === 'run') await this.storage.deleteRun(entry.id);
      else await this.storage.deleteBatch(entry.id);
    } catch (error) {
      this.entries = before;
      this.problem = `That ${entry.kind} was not deleted: ${messageOf(error)}`;
    }
  }
}
