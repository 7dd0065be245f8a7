/**
 * User settings, one key per area (`model`, `fallback`, `connectors`, `ui`...). Each area owns the
 * shape of its value and validates what it reads back: stored data may come from an older version.
 * Secrets (API keys) never go here: they live in `secrets.ts`.
 */
import { get, set } from 'idb-keyval';
import { store, withQuotaMessage } from './db.ts';

export async function loadSetting<T>(key: string, parse: (stored: unknown) => T | undefined, fallback: T): Promise<T> {
  const stored: unknown = await get(key, store('settings'));
  return stored === undefined ? fallback : (parse(stored) ?? fallback);
}

export function saveSetting<T>(key: string, value: T): Promise<void> {
  return withQuotaMessage(() => set(key, value, store('settings')));
}
