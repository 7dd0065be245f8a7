/**
 * Links in plain text and Markdown, found by one left-to-right scan with linear-time regular expressions.
 * Plain text covers an email's text/plain part, where senders that wrap links in the HTML part (beehiiv,
 * Cooperpress, Campaign Monitor) often print the direct URL, written `Anchor [ url ]` or `Anchor (url)`.
 */
import { decodeHTMLStrict } from 'entities';
import type { ExtractedLink } from '../types.ts';
import {
  CONTEXT_WINDOW,
  LIST_MARKER,
  PARAGRAPH_BREAK,
  collapseWhitespace,
  sentenceAround,
  windowAfter,
  windowBefore,
} from './context.ts';
import { cleanHref } from './href.ts';
import { Occurrence } from './part.ts';
import type { ParsedPart, PartOptions } from './part.ts';

/** A URL's characters; brackets end it because text formats wrap URLs in them. */
const URL_BODY = String.raw`[^\s<>"'\x60{}|\\^\[\]]+`;
const BARE_URL = String.raw`(?:https?:\/\/|www\.)${URL_BODY}`;
/** A Markdown destination: no spaces, balanced parentheses one level deep (Wikipedia URLs). */
const DESTINATION = String.raw`<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*`;
const LABEL = String.raw`((?:[^\[\]\n]|\[[^\[\]\n]*\]){0,500})`;

/** Alternatives, tried at each position in this order: a linked image, an inline link or image, an autolink, a bare URL. */
const MARKDOWN_TOKEN = new RegExp(
  String.raw`\[!\[([^\[\]\n]*)\]\(${DESTINATION}\)\]\(${DESTINATION}\)` +
    String.raw`|(!?)\[${LABEL}\]\(${DESTINATION}\)` +
    String.raw`|\[${LABEL}\]\[([^\[\]\n]*)\]` +
    String.raw`|<((?:https?:\/\/|www\.)[^\s<>]+)>` +
    `|(${BARE_URL})`,
  'gi',
);
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[([^[\]\n]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$/gm;

const MARKDOWN_HEADING =
  /^[ \t]{0,3}(?:#{1,6}[ \t]+(.+?)[ \t#]*|\*\*([^*\n]{2,120})\*\*:?|__([^_\n]{2,120})__)[ \t]*$/gm;
/** Plain text marks sections with `#` lines or short lines in capitals. */
const TEXT_HEADING = /^[ \t]*(?:#{1,6}[ \t]+(.+?)|([A-Z0-9][A-Z0-9 &'’:,.!?/+\-–—]{2,80}))[ \t]*$/gm;

/** A bold "By Jane Doe" line is a byline and "— Ada Lovelace" under a quote an attribution, not a section title. */
export const BYLINE = /^(?:(?:by|from|written by|posted by)\s|[–—-]\s*\p{Lu})/iu;

/**
 * Character references (`&nbsp;`, `&amp;`, `&#39;`) as a reader sees them: Markdown renders them, and text parts
 * made from HTML keep them. Only complete references with their semicolon: `AT&T` and `&copy2024` stay as written.
 */
function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

/** Markdown emphasis and link syntax taken out of a link's own text, its words as they stand in the source. */
function withoutEmphasis(text: string): string {
  return collapseWhitespace(text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`~]+/g, ''));
}

/** What a link's own text looks like once Markdown emphasis is gone and its character references are read. */
function plain(text: string): string {
  return collapseWhitespace(decodeEntities(withoutEmphasis(text)));
}

/** A window of source text as a reader sees it: link syntax reduced to its text, URLs left out. */
function readable(source: string): string {
  let text = decodeEntities(source);
  // Each rewrite runs only when its trigger is present: most windows of prose have no link syntax at all.
  if (text.includes('](')) text = text.replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1');
  text = text.replace(/[*_`~]+/g, '');
  if (/https?:|www\./i.test(text)) {
    text = text
      .replace(/[[(<]\s*(?:https?:\/\/|www\.)[^\s\])>]*\s*[\])>]?/gi, '')
      .replace(/(?:https?:\/\/|www\.)\S*/gi, '');
  }
  return text;
}

const STARTS_CAPITALISED = /^[ \t]*\p{Lu}/u;
const URL_START = /https?:\/\/|www\./i;

/** Whether the line `lineStart`..`lineEnd` is text ending with a URL (not a URL alone). */
function textThenUrl(source: string, lineStart: number, lineEnd: number): boolean {
  let end = lineEnd;
  while (end > lineStart && isBlank(source[end - 1])) end--;
  let tokenStart = end;
  while (tokenStart > lineStart && !isBlank(source[tokenStart - 1])) tokenStart--;
  let textStart = lineStart;
  while (textStart < tokenStart && isBlank(source[textStart])) textStart++;
  return textStart < tokenStart && end > tokenStart && URL_START.test(source.slice(tokenStart, end));
}

/** Longest line read as a label (a title, a heading) rather than a line of prose. */
const LABEL_LENGTH = 60;
const CLOSING_PUNCTUATION = /[.!?…:;,)"'”’]$/u;

/** Whether the line `lineStart`..`lineEnd` is a label: short, with letters, and no punctuation closing it. */
function isLabel(source: string, lineStart: number, lineEnd: number): boolean {
  if (lineEnd - lineStart > 4 * LABEL_LENGTH) return false;
  const line = source.slice(lineStart, lineEnd).trim();
  return line.length > 0 && line.length <= LABEL_LENGTH && /\p{L}/u.test(line) && !CLOSING_PUNCTUATION.test(line);
}

/**
 * Lines that each end with a link, the next starting in capitals, are items of a list ("Acme raised $5M
 * https://acme.com", then "Beta hired a CFO https://beta.io"), not prose a hard wrap broke (where the next line goes
 * on in lower case or with a comma). A line that does not end with a link is left joined when it reads as prose:
 * under a title line it is the description of the title's link (`Kore (https://…)`, then `Kore is a design
 * foundation…`). A label (short, no closing punctuation: `Full Episode on YouTube`, `Links to Ana & Acme`) is an
 * item or a heading of its own: the link line before or after it (`Company Website: https://…`) is not its sentence.
 * A URL alone on its line belongs with the text around it. The newline between two such items becomes a paragraph
 * mark, one character for one, so positions into the text still hold.
 */
function markListItemBreaks(source: string): string {
  const pieces: string[] = [];
  let copied = 0;
  let newline = source.indexOf('\n');
  let endsWithUrl = newline >= 0 && textThenUrl(source, 0, newline);
  let label = newline >= 0 && isLabel(source, 0, newline);
  // Each line is read once, from its end back to its last space: linear however long the lines are.
  while (newline >= 0) {
    const nextNewline = source.indexOf('\n', newline + 1);
    const nextEnd = nextNewline < 0 ? source.length : nextNewline;
    const nextEndsWithUrl = textThenUrl(source, newline + 1, nextEnd);
    const nextLabel = isLabel(source, newline + 1, nextEnd);
    const itemBreak = endsWithUrl ? nextEndsWithUrl || nextLabel : label && nextEndsWithUrl;
    if (itemBreak && STARTS_CAPITALISED.test(source.slice(newline + 1, newline + 81))) {
      pieces.push(source.slice(copied, newline), PARAGRAPH_BREAK);
      copied = newline + 1;
    }
    endsWithUrl = nextEndsWithUrl;
    label = nextLabel;
    newline = nextNewline;
  }
  if (copied === 0) return source;
  pieces.push(source.slice(copied));
  return pieces.join('');
}

/** A bare URL's end is ambiguous: trailing punctuation and unbalanced closing brackets belong to the sentence. */
function trimBareUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last === undefined) break;
    if ('.,;:!?\'"*_'.includes(last)) {
      end--;
      continue;
    }
    if (last === ')') {
      let open = 0;
      let close = 0;
      for (let i = 0; i < end; i++) {
        if (url[i] === '(') open++;
        else if (url[i] === ')') close++;
      }
      if (close > open) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

const LEADING_JOINER = /^(?:(?:and|or|&)\s+|[,;–—-]\s*)+/i;
export const MAX_INFERRED_WORDS = 8;

interface InferredAnchor {
  text: string;
  /** Where the words start, so the sentence around the link does not repeat them. */
  start: number;
  /** Past the bracket that closes the URL, so the sentence after the link does not start with it. */
  end: number;
}

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

const CLOSING: Record<string, string> = { '[': ']', '(': ')', '<': '>' };

/**
 * The words a text/plain part prints before a bracketed URL (`Spotify [ https://… ]`): what the HTML part made
 * the anchor. Reads back to the previous link, the start of the line, or a clause break, at most 8 words.
 */
function anchorBeforeBracket(source: string, urlStart: number, urlEnd: number, previousEnd: number): InferredAnchor {
  let open = urlStart - 1;
  while (open >= 0 && (source[open] === ' ' || source[open] === '\t')) open--;
  const closing = CLOSING[source[open] ?? ''];
  if (closing === undefined) return { text: '', start: urlStart, end: urlEnd };
  let end = urlEnd;
  while (source[end] === ' ' || source[end] === '\t') end++;
  end = source[end] === closing ? end + 1 : urlEnd;
  const from = Math.max(previousEnd, open - 200, 0);
  let start = from;
  const window = source.slice(from, open);
  const lineStart = window.lastIndexOf('\n');
  if (lineStart >= 0) {
    start = from + lineStart + 1;
    // Text parts are wrapped at ~72 columns, so the bracket may open a line of its own ("Title\n( https://… )"):
    // then the anchor is the line above, unless that is a blank line.
    if (window.slice(lineStart + 1).trim() === '') {
      const previousLine = window.lastIndexOf('\n', lineStart - 1);
      const above = window.slice(previousLine + 1, lineStart);
      if (above.trim() !== '') start = from + previousLine + 1;
    }
  }
  // A sentence end, a semicolon or a colon ends the words that belong to this link; commas and dots inside
  // names ("Scratch 3.0", "Algorithms, by Jeff Erickson") do not.
  for (let i = open - 1; i >= start; i--) {
    const char = source[i];
    if (
      (char === ';' && !endsCharacterReference(source, i)) ||
      ((char === '.' || char === '!' || char === '?' || char === ':') && isBlank(source[i + 1]))
    ) {
      start = i + 1;
      break;
    }
  }
  while (start < open && isBlank(source[start])) start++;
  // `3) Acme [ https://… ]`: the list's numbering is not part of the anchor.
  const marker = LIST_MARKER.exec(source.slice(start, Math.min(open, start + 8)));
  if (marker) start += marker[0].length;
  // Counted as they stand in the source (`wordsBack` walks the source), read as a reader sees them after.
  const written = withoutEmphasis(source.slice(start, open));
  const joined = written.replace(LEADING_JOINER, '');
  const words = joined.split(' ').filter(Boolean);
  if (words.length === 0) return { text: '', start: open, end };
  const kept = words.slice(-MAX_INFERRED_WORDS);
  // Cut at eight words, a title can start at its dash (`Ted Lasso — Season 4 Official Teaser | Apple TV`).
  while (kept.length > 1 && NO_WORD.test(kept[0]!)) kept.shift();
  // Move `start` to the first kept word so the words dropped (beyond eight, or a joiner: `Dandy [ … ] and Flock`)
  // stay part of the sentence before the link. It is found by counting words back from the bracket: searching for
  // its letters found them inside a later word ("on" in "common"), and the sentence then read the anchor twice.
  const dropped = kept.length < words.length || joined.length !== written.length;
  return { text: plain(kept.join(' ')), start: dropped ? wordsBack(source, open, kept.length, start) : start, end };
}

/**
 * Where the `count`-th word before `end` starts, never before `floor`. Words are what `plain` leaves of the runs
 * without whitespace: a run of emphasis marks only (`** ACME`) is not one.
 */
function wordsBack(source: string, end: number, count: number, floor: number): number {
  let at = end;
  for (let word = 0; word < count && at > floor;) {
    while (at > floor && isBlank(source[at - 1])) at--;
    const wordEnd = at;
    while (at > floor && !isBlank(source[at - 1])) at--;
    if (NOT_EMPHASIS.test(source.slice(at, wordEnd))) word++;
  }
  return at;
}
const NOT_EMPHASIS = /[^*_`~]/;
const NO_WORD = /^[^\p{L}\p{N}]+$/u;

/** Whether the `;` at `at` closes a character reference (`&amp;`, `&#39;`) rather than a clause. */
function endsCharacterReference(source: string, at: number): boolean {
  return CHARACTER_REFERENCE_END.test(source.slice(Math.max(0, at - 12), at + 1));
}
const CHARACTER_REFERENCE_END = /&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,10});$/i;

function collectReferences(source: string): Map<string, string> {
  const references = new Map<string, string>();
  if (!source.includes(']:')) return references;
  REFERENCE_DEFINITION.lastIndex = 0;
  for (let match = REFERENCE_DEFINITION.exec(source); match; match = REFERENCE_DEFINITION.exec(source)) {
    const [, label, url] = match;
    if (label && url) references.set(label.toLowerCase(), url);
  }
  return references;
}

/** Finds the nearest heading above a position, moving forward only: linear over a whole document. */
class HeadingTracker {
  #pattern: RegExp;
  #source: string;
  #next: RegExpExecArray | null;
  current = '';

  constructor(source: string, pattern: RegExp, initial: string) {
    this.#source = source;
    this.#pattern = new RegExp(pattern.source, pattern.flags);
    this.#next = this.#pattern.exec(source);
    this.current = initial;
  }

  at(index: number): string {
    while (this.#next && this.#next.index < index) {
      const text = plain(this.#next.slice(1).find((group) => group !== undefined) ?? '');
      if (text && !BYLINE.test(text)) this.current = text.slice(0, 200);
      this.#next = this.#pattern.exec(this.#source);
    }
    return this.current;
  }
}

/** The first `# Title` line, or a front-matter `title:`/`subject:`. */
function documentTitle(source: string): string {
  const head = source.slice(0, 4_000);
  const match = /^(?:title|subject):[ \t]*["']?(.+?)["']?[ \t]*$/im.exec(head) ?? /^#[ \t]+(.+)$/m.exec(head);
  return match?.[1] ? plain(match[1]).slice(0, 200) : '';
}

/**
 * The readable text in a window before `at`, widened while tracking URLs fill it: a text part's URLs run to hundreds
 * of characters, and a window that held only the tail of one left the sentence starting with its bracket
 * (`) and GXO Logistics`). At most four windows wide, and handed on at one window's length.
 */
function readableBefore(prose: string, at: number): string {
  for (let size = CONTEXT_WINDOW; ; size *= 2) {
    const text = readable(windowBefore(prose, at, size));
    if (text.length >= CONTEXT_WINDOW / 2 || size >= at || size >= 4 * CONTEXT_WINDOW) {
      return text.length > CONTEXT_WINDOW ? windowBefore(text, text.length) : text;
    }
  }
}

/** `readableBefore` after `at`. */
function readableAfter(prose: string, at: number): string {
  for (let size = CONTEXT_WINDOW; ; size *= 2) {
    const text = readable(windowAfter(prose, at, size));
    if (text.length >= CONTEXT_WINDOW / 2 || at + size >= prose.length || size >= 4 * CONTEXT_WINDOW) {
      return text.length > CONTEXT_WINDOW ? windowAfter(text, 0) : text;
    }
  }
}

const BRACKET_CLOSE = /[\])>]/;
const WORD_START = /^[\p{L}\p{N}]/u;

/**
 * Email quoting at the start of a line (`> `, `>> `, `> > ` in a forward or a reply): markers, never the text's. A
 * `>` indented further is something else (a shell prompt in a code sample).
 */
const QUOTE_MARKERS = /^ ?>[ \t>]*/gm;

/** The text with its quote markers blanked, one space per character so every position into it still holds. */
function withoutQuoteMarkers(text: string): string {
  // Plain searches first: most texts quote nothing, and the multi-line expression costs a scan of its own.
  const quotes = /^ ?>/.test(text) || text.includes('\n>') || text.includes('\n >');
  return quotes ? text.replace(QUOTE_MARKERS, (markers) => ' '.repeat(markers.length)) : text;
}

export function extractFromText(quoted: string, options: PartOptions & { markdown: boolean }): ParsedPart {
  const source = withoutQuoteMarkers(quoted);
  const { markdown } = options;
  const part = markdown ? 'markdown' : 'text';
  const links: ExtractedLink[] = [];
  let skippedLongHrefs = 0;
  let position = options.firstPosition;
  const references = collectReferences(source);
  const title = markdown ? documentTitle(source) : '';
  const headings = new HeadingTracker(source, markdown ? MARKDOWN_HEADING : TEXT_HEADING, title);
  // Text parts use Markdown link syntax too (many senders' text/plain parts are Markdown), so one scanner reads both.
  const pattern = new RegExp(MARKDOWN_TOKEN.source, 'gi');
  let previousEnd = 0;
  // Sentences are read from this copy (same length), links and anchors from the source. Made on the first sentence
  // asked for: a part whose links are all duplicates, or that has none, never needs it.
  let prose: string | null = null;
  const proseText = (): string => (prose ??= markListItemBreaks(source));

  /** `start`..`end` is the source the link occupies: the reader's sentence is what lies around it. */
  const add = (rawHref: string, text: string, isImage: boolean, start: number, end: number): void => {
    const verdict = cleanHref(rawHref, options.base);
    if ('skipped' in verdict) {
      if (verdict.skipped === 'too-long') skippedLongHrefs++;
      return;
    }
    links.push(
      new Occurrence(
        { href: verdict.href, text, heading: headings.at(start), isImage, position: position++, part },
        () => {
          const after = readableAfter(proseText(), end);
          // `a $38B valuation [ https://… ]with JPMorgan`: the bracket parted two words, which must not run together.
          const parted = BRACKET_CLOSE.test(source[end - 1] ?? '') && WORD_START.test(after);
          return sentenceAround(
            readableBefore(proseText(), start),
            isImage ? '' : text,
            parted ? ` ${after}` : after,
            false,
          );
        },
      ),
    );
  };

  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const start = match.index;
    let end = start + match[0].length;
    const [, linkedAlt, , linkedTarget, bang, label, target, refLabel, refKey, autolink, bare] = match;
    if (linkedTarget !== undefined) {
      add(linkedTarget, plain(linkedAlt ?? ''), true, start, end);
    } else if (target !== undefined) {
      const text = plain(label ?? '');
      add(target, text, bang === '!' || (text === '' && /!\[/.test(label ?? '')), start, end);
    } else if (refLabel !== undefined) {
      const key = (refKey || refLabel).toLowerCase();
      const url = references.get(key);
      if (url) add(url, plain(refLabel), false, start, end);
    } else if (autolink !== undefined) {
      add(autolink, '', false, start, end);
    } else if (bare !== undefined) {
      // A reference definition's URL was already used by the links that cite it.
      const lineStart = source.lastIndexOf('\n', start) + 1;
      if (references.size > 0 && /^[ \t]{0,3}\[[^\]]+\]:/.test(source.slice(lineStart, start))) continue;
      const url = trimBareUrl(bare);
      pattern.lastIndex = start + url.length;
      const anchor = anchorBeforeBracket(source, start, start + url.length, previousEnd);
      end = anchor.end;
      add(url, anchor.text, false, anchor.start, end);
    }
    previousEnd = end;
  }
  return { links, skippedLongHrefs, title };
}
