/**
 * The local CRM in IndexedDB (store `crm`, layout in `migrations.ts`).
 *
 * Atomic import: a new generation of chunks is written beside the live one in one transaction,
 * and only then does a second transaction check them, point the manifest at them and delete
 * the old generation. A failed, cancelled or killed import therefore leaves the manifest — and so
 * the CRM — exactly as it was; the half-written chunks are swept on the next load.
 *
 * Single edits rewrite one chunk and the manifest in one transaction. Every write checks that the
 * manifest's revision is the one this tab last saw, so two tabs cannot silently undo each other.
 */
import { get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { ImportCancelledError } from '../core/crm/csv/types.ts';
import type { Company } from '../core/crm/types.ts';
import { store, withQuotaMessage } from './db.ts';
import {
  CHUNK_PREFIX,
  CHUNK_SIZE,
  chunkKey,
  CRM_SCHEMA_VERSION,
  type CrmManifest,
  isChunkKey,
  MANIFEST_KEY,
  migrateCrm,
  newGeneration,
  splitIntoChunks,
} from './migrations.ts';

export class CrmChangedElsewhereError extends Error {
  override name = 'CrmChangedElsewhereError';
  constructor() {
    super('Your CRM was changed in another Sift tab. Reload this tab to see the latest data; nothing was saved here.');
  }
}

export interface ReplaceOptions {
  onProgress?: (fraction: number) => void;
  /** Checked between transactions; true abandons the new generation and throws ImportCancelledError. */
  shouldStop?: () => boolean;
  /** Synchronous work to do while the browser writes the new chunks (it overlaps with the disk). */
  whileCommitting?: () => void;
}

export interface ImportSummary {
  fileName: string;
  companies: number;
  at: number;
}

const LAST_IMPORT_KEY = 'crm-last-import';

function emptyManifest(): CrmManifest {
  return {
    schemaVersion: CRM_SCHEMA_VERSION,
    generation: newGeneration(),
    chunks: [],
    nextChunk: 0,
    count: 0,
    revision: 0,
    savedAt: 0,
  };
}

export class CrmStorage {
  /** The manifest as this tab last read or wrote it; null until the first save of an empty CRM. */
  #manifest: CrmManifest | null = null;
  readonly #chunkOf = new Map<string, string>();
  readonly #chunks = new Map<string, Map<string, Company>>();

  constructor(private readonly useStore: UseStore = store('crm')) {}

  get count(): number {
    return this.#chunkOf.size;
  }

  /** Migrates if needed, reads the live generation in one transaction and sweeps leftovers of interrupted imports. */
  async load(): Promise<Company[]> {
    await withQuotaMessage(() => migrateCrm(this.useStore));
    const { manifest, chunks } = await this.useStore('readonly', async (objectStore) => {
      const manifest = (await promisifyRequest(objectStore.get(MANIFEST_KEY))) as CrmManifest | undefined;
      const requests = (manifest?.chunks ?? []).map((key) => objectStore.get(key) as IDBRequest<Company[] | undefined>);
      const chunks = await Promise.all(requests.map((request) => promisifyRequest(request)));
      return { manifest: manifest ?? null, chunks };
    });
    this.#manifest = manifest;
    this.#chunkOf.clear();
    this.#chunks.clear();
    const companies: Company[] = [];
    chunks.forEach((chunk, n) => {
      const key = manifest!.chunks[n]!;
      const members = new Map<string, Company>();
      for (const company of chunk ?? []) {
        members.set(company.id, company);
        this.#chunkOf.set(company.id, key);
        companies.push(company);
      }
      this.#chunks.set(key, members);
    });
    // Leftovers only cost space; failing to sweep them must not keep the CRM from opening.
    await this.#sweep().catch(() => undefined);
    return companies;
  }

  /** Replaces the whole CRM atomically (see the module comment). */
  async replaceAll(companies: readonly Company[], options: ReplaceOptions = {}): Promise<void> {
    const base = this.#manifest;
    const generation = newGeneration();
    const chunks = splitIntoChunks(companies);
    const keys = chunks.map((_, n) => chunkKey(generation, n));
    try {
      if (options.shouldStop?.()) throw new ImportCancelledError();
      // One transaction for all new chunks: the values are cloned when put, then the browser writes
      // them on its own thread while `whileCommitting` (building the new index, say) runs here.
      await withQuotaMessage(() =>
        this.useStore('readwrite', (objectStore) => {
          chunks.forEach((chunk, n) => objectStore.put(chunk, keys[n]!));
          options.onProgress?.(0.5);
          options.whileCommitting?.();
          return promisifyRequest(objectStore.transaction);
        }),
      );
      options.onProgress?.(1);
      if (options.shouldStop?.()) throw new ImportCancelledError();
      const next: CrmManifest = {
        schemaVersion: CRM_SCHEMA_VERSION,
        generation,
        chunks: keys,
        nextChunk: keys.length,
        count: companies.length,
        revision: (base?.revision ?? 0) + 1,
        savedAt: Date.now(),
      };
      await withQuotaMessage(() =>
        this.useStore('readwrite', async (objectStore) => {
          await this.#checkRevision(objectStore, base);
          const written = await promisifyRequest(
            objectStore.count(
              IDBKeyRange.bound(`${CHUNK_PREFIX}${generation}/`, `${CHUNK_PREFIX}${generation}/\uffff`),
            ),
          );
          // Another tab's load may have swept our chunks as leftovers while we were writing.
          if (written !== keys.length) throw new CrmChangedElsewhereError();
          for (const old of base?.chunks ?? []) objectStore.delete(old);
          objectStore.put(next, MANIFEST_KEY);
          return promisifyRequest(objectStore.transaction);
        }),
      );
      this.#manifest = next;
    } catch (error) {
      // Best effort: a killed page leaves these for the next load's sweep instead.
      await this.useStore('readwrite', (objectStore) => {
        objectStore.delete(IDBKeyRange.bound(`${CHUNK_PREFIX}${generation}/`, `${CHUNK_PREFIX}${generation}/\uffff`));
        return promisifyRequest(objectStore.transaction);
      }).catch(() => undefined);
      throw error;
    }
    this.#chunkOf.clear();
    this.#chunks.clear();
    chunks.forEach((chunk, n) => {
      this.#chunks.set(keys[n]!, new Map(chunk.map((company) => [company.id, company])));
      for (const company of chunk) this.#chunkOf.set(company.id, keys[n]!);
    });
  }

  /** Adds a company or replaces the one with its id, in one transaction. */
  async put(company: Company): Promise<void> {
    const manifest = this.#manifest ?? emptyManifest();
    let key = this.#chunkOf.get(company.id);
    let chunks = manifest.chunks;
    let nextChunk = manifest.nextChunk;
    if (key === undefined) {
      const last = chunks.at(-1);
      if (last !== undefined && (this.#chunks.get(last)?.size ?? 0) < CHUNK_SIZE) key = last;
      else {
        key = chunkKey(manifest.generation, nextChunk++);
        chunks = [...chunks, key];
      }
    }
    const members = new Map(this.#chunks.get(key) ?? []);
    const isNew = !members.has(company.id);
    members.set(company.id, company);
    const next: CrmManifest = {
      ...manifest,
      chunks,
      nextChunk,
      count: manifest.count + (isNew ? 1 : 0),
      revision: manifest.revision + 1,
      savedAt: Date.now(),
    };
    await this.#writeChunk(key, members, next);
    this.#chunks.set(key, members);
    this.#chunkOf.set(company.id, key);
  }

  /** Deletes a company; false when it was not stored. */
  async remove(id: string): Promise<boolean> {
    const key = this.#chunkOf.get(id);
    const manifest = this.#manifest;
    if (key === undefined || !manifest) return false;
    const members = new Map(this.#chunks.get(key));
    members.delete(id);
    const next: CrmManifest = {
      ...manifest,
      chunks: members.size === 0 ? manifest.chunks.filter((chunk) => chunk !== key) : manifest.chunks,
      count: manifest.count - 1,
      revision: manifest.revision + 1,
      savedAt: Date.now(),
    };
    await this.#writeChunk(key, members, next);
    if (members.size === 0) this.#chunks.delete(key);
    else this.#chunks.set(key, members);
    this.#chunkOf.delete(id);
    return true;
  }

  async #writeChunk(key: string, members: Map<string, Company>, next: CrmManifest): Promise<void> {
    const base = this.#manifest;
    await withQuotaMessage(() =>
      this.useStore('readwrite', async (objectStore) => {
        await this.#checkRevision(objectStore, base);
        if (members.size === 0) objectStore.delete(key);
        else objectStore.put([...members.values()], key);
        objectStore.put(next, MANIFEST_KEY);
        return promisifyRequest(objectStore.transaction);
      }),
    );
    this.#manifest = next;
  }

  async #checkRevision(objectStore: IDBObjectStore, base: CrmManifest | null): Promise<void> {
    const stored = (await promisifyRequest(objectStore.get(MANIFEST_KEY))) as CrmManifest | undefined;
    if ((stored?.revision ?? 0) !== (base?.revision ?? 0) || (stored && stored.generation !== base?.generation))
      throw new CrmChangedElsewhereError();
  }

  /** Deletes chunks no manifest points at: what an interrupted import or a closed tab left behind. */
  async #sweep(): Promise<void> {
    await this.useStore('readwrite', async (objectStore) => {
      // Read in this transaction: another tab may have moved the CRM to a new generation since our load.
      const manifest = (await promisifyRequest(objectStore.get(MANIFEST_KEY))) as CrmManifest | undefined;
      const live = new Set(manifest?.chunks ?? []);
      const keys = await promisifyRequest(objectStore.getAllKeys());
      for (const key of keys) if (isChunkKey(key) && !live.has(key)) objectStore.delete(key);
      return promisifyRequest(objectStore.transaction);
    });
  }
}

export async function saveImportSummary(summary: ImportSummary, useStore: UseStore = store('meta')): Promise<void> {
  await withQuotaMessage(() => set(LAST_IMPORT_KEY, summary, useStore));
}

export async function loadImportSummary(useStore: UseStore = store('meta')): Promise<ImportSummary | null> {
  const stored: unknown = await get(LAST_IMPORT_KEY, useStore);
  if (typeof stored !== 'object' || stored === null) return null;
  const { fileName, companies, at } = stored as Partial<ImportSummary>;
  return typeof fileName === 'string' && typeof companies === 'number' && typeof at === 'number'
    ? { fileName, companies, at }
    : null;
}
