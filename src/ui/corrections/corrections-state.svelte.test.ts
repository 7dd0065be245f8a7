import { describe, expect, it } from 'vitest';
import type { Correction } from '../../core/corrections/correction.ts';
import { CorrectionsState, type CorrectionStore } from './corrections-state.svelte.ts';

/** The store's contract over an array: what src/storage/corrections.ts does with IndexedDB. */
function memoryStore(): CorrectionStore & { saved: Correction[] } {
  const store = {
    saved: [] as Correction[],
    loadCorrections: async () => ({ corrections: [...store.saved], damaged: 0 }),
    saveCorrection: async (item: Correction) =>
      (store.saved = [...store.saved.filter((known) => known.id !== item.id), item]),
    removeCorrection: async (id: string) => (store.saved = store.saved.filter((known) => known.id !== id)),
    clearCorrections: async () => (store.saved = []),
    saveMerged: async (merged: readonly Correction[]) => (store.saved = [...merged]),
  };
  return store;
}

const acme = { domain: 'acme.com', name: 'Acme', sender: 'weekly.example', features: ['bias'], score: 0.9 };

describe('CorrectionsState: What Sift learned', () => {
  it('records, undoes and clears, saying what happened', async () => {
    const store = memoryStore();
    const learned = new CorrectionsState(store, () => Date.UTC(2026, 11, 3, 9));
    await learned.record('not-startup', acme, 'results table: Weekly #1');
    expect(learned.message).toBe('Sift learned: you marked acme.com as not a startup on 3 Dec.');
    expect(store.saved).toHaveLength(1);
    await learned.undo(store.saved[0]!.id);
    expect(learned.list).toEqual([]);
    expect(learned.message).toMatch(/^Undone: you marked acme\.com/);
  });

  it('an import is previewed first and merged only on confirm; a bad file changes nothing', async () => {
    const store = memoryStore();
    const mine = new CorrectionsState(store, () => Date.UTC(2026, 11, 3));
    await mine.record('not-startup', acme, 'results table: Weekly #1');
    const teammate = new CorrectionsState(memoryStore(), () => Date.UTC(2026, 11, 4));
    await teammate.record('is-startup', { ...acme, domain: 'gizmo.io', name: 'Gizmo' }, 'results table: Weekly #2');
    const file = teammate.exportText();

    mine.previewImport('{"not": "ours"}', 'contacts.json');
    expect(mine.error).toMatch(/contacts\.json is not a Sift corrections file/);
    expect(mine.pending).toBeNull();
    expect(store.saved.map((item) => item.domain)).toEqual(['acme.com']);

    mine.previewImport(file, 'team.json');
    expect(mine.pending?.preview.added.map((item) => item.domain)).toEqual(['gizmo.io']);
    expect(store.saved).toHaveLength(1);
    await mine.confirmImport();
    expect(store.saved.map((item) => item.domain)).toEqual(['acme.com', 'gizmo.io']);
    expect(mine.message).toBe('Imported from team.json: 1 added, 0 replaced.');
  });
});
