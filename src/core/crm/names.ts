/**
 * How Sift decides that two names are the same company's: a key without legal suffixes, filler words,
 * punctuation or diacritics, and a similarity of two keys. Nothing heavy is imported (only `text/invisible.ts`, a
 * character class): the page uses these (one row per company) without loading the public-suffix list that domains
 * need (`normalise.ts`).
 */
import { dropInvisible } from '../text/invisible.ts';

/**
 * Words that say what kind of legal entity or what kind of startup a company is, not which one.
 * Dropped only at the end of a name ("Acme Labs Inc" → "acme"), and never when nothing would be
 * left ("Labs" stays "labs").
 */
const TRAILING_NOISE = new Set([
  // legal forms
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'ug',
  'se',
  'sa',
  'sas',
  'sasu',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'pty',
  'pte',
  'kk',
  'sl',
  'sro',
  'zoo',
  // descriptors that startups add and drop freely
  'ai',
  'labs',
  'lab',
  'hq',
  'technologies',
  'technology',
  'tech',
  'software',
  'holdings',
  'group',
  'app',
  'io',
]);

/** Dotted legal forms, matched before punctuation is stripped so "S.A.S." and "Inc." read as words. */
const DOTTED_FORMS: [RegExp, string][] = [
  [/\bs\.?\s?a\.?\s?r\.?\s?l\.?(?=\s|$)/g, ' sarl '],
  [/\bs\.?\s?a\.?\s?s\.?(?=\s|$)/g, ' sas '],
  [/\bs\.?\s?p\.?\s?a\.?(?=\s|$)/g, ' spa '],
  [/\bs\.?\s?r\.?\s?l\.?(?=\s|$)/g, ' srl '],
  [/\bb\.\s?v\.?(?=\s|$)/g, ' bv '],
  [/\bn\.\s?v\.?(?=\s|$)/g, ' nv '],
  [/\bs\.\s?a\.?(?=\s|$)/g, ' sa '],
  [/\bl\.\s?l\.\s?c\.?(?=\s|$)/g, ' llc '],
  [/\bsp\.\s?z\s?o\.\s?o\.?(?=\s|$)/g, ' zoo '],
];

const NON_ASCII = /[\u0080-\uffff]/;

/** A web-address-shaped name ("Acme.io", "notion.so") names the company before the dot. */
const NAME_TLD = /\.(com|io|ai|co|so|app|dev|xyz|net|org|tech|inc|vc|gg|me|sh)$/;

/** The name's words, lower-case, ASCII-folded, without punctuation or trailing noise words. */
export function nameTokens(name: string | null | undefined): string[] {
  if (!name) return [];
  // This runs for every company at import and index time: skip the costly steps a name does not need.
  let text = name.toLowerCase();
  if (NON_ASCII.test(text))
    // A character a reader never sees (a soft hyphen, a zero-width space) is not a word break: `Grip\u00adline`.
    text = dropInvisible(text)
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/ß/g, 'ss')
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'o')
      .replace(/œ/g, 'oe')
      .replace(/ł/g, 'l');
  text = text.trim();
  if (text.includes('.')) {
    text = text.replace(NAME_TLD, '');
    for (const [pattern, replacement] of DOTTED_FORMS) text = text.replace(pattern, replacement);
  }
  if (text.includes('&')) text = text.replace(/&/g, ' and ');
  text = text.replace(/['’`]/g, '');
  const words = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && TRAILING_NOISE.has(words[words.length - 1]!)) words.pop();
  return words;
}

/**
 * The name's words as Sift compares them (`Acmé Robotics, Inc.` → `acme robotics`): what to ask a
 * remote CRM's text search for, so it returns the records the matcher would accept.
 */
export function nameWords(name: string | null | undefined): string {
  return nameTokens(name).join(' ');
}

/** A shorter name than this ("AI", "Go", "Box") is matched by its leading words to too many others. */
export const MIN_LEADING_NAME = 4;

/** Leading names asked of a remote CRM per name: enough for "Linear Capital Partners" → "linear capital". */
const MAX_LEADING_NAMES = 2;

/**
 * The leading words of a name that could be a company's whole name in a CRM (`Okapi Health` → `okapi`), shortest
 * first: what to ask a remote CRM for besides the full name, so the matcher's "first words match" rule (a CRM that
 * keeps the short name) sees that record. A remote text search for the full name never returns the shorter one.
 */
export function leadingNames(name: string | null | undefined): string[] {
  const tokens = nameTokens(name);
  const names: string[] = [];
  for (let count = 1; count < tokens.length && names.length < MAX_LEADING_NAMES; count++) {
    const words = tokens.slice(0, count);
    if (words.join('').length >= MIN_LEADING_NAME) names.push(words.join(' '));
  }
  return names;
}

/**
 * The key two names must share to be "the same name": tokens run together, so "Acme Robotics",
 * "AcmeRobotics, Inc." and "Acmé Robotics GmbH" all give `acmerobotics`.
 */
export function nameKey(name: string | null | undefined): string {
  return nameTokens(name).join('');
}

/**
 * Similarity of two name keys, 0..1: the Sørensen–Dice coefficient over character bigrams. It
 * forgives a typo or a missing letter ("stripe" / "stripes" 0.91) but not a different word
 * ("acme" / "acmerobotics" 0.43).
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  if (a.length < 2 || b.length < 2) return 0;
  // Counts live in one shared table (cleared after use) instead of a Map per call: the fuzzy
  // lookup calls this hundreds of times per query.
  for (let i = 0; i < a.length - 1; i++) GRAM_COUNTS[bigram(a, i)]!++;
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const gram = bigram(b, i);
    if (GRAM_COUNTS[gram]! > 0) {
      GRAM_COUNTS[gram]!--;
      shared++;
    }
  }
  for (let i = 0; i < a.length - 1; i++) GRAM_COUNTS[bigram(a, i)] = 0;
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

const GRAM_COUNTS = new Uint16Array(1 << 16);

/** Exact for Latin-1 pairs; other scripts may share a slot now and then, which only nudges a score. */
function bigram(text: string, at: number): number {
  return ((text.charCodeAt(at) << 8) ^ text.charCodeAt(at + 1)) & 0xffff;
}
