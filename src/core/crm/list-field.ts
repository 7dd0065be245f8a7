/**
 * A list written in one cell or form field. Its own module, with no imports, because the page's CRM form needs it
 * and `company.ts` brings the public-suffix list (tldts, about 110 kB gzipped) with it.
 */
const LIST_SEPARATOR = /[;,\n]/;

/** A cell or a form field that holds a list (`acme.com; acme.io`, `seed, fintech`): its items, trimmed. */
export function splitList(text: string): string[] {
  if (!text) return [];
  if (!LIST_SEPARATOR.test(text)) return text.trim() ? [text.trim()] : [];
  return text
    .split(LIST_SEPARATOR)
    .map((part) => part.trim())
    .filter(Boolean);
}
