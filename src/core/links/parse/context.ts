/**
 * The sentence around a link, computed from a bounded window on each side so the cost per link is constant
 * however long the paragraph is (a 20 MB paste with no paragraph breaks stays linear).
 */
import { INVISIBLE_CHARACTER, dropInvisible } from '../../text/invisible.ts';

/** How far to look on each side of a link for the sentence's start and end. */
export const CONTEXT_WINDOW = 360;

/**
 * The window of `text` before `at`. One that starts inside a word starts at the next word: the piece of a word, or
 * the tail of a URL (`substack.com/redirect/…`), is not something the reader would see as the sentence's start.
 */
export function windowBefore(text: string, at: number, size = CONTEXT_WINDOW): string {
  const from = at - size;
  if (from <= 0) return text.slice(0, at);
  const window = text.slice(from, at);
  const space = window.search(SPACE);
  return space < 0 ? '' : window.slice(space);
}

/** The window of `text` after `at`, ending at the last whole word when it would cut one. */
export function windowAfter(text: string, at: number, size = CONTEXT_WINDOW): string {
  const to = at + size;
  const window = text.slice(at, to);
  if (to >= text.length || SPACE.test(text[to] ?? '')) return window;
  let end = window.length;
  while (end > 0 && !isWhitespace(window.charCodeAt(end - 1))) end--;
  return window.slice(0, end);
}
const SPACE = /\s/;

/**
 * Whether a UTF-16 code unit is what `\s` matches (and `trim` removes): tested by code, since a word is walked back
 * character by character and a regular expression per character cost more than the rest of the window.
 */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
/** The longest context handed on; the model and the table need a sentence, not a page. */
export const MAX_CONTEXT = 300;

/** Words that end with a period but rarely end a sentence in newsletters. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'vs',
  'inc',
  'co',
  'ltd',
  'corp',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'no',
]);

/** Dotted initials read as an abbreviation (`U.S.`, `J.`), as long as the word before the final stop may be. */
const LONGEST_INITIALS = 3;
/** No word before a full stop longer than this can end an abbreviation: neither a listed one nor initials. */
const LONGEST_ABBREVIATION = Math.max(LONGEST_INITIALS, ...[...ABBREVIATIONS].map((word) => word.length));

/**
 * The whitespace that is not already one space: a run of two or more, or a lone tab or line break. Replacing only
 * these with a space is replacing every run with one, without a match (and a copy) per space between two words.
 */
const SPACING = /\s{2,}|[^\S ]/g;
/** What the replacement would change: whitespace other than a lone space, or a character a reader never sees. */
const COLLAPSIBLE = new RegExp(`[^\\S ]| {2}|${INVISIBLE_CHARACTER.source}`);

export function collapseWhitespace(text: string): string {
  return COLLAPSIBLE.test(text) ? dropInvisible(text).replace(SPACING, ' ').trim() : text.trim();
}

function isSpace(char: string | undefined): boolean {
  return (
    char === ' ' ||
    char === '\t' ||
    char === '\n' ||
    char === '\r' ||
    char === '\f' ||
    char === '\u00a0' ||
    char === PARAGRAPH_BREAK
  );
}

/** True when the period at `index` ends an abbreviation (`Inc.`, `e.g.`, `U.S.`) rather than a sentence. */
function endsAbbreviation(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && !isSpace(text[start - 1]) && index - start <= LONGEST_ABBREVIATION) start--;
  // Most full stops end a word longer than any abbreviation, and than the dotted initials below.
  if (index - start > LONGEST_ABBREVIATION) return false;
  const word = text.slice(start, index).toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // Single capitals and dotted initials: "U.S.", "J. Smith".
  return (
    /^(?:[a-z]\.)*[a-z]$/i.test(word) && word.length <= LONGEST_INITIALS && text[start] === text[start]?.toUpperCase()
  );
}

/** What the HTML extractor writes for a <br>: a line break the reader sees. */
export const PARAGRAPH_BREAK = '\u2029';

/**
 * Where sentences may end: a <br>, a full stop before whitespace, and (in plain text, where single newlines are soft
 * wraps) a newline before a blank line or a list item (`-`, `*`, `+`, `•`, `#`, `>`, `3)`, `12.`). One regular expression finds the candidates, so a window is
 * scanned in native code rather than character by character.
 */
const HTML_BOUNDARY = /\u2029|[.!?…](?=\s|$)/g;
const TEXT_BOUNDARY = /\u2029|\n(?=[ \t\r]*(?:[\n\-*+#>•]|\d{1,3}[.)][ \t]))|[.!?…](?=\s|$)/g;

/**
 * A list item's marker at the start of a sentence (`- `, `• `, `3) `, `12. `), or all of it (an item holding only a
 * bare URL): numbering, never part of a name or a sentence.
 */
export const LIST_MARKER = /^(?:[-*+•]|\d{1,3}[.)])(?:[ \t]+|$)/;

/** A boundary that never joins its two sides (a paragraph), or one that a short sentence may cross. */
function isParagraph(mark: string): boolean {
  return mark === PARAGRAPH_BREAK || mark === '\n';
}

function isBoundary(text: string, index: number, mark: string): boolean {
  return mark !== '.' || !endsAbbreviation(text, index);
}

/**
 * The tail of `left` after its last sentence end; when that leaves fewer than `minLength` characters (a link
 * on "More here." after the sentence naming the company), earlier sentences of the same paragraph too.
 */
function sentenceTail(left: string, html: boolean, minLength: number): string {
  const pattern = html ? HTML_BOUNDARY : TEXT_BOUNDARY;
  pattern.lastIndex = 0;
  let cut = -1;
  for (let match = pattern.exec(left); match; match = pattern.exec(left)) {
    const index = match.index;
    if (isParagraph(match[0])) cut = index;
    else if (left.length - index > minLength && isBoundary(left, index, match[0])) cut = index;
  }
  return cut < 0 ? left : left.slice(cut + 1);
}

/** The head of `right` up to and including its first sentence end. */
function sentenceHead(right: string, html: boolean): string {
  const pattern = html ? HTML_BOUNDARY : TEXT_BOUNDARY;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(right); match; match = pattern.exec(right)) {
    if (isParagraph(match[0])) return right.slice(0, match.index);
    if (isBoundary(right, match.index, match[0])) return right.slice(0, match.index + 1);
  }
  return right;
}

const SPACED_PUNCTUATION = / [.,;:!?](?=\s|$)/;
const SPACED_PUNCTUATION_ALL = / ([.,;:!?])(?=\s|$)/g;

const BREAK_AT_END = /\u2029\s*$/;
const BREAK_AT_START = /^\s*\u2029/;

/** A sentence shorter than this borrows the sentences before it in the same paragraph. */
const MIN_CONTEXT = 80;

/**
 * The sentence made of the end of `left`, the link's own text `middle`, and the start of `right`, whitespace
 * collapsed and cut to MAX_CONTEXT characters around the link. Pass at most CONTEXT_WINDOW characters per side.
 * `html`: the text came from HTML, where source newlines mean nothing; in plain text a blank line ends a paragraph.
 */
export function sentenceAround(left: string, middle: string, right: string, html: boolean): string {
  // A line break that ends the link's own text (`<a>Title<br></a>`) ends its sentence too; one that opens it
  // starts it.
  // A plain search first: almost no link's text holds a line break, and the expressions scan it all to say so.
  const breakInside = middle.includes(PARAGRAPH_BREAK);
  const after = breakInside && BREAK_AT_END.test(middle) ? '' : collapseWhitespace(sentenceHead(right, html));
  const mid = collapseWhitespace(middle);
  const before =
    breakInside && BREAK_AT_START.test(middle)
      ? ''
      : collapseWhitespace(sentenceTail(left, html, MIN_CONTEXT - mid.length - after.length));
  const joinLeft = before && mid && (isSpace(left[left.length - 1]) || isSpace(middle[0])) ? ' ' : '';
  const joinRight = after && mid && (isSpace(right[0]) || isSpace(middle[middle.length - 1])) ? ' ' : '';
  const sentence = mid ? before + joinLeft + mid + joinRight + after : collapseWhitespace(`${before} ${after}`);
  if (sentence.length <= MAX_CONTEXT) return tidySentence(sentence, html);
  // Too long: keep the link's text and an even share of each side, cut at word boundaries.
  const share = Math.max(0, Math.floor((MAX_CONTEXT - Math.min(mid.length, MAX_CONTEXT)) / 2));
  // The start of a long sentence usually names its subject ("Acme, a Berlin startup, …"): keep it and the words
  // next to the link, drop the middle.
  const head =
    before.length > share
      ? before.slice(0, Math.floor(share * 0.6)).replace(/\s\S*$/, '') +
        ' … ' +
        before.slice(before.length - Math.floor(share * 0.4)).replace(/^\S*\s/, '')
      : before;
  const tail = after.length > share ? after.slice(0, share).replace(/\s\S*$/, '') + '…' : after;
  return tidySentence((head + joinLeft + mid.slice(0, MAX_CONTEXT) + joinRight + tail).trim(), html);
}

/**
 * Arrows and bullets a template puts before an item (`> Youtube`, `» Read`, `• Acme`), and the closing bracket of a
 * removed URL (`) and GXO Logistics`): never the start of what a reader reads, in any format.
 */
const LEADING_MARKS = /^(?:[>»→•▸►)\]][ \t]*)+/;

/** What is left to tidy once a sentence is put together, whatever its length. */
function tidySentence(sentence: string, html: boolean): string {
  let tidy = sentence.replace(LEADING_MARKS, '');
  if (!html) tidy = tidy.replace(LIST_MARKER, '');
  // Removed URLs leave "and ." behind, and inline elements "YouTube , Spotify".
  if (SPACED_PUNCTUATION.test(tidy)) tidy = tidy.replace(SPACED_PUNCTUATION_ALL, '$1');
  return tidy;
}
