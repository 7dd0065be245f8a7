/**
 * API keys and tokens the user pasted (CRM connectors, fallback engines), one key per secret id
 * (`connector:airtable`, ...). They live in their own IndexedDB store, apart from settings, so an
 * export of settings or history can never carry them. Nothing here logs a value.
 *
 * IndexedDB is not encrypted at rest: this keeps secrets out of URLs, logs, traces and exports,
 * not away from someone who controls this browser profile.
 */
import { del, get, set } from 'idb-keyval';
import { store, withQuotaMessage } from './db.ts';

export async function loadSecret(id: string): Promise<string | null> {
  const stored: unknown = await get(id, store('secrets'));
  return typeof stored === 'string' && stored !== '' ? stored : null;
}

/** Saving an empty value forgets the secret. */
export function saveSecret(id: string, value: string): Promise<void> {
  const trimmed = value.trim();
  if (trimmed === '') return forgetSecret(id);
  return withQuotaMessage(() => set(id, trimmed, store('secrets')));
}

export function forgetSecret(id: string): Promise<void> {
  return del(id, store('secrets'));
}
