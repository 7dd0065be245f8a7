import 'fake-indexeddb/auto';
import { get, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeCorrection } from '../core/corrections/correction.ts';
import type { Correction } from '../core/corrections/correction.ts';
import { clearCorrections, loadCorrections, removeCorrection, saveCorrection, saveMerged } from './corrections.ts';
import { STORE_NAMES, store } from './db.ts';

const mark = (domain: string, day = 3, kind: Correction['kind'] = 'not-startup'): Correction =>
  makeCorrection(
    kind,
    { domain, name: domain, sender: 'weekly.example', features: ['bias'], score: 0.8 },
    { date: new Date(Date.UTC(2026, 11, day)), source: 'results table: Weekly #1' },
  );

beforeEach(async () => {
  await clearCorrections();
});

describe('corrections store (real IndexedDB API, fake-indexeddb)', () => {
  it('has its own versioned store', () => {
    expect(STORE_NAMES.corrections).toEqual({ db: 'sift-corrections', store: 'corrections-v1' });
  });

  it('saves, replaces a correction of the same link, removes one and clears all', async () => {
    await saveCorrection(mark('acme.com'));
    await saveCorrection(mark('gizmo.io'));
    await saveCorrection(mark('acme.com', 4, 'is-startup'));
    const { corrections } = await loadCorrections();
    expect(corrections.map((item) => `${item.domain} ${item.kind}`)).toEqual([
      'gizmo.io not-startup',
      'acme.com is-startup',
    ]);
    await removeCorrection(corrections[0]!.id);
    expect((await loadCorrections()).corrections.map((item) => item.domain)).toEqual(['acme.com']);
    await clearCorrections();
    expect((await loadCorrections()).corrections).toEqual([]);
  });

  it('leaves damaged entries out when reading, and keeps them through later writes', async () => {
    await set(
      'corrections',
      { schemaVersion: 1, corrections: [mark('acme.com'), { id: 'broken' }] },
      store('corrections'),
    );
    expect(await loadCorrections()).toMatchObject({ damaged: 1, corrections: [{ domain: 'acme.com' }] });
    await saveCorrection(mark('gizmo.io'));
    const raw = (await get('corrections', store('corrections'))) as { corrections: unknown[] };
    expect(raw.corrections).toContainEqual({ id: 'broken' });
  });

  it('a merge keeps what another tab saved after the preview', async () => {
    await saveCorrection(mark('acme.com'));
    const preview = [mark('acme.com'), mark('team.ai')];
    await saveCorrection(mark('late.io'));
    await saveMerged(preview);
    expect((await loadCorrections()).corrections.map((item) => item.domain).sort()).toEqual([
      'acme.com',
      'late.io',
      'team.ai',
    ]);
  });

  it('refuses to save an invalid correction', async () => {
    await expect(saveCorrection({ ...mark('acme.com'), id: 'other' })).rejects.toThrow(/not valid/);
  });
});
