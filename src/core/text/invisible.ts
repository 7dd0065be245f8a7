/**
 * Characters a reader never sees: zero-width space, word joiner, byte-order mark, soft hyphen. Templates put them in
 * anchors (`\u200b\u200bAcme`) and between letters, and CRM exports carry them too; left in, `Acme` in a newsletter
 * and `Acme` in a record would not match. Zero-width (non-)joiners stay: scripts and emoji sequences need them.
 */
export const INVISIBLE_CHARACTER = /[\u200b\u2060\ufeff\u00ad]/;
const INVISIBLE_CHARACTERS = new RegExp(INVISIBLE_CHARACTER.source, 'g');

export function dropInvisible(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '');
}
