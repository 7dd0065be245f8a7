import { describe, expect, it } from 'vitest';
import { indexWithRun, indexWithout, type RunSummary, type SavedRun } from '../../storage/history.ts';
import { RunHistory, type HistoryStorage } from './history-state.svelte.ts';

/** The history storage contract over a Map, the way src/storage/history.ts keeps it over IndexedDB. */
function mapStorage(): HistoryStorage & { save(run: SavedRun): void; failDeletes: boolean } {
  const runs = new Map<string, SavedRun>();
  let index: RunSummary[] = [];
  return {
    failDeletes: false,
    save(run) {
      runs.set(run.id, run);
      index = indexWithRun(index, run).index;
    },
    async saveRun(run) {
      this.save(run);
    },
    listRuns: async () => index,
    loadRun: async (id) => runs.get(id),
    async deleteRun(id) {
      if (this.failDeletes) throw new Error('the disk is read-only');
      index = indexWithout(index, id);
      runs.delete(id);
    },
  };
}

const run = (id: string, finishedAt: number): SavedRun => ({
  id,
  title: `Issue ${id}`,
  startedAt: finishedAt - 1,
  finishedAt,
  mode: 'tools-only',
  report: { format: 'text', warnings: [], stats: { bytes: 1, occurrences: 0, ms: 0 }, linkCount: 0 },
  rows: [],
});

describe('RunHistory', () => {
  it('lists runs newest first, opens one, deletes one', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    storage.save(run('b', 2));
    const history = new RunHistory(storage);
    await history.refresh();
    expect(history.loaded).toBe(true);
    expect(history.runs.map((entry) => entry.id)).toEqual(['b', 'a']);
    expect((await history.open('a'))?.title).toBe('Issue a');
    await history.remove('b');
    expect(history.runs.map((entry) => entry.id)).toEqual(['a']);
    expect(await storage.listRuns()).toHaveLength(1);
  });

  it('says so when a run is gone, and puts a run back in the list when its delete failed', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    const history = new RunHistory(storage);
    await history.refresh();
    expect(await history.open('missing')).toBeNull();
    expect(history.problem).toMatch(/could not be opened/);

    storage.failDeletes = true;
    await history.remove('a');
    expect(history.runs.map((entry) => entry.id)).toEqual(['a']);
    expect(history.problem).toBe('That run was not deleted: the disk is read-only');
  });

  it('saves a run and lists it at once, newest first', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    const history = new RunHistory(storage);
    await history.save(run('b', 2));
    expect(history.runs.map((entry) => entry.id)).toEqual(['b', 'a']);
    expect((await storage.loadRun('b'))?.title).toBe('Issue b');
  });
});
