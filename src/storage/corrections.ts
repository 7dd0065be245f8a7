/**
 * The person's corrections (src/core/corrections), kept on this device only. All of them live under one key, so an
 * import's merge and an undo are single transactions, and what is read back is checked: a damaged entry is left out
 * (and counted), never allowed to break the list or a run.
 *
 * The stored shape is a contract with every browser that saved corrections: DO NOT CHANGE it without a migration.
 */
import { get, update } from 'idb-keyval';
import { parseCorrection } from '../core/corrections/correction.ts';
import type { Correction } from '../core/corrections/correction.ts';
import { store, withQuotaMessage } from './db.ts';

const KEY = 'corrections';
export const CORRECTIONS_SCHEMA_VERSION = 1;

interface StoredCorrections {
  schemaVersion: typeof CORRECTIONS_SCHEMA_VERSION;
  corrections: unknown[];
}

export interface LoadedCorrections {
  corrections: Correction[];
  /** Stored entries that were damaged and left out. */
  damaged: number;
}

export function parseStored(stored: unknown): LoadedCorrections {
  const list = (stored as Partial<StoredCorrections> | undefined)?.corrections;
  if (!Array.isArray(list)) return { corrections: [], damaged: 0 };
  const corrections: Correction[] = [];
  let damaged = 0;
  for (const item of list) {
    const correction = parseCorrection(item);
    if (correction) corrections.push(correction);
    else damaged++;
  }
  return { corrections, damaged };
}

/** Changes the stored list in one transaction; damaged entries stay as they were, so nothing is lost by a write. */
async function change(next: (corrections: Correction[]) => Correction[]): Promise<Correction[]> {
  let result: Correction[] = [];
  await withQuotaMessage(() =>
    update(
      KEY,
      (stored: unknown): StoredCorrections => {
        const list = Array.isArray((stored as Partial<StoredCorrections> | undefined)?.corrections)
          ? (stored as StoredCorrections).corrections
          : [];
        const damaged = list.filter((item) => parseCorrection(item) === null);
        result = next(parseStored(stored).corrections);
        return { schemaVersion: CORRECTIONS_SCHEMA_VERSION, corrections: [...result, ...damaged] };
      },
      store('corrections'),
    ),
  );
  return result;
}

export async function loadCorrections(): Promise<LoadedCorrections> {
  return parseStored(await get(KEY, store('corrections')));
}

/** Adds a correction; one about the same link (same id) is replaced. Returns the list now stored. */
export function saveCorrection(correction: Correction): Promise<Correction[]> {
  if (!parseCorrection(correction)) return Promise.reject(new Error('This correction is not valid and was not saved.'));
  return change((list) => [...list.filter((item) => item.id !== correction.id), correction]);
}

export function removeCorrection(id: string): Promise<Correction[]> {
  return change((list) => list.filter((item) => item.id !== id));
}

export function clearCorrections(): Promise<Correction[]> {
  return change(() => []);
}

/** Replaces the list with a merge the person saw and confirmed (exchange.ts `previewMerge`). */
export function saveMerged(merged: readonly Correction[]): Promise<Correction[]> {
  const valid = merged.filter((item) => parseCorrection(item) !== null);
  return change((list) => {
    const mergedIds = new Set(valid.map((item) => item.id));
    // A correction made in another tab after the preview is kept, not dropped.
    return [...valid, ...list.filter((item) => !mergedIds.has(item.id))];
  });
}
