/**
 * What every remote connector shares beyond the wire (`connection.ts`): reading tags in either
 * form a CRM stores them, and the website a draft stands for.
 */
import { splitList } from '../../core/crm/company.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';

/** Tags stored as a list, or as text (`a, b`), read as a list. */
export function readTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '');
  if (typeof value === 'string') return splitList(value);
  return [];
}

/** The website a draft stands for: its own, or `https://` + its domain. */
export function draftWebsite(draft: { website?: string | null; domain?: string | null }): string | null {
  if (draft.website && draft.website.trim() !== '') {
    const site = draft.website.trim();
    return /^https?:\/\//i.test(site) ? site : `https://${site}`;
  }
  const domain = registrableDomain(draft.domain);
  return domain ? `https://${domain}` : null;
}
