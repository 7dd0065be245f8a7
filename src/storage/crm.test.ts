import 'fake-indexeddb/auto';
import { createStore, keys, type UseStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { companyFromDraft } from '../core/crm/company.ts';
import { ImportCancelledError } from '../core/crm/csv/types.ts';
import type { Company } from '../core/crm/types.ts';
import { CrmChangedElsewhereError, CrmStorage, loadImportSummary, saveImportSummary } from './crm.ts';
import { StorageFullError } from './db.ts';

let dbs = 0;
const freshStore = (): UseStore => createStore(`crm-storage-test-${++dbs}`, 'companies-v1');

const companies = (count: number, prefix = 'c'): Company[] =>
  Array.from({ length: count }, (_, i) =>
    companyFromDraft(
      { name: `${prefix} ${i}`, domain: `${prefix}${i}.com`, source: 'test' },
      { id: `${prefix}${i}`, now: i },
    ),
  );

const byId = (list: Company[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

/** A store whose read-write transactions fail as a full disk does, after `allowed` successful ones. */
function storeThatFillsUp(inner: UseStore, allowed: number): UseStore {
  let writes = 0;
  return (mode, callback) => {
    if (mode === 'readwrite' && ++writes > allowed)
      return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    return inner(mode, callback);
  };
}

/**
 * Like a tab killed mid-import: after `allowed` read-write transactions every further one is
 * dropped without running, so the cleanup a living page would do never happens either.
 */
function storeThatFillsUpSilently(inner: UseStore, allowed: number): UseStore {
  let writes = 0;
  return (mode, callback) => {
    if (mode === 'readwrite' && ++writes > allowed) return Promise.reject(new Error('page closed'));
    return inner(mode, callback);
  };
}

describe('CrmStorage', () => {
  it('saves, edits and deletes companies, and a new load sees exactly that', async () => {
    const useStore = freshStore();
    const storage = new CrmStorage(useStore);
    expect(await storage.load()).toEqual([]);
    const [a, b] = companies(2);
    await storage.put(a!);
    await storage.put(b!);
    await storage.put({ ...a!, notes: 'edited' });
    expect(await storage.remove(b!.id)).toBe(true);
    expect(await storage.remove('missing')).toBe(false);
    expect(await new CrmStorage(useStore).load()).toEqual([{ ...a!, notes: 'edited' }]);
  });

  it('replaces everything with an import, in chunks, and keeps editing after it', async () => {
    const useStore = freshStore();
    const storage = new CrmStorage(useStore);
    await storage.load();
    await storage.put(companies(1, 'old')[0]!);
    const progress: number[] = [];
    const imported = companies(25_001);
    await storage.replaceAll(imported, { onProgress: (fraction) => progress.push(fraction) });
    expect(progress.at(-1)).toBe(1);
    const extra = companies(1, 'extra')[0]!;
    await storage.put(extra);
    const reloaded = await new CrmStorage(useStore).load();
    expect(reloaded).toHaveLength(25_002);
    expect(reloaded.find((company) => company.id === 'old0')).toBeUndefined();
    expect(reloaded.at(-1)).toEqual(extra);
    expect((await keys(useStore)).length).toBe(1 + Math.ceil(25_002 / 2000));
  });

  it('leaves the CRM exactly as it was when an import is cancelled part-way', async () => {
    const useStore = freshStore();
    const storage = new CrmStorage(useStore);
    await storage.load();
    const before = companies(3, 'kept');
    await storage.replaceAll(before);
    const keysBefore = await keys(useStore);
    let checks = 0;
    await expect(storage.replaceAll(companies(30_000), { shouldStop: () => ++checks > 1 })).rejects.toThrow(
      ImportCancelledError,
    );
    expect(byId(await new CrmStorage(useStore).load())).toEqual(byId(before));
    expect((await keys(useStore)).sort()).toEqual(keysBefore.sort());
  });

  it('keeps the old CRM when the page dies mid-import, and sweeps the half-written chunks on the next load', async () => {
    const useStore = freshStore();
    const storage = new CrmStorage(useStore);
    await storage.load();
    const before = companies(5, 'kept');
    await storage.replaceAll(before);
    // Load takes two write transactions (migrate, sweep); then the new chunks land and the tab is gone before the flip.
    const killed = new CrmStorage(storeThatFillsUpSilently(useStore, 3));
    await killed.load();
    await killed.replaceAll(companies(30_000)).catch(() => undefined);
    expect((await keys(useStore)).length).toBeGreaterThan(2);
    const survivor = new CrmStorage(useStore);
    expect(byId(await survivor.load())).toEqual(byId(before));
    expect((await keys(useStore)).length).toBe(2);
  });

  it('turns a full disk into StorageFullError and loses nothing', async () => {
    const useStore = freshStore();
    const storage = new CrmStorage(useStore);
    await storage.load();
    const before = companies(4, 'kept');
    await storage.replaceAll(before);
    const full = new CrmStorage(storeThatFillsUp(useStore, 2));
    await full.load();
    await expect(full.replaceAll(companies(20_000))).rejects.toThrow(StorageFullError);
    await expect(full.put(companies(1, 'new')[0]!)).rejects.toThrow(/no room left/);
    expect(byId(await new CrmStorage(useStore).load())).toEqual(byId(before));
  });

  it('refuses to overwrite what another tab saved in between', async () => {
    const useStore = freshStore();
    const tabA = new CrmStorage(useStore);
    const tabB = new CrmStorage(useStore);
    await tabA.load();
    await tabB.load();
    await tabA.put(companies(1, 'a')[0]!);
    await expect(tabB.put(companies(1, 'b')[0]!)).rejects.toThrow(CrmChangedElsewhereError);
    await expect(tabB.replaceAll(companies(3))).rejects.toThrow(CrmChangedElsewhereError);
    expect((await new CrmStorage(useStore).load()).map((company) => company.id)).toEqual(['a0']);
  });
});

describe('import summary', () => {
  it('is kept in the meta store and read back validated', async () => {
    const meta = createStore(`crm-meta-test-${++dbs}`, 'meta-v1');
    expect(await loadImportSummary(meta)).toBeNull();
    await saveImportSummary({ fileName: 'hubspot.csv', companies: 3, at: 1 }, meta);
    expect(await loadImportSummary(meta)).toEqual({ fileName: 'hubspot.csv', companies: 3, at: 1 });
  });
});
