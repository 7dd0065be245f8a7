/**
 * The one place Sift opens IndexedDB. Each store is its own idb-keyval database, so one
 * store's transaction (a CRM import, say) never blocks another's.
 *
 * DO NOT CHANGE a database or store name without adding a migration in `migrations.ts`:
 * a new name is an empty store, and every user's CRM, history and settings would vanish.
 */
import { createStore, type UseStore } from 'idb-keyval';

export const STORE_NAMES = {
  crm: { db: 'sift-crm', store: 'companies-v1' },
  meta: { db: 'sift-meta', store: 'meta-v1' },
  settings: { db: 'sift-settings', store: 'settings-v1' },
  history: { db: 'sift-history', store: 'runs-v1' },
  secrets: { db: 'sift-secrets', store: 'keys-v1' },
  bench: { db: 'sift-bench', store: 'runs-v1' },
  batch: { db: 'sift-batch', store: 'batches-v1' },
  corrections: { db: 'sift-corrections', store: 'corrections-v1' },
} as const;

export type StoreName = keyof typeof STORE_NAMES;

const opened = new Map<StoreName, UseStore>();

/** Opens lazily: importing this module costs nothing until a store is used. */
export function store(name: StoreName): UseStore {
  let handle = opened.get(name);
  if (!handle) {
    const { db, store: objectStore } = STORE_NAMES[name];
    handle = createStore(db, objectStore);
    opened.set(name, handle);
  }
  return handle;
}

export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(cause: unknown) {
    super(
      'This browser has no room left for Sift’s data. Free space (Settings → Models → delete a cached model) or clear other sites’ data, then try again. Nothing was changed.',
      { cause },
    );
  }
}

/** Turns the browser's quota failure, whatever it is called in this engine, into a clear message. */
export async function withQuotaMessage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(error);
    throw error;
  }
}

export function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error) && !(typeof DOMException !== 'undefined' && error instanceof DOMException))
    return false;
  const { name } = error as { name: string };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
