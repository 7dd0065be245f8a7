import 'fake-indexeddb/auto';
import { get, keys, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCheckpoint, markDone } from '../core/batch/checkpoint.ts';
import { batchFile } from '../core/batch/test-messages.ts';
import { linkCandidate } from '../core/bench/sandbox.ts';
import {
  appendToBatch,
  appendVerdicts,
  BATCH_HISTORY_LIMIT,
  BATCH_SCHEMA_VERSION,
  deleteBatch,
  lastCompleteTableKeys,
  latestBatch,
  listBatches,
  loadBatch,
  saveBatchHead,
  saveBatchTally,
  startBatch,
  type SavedBatch,
} from './batch-runs.ts';
import { STORE_NAMES, store } from './db.ts';

const files = [batchFile('Inbox.mbox', 'From x\n')];

function newBatch(id: string, now: number): SavedBatch {
  return {
    schemaVersion: BATCH_SCHEMA_VERSION,
    id,
    title: 'Inbox.mbox',
    status: 'running',
    checkpoint: newCheckpoint(files, now),
    parts: 0,
    excludedSenders: [],
    expectedNewsletters: 2,
    failed: 0,
    skippedSentences: [],
    problems: [],
    tableKeys: [],
    judgeWork: { links: 0, calls: 0, promptTokens: 0, outputTokens: 0 },
    judgedParts: 0,
  };
}

const mention = (newsletterId: string) => ({
  name: 'Quillmate',
  url: 'https://quillmate.io',
  domain: 'quillmate.io',
  context: 'Quillmate raised $4M.',
  newsletterId,
  newsletterName: 'Example Weekly',
  date: '2025-01-06T09:00:00.000Z',
});

const newsletter = (key: string) => ({
  key,
  sender: 'Example Weekly',
  subject: 'Issue',
  date: null,
  where: 'Inbox.mbox › message 1',
  status: 'done' as const,
  startups: 1,
  notes: [],
});

beforeEach(async () => {
  for (const entry of await listBatches()) await deleteBatch(entry.id);
});

describe('batch store', () => {
  it('has its own database, never renamed', () => {
    expect(STORE_NAMES.batch).toEqual({ db: 'sift-batch', store: 'batches-v1' });
  });

  it('keeps each crossing with the checkpoint that counts it, and reads the batch back in order', async () => {
    const batch = newBatch('b1', 1000);
    await startBatch(batch);
    markDone(batch.checkpoint, 'mid:a', 1100);
    await appendToBatch(batch, { newsletters: [newsletter('mid:a')], mentions: [mention('mid:a')] });
    markDone(batch.checkpoint, 'mid:b', 1200);
    await appendToBatch(batch, { newsletters: [newsletter('mid:b')], mentions: [mention('mid:b')] });

    const loaded = await loadBatch('b1');
    expect(loaded?.batch.checkpoint.done).toEqual(['mid:a', 'mid:b']);
    expect(loaded?.batch.parts).toBe(2);
    expect(loaded?.newsletters.map((item) => item.key)).toEqual(['mid:a', 'mid:b']);
    expect(loaded?.mentions.map((item) => item.newsletterId)).toEqual(['mid:a', 'mid:b']);
    expect((await latestBatch())?.batch.id).toBe('b1');
  });

  it('refuses a head that breaks the saved shape, and saves nothing', async () => {
    const batch = { ...newBatch('bad', 1000), failed: 'two' } as unknown as SavedBatch;
    await expect(startBatch(batch)).rejects.toThrow(/could not be saved: \/failed/);
    expect(await listBatches()).toEqual([]);
  });

  it('skips a damaged part and a damaged head instead of showing them half-way', async () => {
    const batch = newBatch('b2', 1000);
    await startBatch(batch);
    await appendToBatch(batch, { newsletters: [newsletter('mid:a')], mentions: [mention('mid:a')] });
    await appendToBatch(batch, { newsletters: [newsletter('mid:b')], mentions: [mention('mid:b')] });
    await set('batch:b2:part:0', { newsletters: 'broken' }, store('batch'));
    expect((await loadBatch('b2'))?.mentions.map((item) => item.newsletterId)).toEqual(['mid:b']);
    await set('batch:b2', { schemaVersion: 99 }, store('batch'));
    expect(await loadBatch('b2')).toBeUndefined();
    expect(await latestBatch()).toBeUndefined();
  });

  it('names the last complete batch’s table for "new since the last batch", never the batch itself', async () => {
    const old = newBatch('old', 1000);
    await startBatch(old);
    await saveBatchHead({ ...old, status: 'complete', tableKeys: ['domain:quillmate.io'] });
    const current = newBatch('current', 2000);
    await startBatch(current);
    expect(await lastCompleteTableKeys('current')).toEqual({ keys: ['domain:quillmate.io'], at: 1000 });
    expect(await lastCompleteTableKeys('old')).toBeNull();
  });

  it('keeps each newsletter’s unsure links and the model’s verdicts with the calls they cost, and deletes them with the batch', async () => {
    const batch = newBatch('judged', 1000);
    await startBatch(batch);
    const unsure = linkCandidate({ id: 'L3', domain: 'nimbusfold.com', name: 'Nimbusfold', kind: 'other', score: 0.6 });
    markDone(batch.checkpoint, 'mid:a', 1100);
    await appendToBatch(batch, {
      newsletters: [newsletter('mid:a')],
      mentions: [mention('mid:a')],
      uncertain: [{ newsletterId: 'mid:a', newsletterName: 'Example Weekly', date: null, links: [unsure] }],
    });
    const engine = {
      id: 'webllm:Qwen3-0.6B',
      model: 'Qwen3-0.6B',
      size: 'small' as const,
      location: 'on-device' as const,
    };
    await appendVerdicts(batch, {
      verdicts: [
        {
          newsletterId: 'mid:a',
          judgements: [
            { id: 'L3', startup: false, name: 'Nimbusfold', decidedBy: 'model, confirmed by a second sample' },
          ],
          calls: [{ engine, promptTokens: 300, outputTokens: 40, durationMs: 900 }],
        },
      ],
    });
    const loaded = await loadBatch('judged');
    expect(loaded?.batch.judgedParts).toBe(1);
    expect(loaded?.uncertain[0]?.links).toEqual([unsure]);
    expect(loaded?.verdicts[0]?.judgements[0]).toMatchObject({ id: 'L3', startup: false });
    expect(loaded?.verdicts[0]?.calls[0]?.engine).toEqual(engine);
    await deleteBatch('judged');
    expect(await get('batch:judged:judged:0', store('batch'))).toBeUndefined();
    expect(await get('batch:judged:part:0', store('batch'))).toBeUndefined();
  });

  it('reads a version 1 batch (saved before the model judged batches) as one with nothing to judge', async () => {
    const { judgedParts: _, ...v2 } = newBatch('v1', 1000);
    await set('batch:v1', { ...v2, schemaVersion: 1, parts: 1 }, store('batch'));
    await set('batch:v1:part:0', { newsletters: [newsletter('mid:a')], mentions: [mention('mid:a')] }, store('batch'));
    await set(
      'index',
      [{ id: 'v1', title: 'Inbox.mbox', status: 'running', updatedAt: 1000, newsletters: 0 }],
      store('batch'),
    );
    const loaded = await latestBatch();
    expect(loaded?.batch).toMatchObject({ id: 'v1', schemaVersion: BATCH_SCHEMA_VERSION, judgedParts: 0 });
    expect(loaded?.mentions).toHaveLength(1);
    expect(loaded?.uncertain).toEqual([]);
    expect(loaded?.verdicts).toEqual([]);
  });

  it('drops the oldest batch and its parts beyond the limit', async () => {
    const first = newBatch('first', 1);
    await startBatch(first);
    await appendToBatch(first, { newsletters: [newsletter('mid:a')], mentions: [mention('mid:a')] });
    for (let i = 0; i < BATCH_HISTORY_LIMIT; i++) await startBatch(newBatch(`later-${i}`, 10 + i));
    const ids = (await listBatches()).map((entry) => entry.id);
    expect(ids).toHaveLength(BATCH_HISTORY_LIMIT);
    expect(ids).not.toContain('first');
    expect(await get('batch:first:part:0', store('batch'))).toBeUndefined();
  });

  it('saves the tally History lists without overwriting a newer checkpoint, and leaves a deleted batch deleted', async () => {
    const running = newBatch('b1', 1000);
    await startBatch(running);
    // Another page's copy of the head, from before the running page saved a part.
    const shown = structuredClone(running);
    markDone(running.checkpoint, 'mid:a', 1100);
    await appendToBatch(running, { newsletters: [newsletter('mid:a')], mentions: [mention('mid:a')] });
    const tally = { startups: 1, notInCrm: 1, unsureLinks: 0, judgedLinks: 0 };
    await saveBatchTally(shown.id, tally);
    const loaded = await loadBatch('b1');
    expect(loaded?.batch.tally).toEqual(tally);
    expect(loaded?.batch.parts).toBe(1);
    expect(loaded?.batch.checkpoint.done).toEqual(['mid:a']);
    expect((await listBatches())[0]?.tally).toEqual(tally);

    await deleteBatch('b1');
    await saveBatchTally('b1', tally);
    expect(await keys(store('batch'))).not.toContain('batch:b1');
    expect(await listBatches()).toEqual([]);
  });

  it('lists a batch saved before tallies existed without one', async () => {
    await startBatch(newBatch('old', 1000));
    const [entry] = await listBatches();
    expect(entry).toMatchObject({ id: 'old', newsletters: 0 });
    expect(entry).not.toHaveProperty('tally');
  });
});
