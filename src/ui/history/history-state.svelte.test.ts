import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCheckpoint } from '../../core/batch/checkpoint.ts';
import { batchFile } from '../../core/batch/test-messages.ts';
import {
  BATCH_SCHEMA_VERSION,
  deleteBatch,
  listBatches,
  saveBatchHead,
  startBatch,
  type BatchTally,
  type SavedBatch,
} from '../../storage/batch-runs.ts';
import { indexWithRun, indexWithout, type RunSummary, type SavedRun } from '../../storage/history.ts';
import { RunHistory, type HistoryStorage } from './history-state.svelte.ts';

/**
 * The history storage contract: runs over a Map, the way src/storage/history.ts keeps them over IndexedDB, and
 * batches in the real batch store (over fake-indexeddb here).
 */
function mapStorage(): HistoryStorage & {
  save(run: SavedRun): void;
  failDeletes: boolean;
  failBatchList: boolean;
} {
  const runs = new Map<string, SavedRun>();
  let index: RunSummary[] = [];
  return {
    failDeletes: false,
    failBatchList: false,
    async listBatches() {
      if (this.failBatchList) throw new Error('the batch store is blocked by another tab');
      return listBatches();
    },
    async deleteBatch(id) {
      if (this.failDeletes) throw new Error('the disk is read-only');
      await deleteBatch(id);
    },
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

function batch(id: string, at: number, status: SavedBatch['status'], tally?: BatchTally): SavedBatch {
  return {
    schemaVersion: BATCH_SCHEMA_VERSION,
    id,
    title: `${id}.mbox`,
    status,
    checkpoint: { ...newCheckpoint([batchFile(`${id}.mbox`, 'From x\n')], at), done: ['mid:1', 'mid:2', 'mid:3'] },
    parts: 0,
    excludedSenders: [],
    expectedNewsletters: 3,
    failed: 0,
    skippedSentences: [],
    problems: [],
    tableKeys: [],
    judgeWork: { links: 4, calls: 2, promptTokens: 900, outputTokens: 120 },
    judgedParts: 0,
    ...(tally ? { tally } : {}),
  };
}

beforeEach(async () => {
  for (const entry of await listBatches()) await deleteBatch(entry.id);
});

describe('RunHistory', () => {
  it('lists runs newest first, opens one, deletes one', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    storage.save(run('b', 2));
    const history = new RunHistory(storage);
    await history.refresh();
    expect(history.loaded).toBe(true);
    expect(history.entries.map((entry) => entry.id)).toEqual(['b', 'a']);
    expect((await history.open('a'))?.title).toBe('Issue a');
    await history.remove({ kind: 'run', id: 'b' });
    expect(history.entries.map((entry) => entry.id)).toEqual(['a']);
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
    await history.remove({ kind: 'run', id: 'a' });
    expect(history.entries.map((entry) => entry.id)).toEqual(['a']);
    expect(history.problem).toBe('That run was not deleted: the disk is read-only');
  });

  it('saves a run and lists it at once, newest first', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    const history = new RunHistory(storage);
    await history.save(run('b', 2));
    expect(history.entries.map((entry) => entry.id)).toEqual(['b', 'a']);
    expect((await storage.loadRun('b'))?.title).toBe('Issue b');
  });

  it('lists batches among the runs, newest first, with what each found, judged or not, complete or partial', async () => {
    const storage = mapStorage();
    storage.save(run('paste', 2_000));
    const judged: BatchTally = { startups: 12, notInCrm: 5, unsureLinks: 4, judgedLinks: 4 };
    await startBatch(batch('week1', 1_000, 'complete', judged));
    await startBatch(batch('week2', 3_000, 'cancelled'));
    const history = new RunHistory(storage);
    await history.refresh();
    expect(history.problem).toBe('');
    expect(history.entries.map((entry) => [entry.kind, entry.id])).toEqual([
      ['batch', 'week2'],
      ['run', 'paste'],
      ['batch', 'week1'],
    ]);
    const [partial, , complete] = history.entries;
    expect(partial).toMatchObject({ kind: 'batch', title: 'week2.mbox', status: 'cancelled', newsletters: 3 });
    // Saved before its table was first shown: no tally, and the list does not guess one.
    expect(partial).not.toHaveProperty('tally');
    expect(complete).toMatchObject({ kind: 'batch', status: 'complete', updatedAt: 1_000, tally: judged });

    // The batch view tells the store the tally once it shows the table; History reads it at its next refresh.
    const shown = batch('week2', 3_000, 'cancelled', { startups: 3, notInCrm: null, unsureLinks: 4, judgedLinks: 0 });
    await saveBatchHead(shown);
    await history.refresh();
    expect(history.entries[0]).toMatchObject({ id: 'week2', tally: shown.tally });
  });

  it('deletes a batch from the store, a run with the same id stays; a refused delete puts the batch back and says why', async () => {
    const storage = mapStorage();
    storage.save(run('same', 1));
    await startBatch(batch('same', 2, 'complete'));
    const history = new RunHistory(storage);
    await history.refresh();
    await history.remove({ kind: 'batch', id: 'same' });
    expect(history.entries.map((entry) => [entry.kind, entry.id])).toEqual([['run', 'same']]);
    expect(await listBatches()).toEqual([]);
    expect(await storage.loadRun('same')).toBeDefined();

    await startBatch(batch('busy', 3, 'running'));
    await history.refresh();
    storage.failDeletes = true;
    await history.remove({ kind: 'batch', id: 'busy' });
    expect(history.entries.map((entry) => entry.id)).toEqual(['busy', 'same']);
    expect(history.problem).toBe('That batch was not deleted: the disk is read-only');
  });

  it('when the batches cannot be read the runs are still listed, and the sentence says which list failed', async () => {
    const storage = mapStorage();
    storage.save(run('a', 1));
    storage.failBatchList = true;
    const history = new RunHistory(storage);
    await history.refresh();
    expect(history.entries.map((entry) => entry.id)).toEqual(['a']);
    expect(history.problem).toBe('Past batches could not be read: the batch store is blocked by another tab');
    storage.failBatchList = false;
    await history.refresh();
    expect(history.problem).toBe('');
  });
});
