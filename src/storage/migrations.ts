/**
 * The CRM store's schema versions and the way from each old one to the current. Every change to
 * what `crm.ts` writes gets a new version here and a migration with a test: a user's CRM must
 * survive every upgrade of Sift.
 *
 * v0 (before the chunked layout): one record per company, its key the company id, shaped
 *   `CompanyV0` below (tags as one comma-separated string, a website but no separate domain).
 * v1: companies in chunks `chunk/<generation>/<n>` (arrays of `Company`), and one `manifest` key
 *   naming the live generation's chunks. Writing a new generation and then replacing the manifest
 *   in one transaction is what makes an import atomic.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';
import { companyFromDraft } from '../core/crm/company.ts';
import type { Company } from '../core/crm/types.ts';

export const CRM_SCHEMA_VERSION = 1;
export const MANIFEST_KEY = 'manifest';
export const CHUNK_PREFIX = 'chunk/';
export const CHUNK_SIZE = 2000;

export interface CrmManifest {
  schemaVersion: number;
  /** Names the live set of chunks; a new import writes a new generation beside it. */
  generation: string;
  chunks: string[];
  /** Next free chunk number in this generation, for chunks added by later edits. */
  nextChunk: number;
  count: number;
  /** Bumped by every write; a write that finds another revision than it read lost a race with another tab. */
  revision: number;
  savedAt: number;
}

export interface CompanyV0 {
  id: string;
  name: string;
  website?: string | null;
  /** Comma-separated. */
  tags?: string;
  notes?: string;
  /** ISO date. */
  created?: string;
}

export class NewerCrmSchemaError extends Error {
  override name = 'NewerCrmSchemaError';
  constructor(found: number) {
    super(
      `Your CRM was saved by a newer version of Sift (data version ${found}; this one reads up to ${CRM_SCHEMA_VERSION}). Reload the page to get the newer version; your data was not touched.`,
    );
  }
}

export function chunkKey(generation: string, n: number): string {
  return `${CHUNK_PREFIX}${generation}/${n}`;
}

export function isChunkKey(key: IDBValidKey): key is string {
  return typeof key === 'string' && key.startsWith(CHUNK_PREFIX);
}

export function newGeneration(): string {
  return `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}

/** v0 record → v1 company. A website that is not a web address is kept as the website, without a domain. */
export function companyFromV0(record: CompanyV0, now: number): Company {
  const created = record.created ? Date.parse(record.created) : NaN;
  const time = Number.isFinite(created) ? created : now;
  const draft = {
    name: record.name?.trim() || record.website || record.id,
    website: record.website ?? null,
    tags: (record.tags ?? '').split(','),
    notes: record.notes ?? '',
    source: 'manual',
  };
  try {
    return companyFromDraft(draft, { id: record.id, now: time });
  } catch {
    return { ...companyFromDraft({ ...draft, website: null }, { id: record.id, now: time }), website: draft.website };
  }
}

export function splitIntoChunks(companies: readonly Company[], size = CHUNK_SIZE): Company[][] {
  const chunks: Company[][] = [];
  for (let start = 0; start < companies.length; start += size) chunks.push(companies.slice(start, start + size));
  return chunks;
}

function looksLikeV0(value: unknown): value is CompanyV0 {
  return typeof value === 'object' && value !== null && typeof (value as CompanyV0).id === 'string';
}

export interface MigrationOutcome {
  from: number;
  to: number;
  /** Companies carried over from an older schema. */
  migrated: number;
}

/**
 * Brings the CRM store to CRM_SCHEMA_VERSION in one transaction: it either fully happens or the
 * old data stays as it was. Safe to call on every start.
 */
export function migrateCrm(useStore: UseStore, now = Date.now()): Promise<MigrationOutcome> {
  return useStore('readwrite', async (objectStore) => {
    const manifest = (await promisifyRequest(objectStore.get(MANIFEST_KEY))) as CrmManifest | undefined;
    if (manifest) {
      if (manifest.schemaVersion > CRM_SCHEMA_VERSION) throw new NewerCrmSchemaError(manifest.schemaVersion);
      return { from: manifest.schemaVersion, to: manifest.schemaVersion, migrated: 0 };
    }
    const keys = await promisifyRequest(objectStore.getAllKeys());
    const legacyKeys = keys.filter((key) => key !== MANIFEST_KEY && !isChunkKey(key));
    if (legacyKeys.length === 0) return { from: CRM_SCHEMA_VERSION, to: CRM_SCHEMA_VERSION, migrated: 0 };

    const companies: Company[] = [];
    for (const key of legacyKeys) {
      const value: unknown = await promisifyRequest(objectStore.get(key));
      if (looksLikeV0(value)) companies.push(companyFromV0(value, now));
    }
    const generation = newGeneration();
    const chunks = splitIntoChunks(companies);
    chunks.forEach((chunk, n) => objectStore.put(chunk, chunkKey(generation, n)));
    for (const key of legacyKeys) objectStore.delete(key);
    const next: CrmManifest = {
      schemaVersion: CRM_SCHEMA_VERSION,
      generation,
      chunks: chunks.map((_, n) => chunkKey(generation, n)),
      nextChunk: chunks.length,
      count: companies.length,
      revision: 1,
      savedAt: now,
    };
    objectStore.put(next, MANIFEST_KEY);
    await promisifyRequest(objectStore.transaction);
    return { from: 0, to: CRM_SCHEMA_VERSION, migrated: companies.length };
  });
}
