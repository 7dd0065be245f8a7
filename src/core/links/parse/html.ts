/**
 * Links in HTML, collected in one streaming pass with htmlparser2: no DOM tree is built, so deep nesting and
 * 20 MB pages cost only time linear in their size. Text is gathered per block (paragraph, cell, list item) so
 * each link gets the sentence around it and the nearest heading above it; a link alone on its line is a headline,
 * whose sentence is the line of prose under it.
 */
import { DecodingMode, EntityDecoder, htmlDecodeTree } from 'entities/decode';
import { Tokenizer } from 'htmlparser2';
import type { ExtractedLink } from '../types.ts';
import {
  PARAGRAPH_BREAK,
  collapseWhitespace,
  isWhitespace,
  sentenceAround,
  windowAfter,
  windowBefore,
} from './context.ts';
import { cleanHref } from './href.ts';
import { BYLINE } from './text.ts';
import { Occurrence } from './part.ts';
import type { ParsedPart, PartOptions } from './part.ts';

/** Elements that end a block of text: the sentence around a link never crosses them. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Text inside these is not read by a person. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math']);
const BOLD = new Set(['b', 'strong']);

/** What a tag is, from one lookup per tag rather than one per set: every open and close tag asks. */
const IS_BLOCK = 1;
const IS_HEADING = 2;
const IS_HIDDEN = 4;
const IS_BOLD = 8;
const IS_RAW_TEXT = 16;
/** Elements whose content the tokenizer reads as raw text up to their closing tag. */
const RAW_TEXT = new Set(['title', 'textarea', 'script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const TAG_KINDS = new Map<string, number>();
for (const [names, kind] of [
  [BLOCK, IS_BLOCK],
  [HEADING, IS_HEADING],
  [HIDDEN, IS_HIDDEN],
  [BOLD, IS_BOLD],
  [RAW_TEXT, IS_RAW_TEXT],
] as const) {
  for (const name of names) TAG_KINDS.set(name, (TAG_KINDS.get(name) ?? 0) | kind);
}
/** Tags whose name matters beyond a kind: they open links, images, breaks and rules, the base URL, the title. */
const NAMED_TAGS = ['a', 'img', 'area', 'br', 'hr', 'base', 'title', 'textarea'];
/** Every tag the extractor reacts to, by length and first letter: a tag's name is found without a copy of it. */
const TAGS_BY_SHAPE = new Map<number, string[]>();
for (const name of new Set([...TAG_KINDS.keys(), ...NAMED_TAGS])) {
  const shape = tagShape(name.length, name.charCodeAt(0));
  TAGS_BY_SHAPE.set(shape, [...(TAGS_BY_SHAPE.get(shape) ?? []), name]);
}

function tagShape(length: number, firstCode: number): number {
  return length * 0x10000 + (firstCode | 0x20);
}

/**
 * The name of the tag written at `start`..`end` of `html` when the extractor reacts to it, in lower case, else ''.
 * Found by comparing in place: every open and close tag asks, and a lower-cased copy of each name was a string made
 * and hashed per tag.
 */
function knownTag(html: string, start: number, end: number): string {
  const candidates = TAGS_BY_SHAPE.get(tagShape(end - start, html.charCodeAt(start)));
  if (candidates === undefined) return '';
  for (const name of candidates) if (writtenAs(html, start, end, name)) return name;
  return '';
}

/** Whether `html` from `start` to `end` spells `name` (lower case), ASCII letters in either case as HTML folds them. */
function writtenAs(html: string, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    const code = html.charCodeAt(start + i);
    const expected = name.charCodeAt(i);
    if (code !== expected && !(expected >= 0x61 && expected <= 0x7a && code === expected - 0x20)) return false;
  }
  return true;
}

/** A block written entirely in bold and at most this long reads as a heading (emails rarely use <h1>-<h6>). */
const MAX_BOLD_HEADING = 120;
const MAX_ANCHOR_TEXT = 1_000;
const MAX_HEADING = 200;
/** Gmail's copy of a link through its own redirect (`https://www.google.com/url?q=…`), kept on messages it sends. */
const RECORDED_HREF = 'data-saferedirecturl';

interface OpenAnchor {
  href: string;
  /** Gmail's record of where the link went (see `ExtractedLink.recordedHref`). */
  recordedHref: string | null;
  position: number;
  heading: string;
  text: string;
  alt: string;
  hasImage: boolean;
  /** Where the anchor's text starts in the current block (0 when the anchor spans blocks). */
  blockStart: number;
}

/** An anchor's sentence until its block ends: `flushBlock` sets the real one. */
const NO_SENTENCE_YET = (): string => '';

interface PendingLink {
  link: Occurrence;
  start: number;
  end: number;
}

/** Three words of letters: a description, not a separator, a price or a lone label under a headline. */
const PROSE = /\p{L}{2,}[^\p{L}]+\p{L}{2,}[^\p{L}]+\p{L}{2,}/u;
/** A footer's legal line describes no link above it. */
const LEGAL_LINE = /^\s*(?:copyright\b|©|\(c\)\s)/i;
/** A headline has lower-case letters: `READ IN APP`, `COMMUNAUTÉ` and `SHOP` are a template's buttons and menus. */
const LOWER_CASE = /\p{Ll}/u;
/** Where the line after a link's starts in `right`: past the line breaks and spaces that end the link's; -1 if none. */
function nextLineStart(right: string): number {
  const lineBreak = right.indexOf(PARAGRAPH_BREAK);
  // A line break is whitespace to `\S`, so this skips every break and space after the first.
  const offset = lineBreak < 0 ? -1 : right.slice(lineBreak).search(/\S/);
  return offset < 0 ? -1 : lineBreak + offset;
}

/** Text under a headline that describes it: prose, not a footer's legal line. */
function describes(text: string): boolean {
  return PROSE.test(text) && !LEGAL_LINE.test(text);
}

/** Nothing but spaces between the last line break of `left` (or its start) and a link. Read from the link back. */
function lineEndsBefore(left: string): boolean {
  let at = left.length - 1;
  while (at >= 0 && left[at] !== PARAGRAPH_BREAK && isWhitespace(left.charCodeAt(at))) at--;
  return at < 0 || left[at] === PARAGRAPH_BREAK;
}

/** Nothing but spaces between a link and the first line break of `right` (or its end). */
function lineEndsAfter(right: string): boolean {
  let at = 0;
  while (at < right.length && right[at] !== PARAGRAPH_BREAK && isWhitespace(right.charCodeAt(at))) at++;
  return at === right.length || right[at] === PARAGRAPH_BREAK;
}
const NOT_SPACE = /\S/;

/**
 * A link alone on its line (`<a><b>Title</b></a><br><br>Description`) takes the next line of its block as its
 * sentence, when that line is prose with no link of its own (`pending` holds every link of the block).
 */
function describeFromNextLine(
  headline: { link: Occurrence; end: number; right: string },
  pending: readonly PendingLink[],
): void {
  const { link, end, right } = headline;
  const lineStart = nextLineStart(right);
  if (lineStart < 0) return;
  const description = right.slice(lineStart);
  const lineEnd = description.indexOf(PARAGRAPH_BREAK);
  const line = lineEnd < 0 ? description : description.slice(0, lineEnd);
  const from = end + lineStart;
  const linkInLine = pending.some((other) => other.start >= from && other.start < from + line.length);
  if (describes(line) && !linkInLine) describeHeadline(link, description);
}

/** A headline's sentence: its own text, then the prose that describes it. */
function describeHeadline(link: Occurrence, description: string): void {
  link.setSentence(() => sentenceAround('', link.text, ` ${description}`, true));
}

/** The raw-text elements whose character references are decoded, each with the end tag the tokenizer watches for. */
const RCDATA_END = new Map([
  ['title', '</title'],
  ['textarea', '</textarea'],
]);

/**
 * Character references (`&amp;`, `&#8217;`), decoded as htmlparser2's tokenizer decodes them. The tokenizer runs with
 * `decodeEntities: false`: it then skips over text and attribute values in a tight scan for their end, where
 * decoding made it visit every character in its main loop to look for `&` (a third of the tokenizer's time). Each `&`
 * is decoded here by the decoder the tokenizer uses (entities' `EntityDecoder`), in the mode it would use and from
 * the same place in the same document, so the code points and the pieces text is split into are the ones it gives.
 */
class ReferenceReader {
  /** The code point of the reference last read. */
  codePoint = 0;
  #length = 0;
  readonly #decoder = new EntityDecoder(htmlDecodeTree, (codePoint, consumed) => {
    this.codePoint = codePoint;
    this.#length = consumed;
  });

  /** How many characters the reference whose `&` is at `amp` spans, `&` included; 0 when it is not one. */
  read(html: string, amp: number, mode: DecodingMode): number {
    this.#length = 0;
    this.#decoder.startEntity(mode);
    // Only the end of the document leaves a reference incomplete: the tokenizer then ends it as the decoder says.
    if (this.#decoder.write(html, amp + 1) < 0) this.#decoder.end();
    return this.#length;
  }
}

/**
 * How far a raw-text element's content from `from` to `to` goes towards its end tag (`end`, lower case), carrying on
 * from `matched` characters matched: the tokenizer's own matcher, which reads a `&` as a reference only when it has
 * matched nothing.
 */
function matchEndTag(html: string, from: number, to: number, end: string, matched: number): number {
  for (let at = from; at < to; at++) {
    if (matched === end.length) matched = 0;
    const code = html.charCodeAt(at);
    if ((code | 0x20) === end.charCodeAt(matched)) matched++;
    else if (matched !== 0) matched = code === 0x3c ? 1 : 0;
  }
  return matched;
}

/** The part of htmlparser2's Tokenizer that `ScanningTokenizer` replaces: not in its public type. */
interface TokenizerScan {
  buffer: string;
  index: number;
  offset: number;
  fastForwardTo(code: number): boolean;
}

/**
 * htmlparser2's Tokenizer, whose skip to the character that ends a stretch of text, an attribute value or a comment is
 * one `indexOf` instead of a loop over the characters: that loop was half the tokenizer's time over the corpus's HTML
 * (tokenizer alone 29 → 18 ms a round). The method replaced is internal to the pinned htmlparser2 12.0.0; its contract
 * is as written there: move `index` onto the next `code` and say true, or onto the last character and say false.
 * html.test.ts checks that both tokenizers give the same events.
 */
export class ScanningTokenizer extends Tokenizer {}
Object.defineProperty(ScanningTokenizer.prototype, 'fastForwardTo', {
  value(this: TokenizerScan, code: number): boolean {
    const at = this.buffer.indexOf(String.fromCharCode(code), this.index + 1 - this.offset);
    if (at < 0) {
      this.index = this.buffer.length + this.offset - 1;
      return false;
    }
    this.index = at + this.offset;
    return true;
  },
});

/**
 * `recovering`: this call re-reads the tail of a document that an unclosed raw-text element swallowed; it does
 * not recover again, so a document is read at most twice.
 */
export function extractFromHtml(html: string, options: PartOptions, recovering = false): ParsedPart {
  const links: ExtractedLink[] = [];
  let skippedLongHrefs = 0;
  let position = options.firstPosition;
  let base = options.base;

  let block = '';
  /** Whether `block` holds more than whitespace: known as its text comes, so a long block is not trimmed to ask. */
  let blockHasText = false;
  let pending: PendingLink[] = [];
  /** Links alone in their block, waiting for the next block: a paragraph with no link of its own describes them. */
  let headlines: Occurrence[] = [];
  /** How many link-only blocks came in a row. */
  let headlineRun = 0;
  /** The block being flushed is a heading's (`<h1>`–`<h6>`): it describes no link. */
  let closingHeading = false;
  /** Text of the links inside the open heading: a heading that is all link is a headline, not a section's title. */
  let headingLinkText = '';
  /** The open heading began inside an anchor (`<a><h3>Title</h3></a>`). */
  let headingInAnchor = false;
  let anchor: OpenAnchor | null = null;
  let hiddenDepth = 0;
  let boldDepth = 0;
  let boldChars = 0;
  let headingDepth = 0;
  let headingText = '';
  let lastHeading = '';
  /** Whether text has come since the last heading: a rule before any is the heading's underline. */
  let textUnderHeading = false;
  let title = '';
  let inTitle = false;
  /** A <title> has been read: later ones are not the document's. */
  let titleComplete = false;

  const flushBlock = (): void => {
    // A block with neither text nor a link changes nothing (its bold count and an open anchor's start are already 0):
    // email layouts nest empty rows and cells by the hundred.
    if (!blockHasText && pending.length === 0) {
      block = '';
      return;
    }
    const hasText = blockHasText;
    const alone: Occurrence[] = [];
    let lineHeadline: { link: Occurrence; end: number; right: string } | null = null;
    let linesAlone = 0;
    for (const { link, start, end } of pending) {
      const left = windowBefore(block, start);
      const middle = link.isImage ? '' : block.slice(start, end);
      const right = windowAfter(block, end);
      link.setSentence(() => sentenceAround(left, middle, right, true));
      if (link.isImage || !LOWER_CASE.test(link.text) || !lineEndsBefore(left) || !lineEndsAfter(right)) continue;
      // Alone on its line: a headline (`<a><h3>Acme 1.0</h3></a>`, `<a><b>Acme 1.0</b></a><br>`), whose sentence
      // is the line of prose under it, in this block or, when it is alone in the block, the next.
      linesAlone++;
      lineHeadline = { link, end, right };
      if (left.trim() === '' && right.trim() === '') alone.push(link);
    }
    // One headline per block: several links alone on their lines are a list, which the next line does not describe.
    if (linesAlone === 1 && lineHeadline) describeFromNextLine(lineHeadline, pending);
    const linkOnly = alone.length > 0 && alone.length === pending.length;
    const linkFree = pending.length === 0;
    pending = [];
    // A heading element's own block was judged by `endHeading`.
    let isHeading = closingHeading;
    // A short block written wholly in bold is how most email templates mark a section's title; a bold block that is
    // one link is that link's headline, not a title over the links after it.
    if (headingDepth === 0 && !isHeading && boldChars > 0 && !linkOnly && block.length <= MAX_BOLD_HEADING * 4) {
      const text = collapseWhitespace(block);
      if (
        text.length > 2 &&
        text.length <= MAX_BOLD_HEADING &&
        !BYLINE.test(text) &&
        boldChars >= text.replace(/\s/g, '').length * 0.9
      ) {
        lastHeading = text;
        textUnderHeading = false;
        isHeading = true;
      }
    }
    if (linkOnly) {
      // Link-only blocks in a row are a list (a menu, a footer, links without descriptions): what follows the list
      // describes none of them.
      headlineRun++;
      headlines = headlineRun > 1 ? [] : alone;
    } else if (hasText) {
      if (headlines.length > 0 && linkFree && !isHeading && describes(block)) {
        const description = windowAfter(block, 0);
        for (const link of headlines) describeHeadline(link, description);
      }
      headlines = [];
      headlineRun = 0;
    }
    block = '';
    blockHasText = false;
    boldChars = 0;
    if (anchor) anchor.blockStart = 0;
  };

  const closeAnchor = (): void => {
    if (!anchor) return;
    const text = collapseWhitespace(anchor.text);
    const isImage = anchor.hasImage && text === '';
    // One literal of fixed shape, no spread: every anchor builds one, and Occurrence reads an undefined field as absent.
    const link = new Occurrence(
      {
        href: anchor.href,
        recordedHref: anchor.recordedHref ?? undefined,
        text: isImage ? collapseWhitespace(anchor.alt) : text,
        heading: anchor.heading,
        isImage,
        position: anchor.position,
        part: 'html',
      },
      NO_SENTENCE_YET,
    );
    links.push(link);
    pending.push({ link, start: anchor.blockStart, end: block.length });
    if (headingDepth > 0) headingLinkText += ` ${anchor.text}`;
    anchor = null;
  };

  const endHeading = (): void => {
    headingDepth = 0;
    const text = collapseWhitespace(headingText);
    const headline =
      (headingInAnchor && anchor !== null) || (text !== '' && text === collapseWhitespace(headingLinkText));
    if (text && !headline) {
      lastHeading = text.slice(0, MAX_HEADING);
      textUnderHeading = false;
    }
  };

  const openLink = (rawHref: string, alt: string | null, rawRecorded: string | null = null): OpenAnchor | null => {
    const verdict = cleanHref(rawHref, base);
    if ('skipped' in verdict) {
      if (verdict.skipped === 'too-long') skippedLongHrefs++;
      return null;
    }
    const recorded = rawRecorded === null ? null : cleanHref(rawRecorded, null);
    return {
      href: verdict.href,
      recordedHref: recorded && 'href' in recorded && recorded.href !== verdict.href ? recorded.href : null,
      position: position++,
      heading: lastHeading || title,
      text: '',
      alt: alt ?? '',
      hasImage: alt !== null,
      blockStart: block.length,
    };
  };

  /** A tag's effects, once its attributes are read. */
  const openTag = (
    name: string,
    kind: number,
    href: string | null,
    alt: string | null,
    recorded: string | null,
  ): void => {
    if (kind & IS_HIDDEN) {
      hiddenDepth++;
      return;
    }
    if (name === 'title') {
      // The document's title is its first: templates repeat <title> (in the body, in an SVG), and joined they read
      // "Issue 72Issue 72". A later one is still never shown, so its text stays out of the page's too.
      inTitle = true;
      titleComplete = title !== '';
      return;
    }
    if (name === 'base' && href && base === null) {
      const verdict = cleanHref(href, null);
      if ('href' in verdict) base = verdict.href;
    }
    if (hiddenDepth > 0) return;
    if (kind & IS_BLOCK) flushBlock();
    if (name === 'br') block += PARAGRAPH_BREAK;
    // A rule after a section's text ends the section: what follows is not under its heading (a sponsor's block ends
    // at its rule). A rule right under a heading is the heading's underline (`<h2>Show HN</h2><hr>`).
    if (name === 'hr' && textUnderHeading) lastHeading = '';
    if (kind & IS_HEADING) {
      // Headings do not nest; an unclosed one ends where the next begins.
      if (headingDepth > 0) endHeading();
      headingText = '';
      headingLinkText = '';
      headingInAnchor = anchor !== null;
      headingDepth = 1;
    }
    if (kind & IS_BOLD) boldDepth++;
    if (name === 'a') {
      // An anchor inside an anchor is invalid HTML; browsers close the first one, and so do we.
      closeAnchor();
      if (href !== null) anchor = openLink(href, null, recorded);
    } else if (name === 'img' && anchor) {
      anchor.hasImage = true;
      if (alt && anchor.alt.length < MAX_ANCHOR_TEXT) anchor.alt += ` ${alt}`;
    } else if (name === 'area' && href !== null) {
      const area = openLink(href, alt ?? '');
      if (area) {
        const outer = anchor;
        anchor = area;
        closeAnchor();
        anchor = outer;
      }
    }
  };

  /** Where the content of an open raw-text element starts, -1 when none is open. */
  let rawTextStart = -1;
  /** The end tag of the open raw-text element when its references are decoded (`</title`), else null. */
  let rcdataEnd: string | null = null;
  /** Whether the open raw-text element's content is read as it is, references and all (`<script>`, `<xmp>`). */
  let rawText = false;
  const references = new ReferenceReader();
  /** The first `&` at or after the last place asked about (`html.length` when there is none): text comes in order. */
  let nextAmp = -1;
  const ampFrom = (from: number): number => {
    if (nextAmp < from) {
      nextAmp = html.indexOf('&', from);
      if (nextAmp < 0) nextAmp = html.length;
    }
    return nextAmp;
  };

  /** Text from `start` to `end`, in the pieces the tokenizer would give: each reference decoded, as a piece of its own. */
  const readText = (start: number, end: number): void => {
    let from = start;
    let matched = 0;
    let scanned = start;
    for (let at = ampFrom(start); at < end; at = ampFrom(at + 1)) {
      if (rcdataEnd !== null) {
        matched = matchEndTag(html, scanned, at, rcdataEnd, matched);
        scanned = at + 1;
        // A whole end tag matched and not ended is forgotten before the `&` is looked at; a part of one is not, and the
        // `&` then breaks it off.
        if (matched !== 0 && matched !== rcdataEnd.length) {
          matched = 0;
          continue;
        }
        matched = 0;
      }
      const length = references.read(html, at, DecodingMode.Legacy);
      if (length === 0) continue;
      if (from < at) onText(html.slice(from, at));
      onText(String.fromCodePoint(references.codePoint));
      from = at + length;
      scanned = from;
      at = from - 1;
    }
    if (from < end) onText(html.slice(from, end));
  };

  /** An attribute's value from `start` to `end`, its references decoded. */
  const readAttribute = (start: number, end: number): string => {
    let value = '';
    let from = start;
    for (let at = ampFrom(start); at < end; at = ampFrom(at + 1)) {
      const length = references.read(html, at, DecodingMode.Attribute);
      if (length === 0) continue;
      value += html.slice(from, at) + String.fromCodePoint(references.codePoint);
      from = at + length;
      at = from - 1;
    }
    return value + html.slice(from, end);
  };
  // Attributes arrive in pieces; only href, alt and Gmail's data-saferedirecturl of the current tag are kept.
  let pendingTag: string | null = null;
  let pendingHref: string | null = null;
  let pendingAlt: string | null = null;
  let pendingRecorded: string | null = null;
  let attributeName = '';
  let attributeValue = '';

  const onText = (text: string): void => {
    if (inTitle) {
      if (!titleComplete && title.length < MAX_HEADING) title = collapseWhitespace(title + text);
      return;
    }
    if (hiddenDepth > 0) return;
    if (!textUnderHeading && headingDepth === 0 && NOT_SPACE.test(text)) textUnderHeading = true;
    block += text;
    if (!blockHasText && NOT_SPACE.test(text)) blockHasText = true;
    // Only a short block can be a heading; counting bold characters in long ones is wasted work.
    if (boldDepth > 0 && block.length <= MAX_BOLD_HEADING * 4) boldChars += text.replace(/\s/g, '').length;
    if (headingDepth > 0 && headingText.length < MAX_HEADING) headingText += text;
    if (anchor && anchor.text.length < MAX_ANCHOR_TEXT) anchor.text += text;
  };

  const onCloseTag = (name: string): void => {
    const kind = TAG_KINDS.get(name) ?? 0;
    if (kind & IS_HIDDEN) {
      if (hiddenDepth > 0) hiddenDepth--;
      return;
    }
    if (name === 'title') inTitle = false;
    if (hiddenDepth > 0) return;
    if (name === 'a') closeAnchor();
    if (kind & IS_BOLD && boldDepth > 0) boldDepth--;
    if (kind & IS_HEADING && headingDepth > 0) {
      endHeading();
      closingHeading = true;
    }
    if (kind & IS_BLOCK) flushBlock();
    closingHeading = false;
  };

  /**
   * htmlparser2's Tokenizer, not its Parser: the Parser keeps an element stack with an O(depth) insert per tag,
   * which makes 100,000 nested elements quadratic. Links, text and headings need no tree, only the tag stream.
   */
  const tokenizer = new ScanningTokenizer(
    { decodeEntities: false, recognizeSelfClosing: true },
    {
      onopentagname(start, end) {
        pendingTag = knownTag(html, start, end);
        pendingHref = null;
        pendingAlt = null;
        pendingRecorded = null;
      },
      onattribname(start, end) {
        // Compared in place, as tag names are: most attributes (style, class, width) differ by their length alone.
        attributeName = writtenAs(html, start, end, 'href')
          ? 'href'
          : writtenAs(html, start, end, 'alt')
            ? 'alt'
            : writtenAs(html, start, end, RECORDED_HREF)
              ? RECORDED_HREF
              : '';
        attributeValue = '';
      },
      onattribdata(start, end) {
        if (attributeName !== '') attributeValue += readAttribute(start, end);
      },
      // References are decoded by `readText` and `readAttribute`: the tokenizer is told not to.
      onattribentity() {},
      onattribend() {
        if (attributeName === 'href') pendingHref ??= attributeValue;
        else if (attributeName === 'alt') pendingAlt ??= attributeValue;
        else if (attributeName === RECORDED_HREF) pendingRecorded ??= attributeValue;
        attributeName = '';
      },
      onopentagend(endIndex) {
        if (pendingTag === null) return;
        const name = pendingTag;
        pendingTag = null;
        const kind = TAG_KINDS.get(name) ?? 0;
        if (kind & IS_RAW_TEXT) {
          rawTextStart = endIndex + 1;
          rcdataEnd = RCDATA_END.get(name) ?? null;
          rawText = rcdataEnd === null;
        }
        openTag(name, kind, pendingHref, pendingAlt, pendingRecorded);
      },
      onselfclosingtag() {
        if (pendingTag === null) return;
        const name = pendingTag;
        pendingTag = null;
        openTag(name, TAG_KINDS.get(name) ?? 0, pendingHref, pendingAlt, pendingRecorded);
        onCloseTag(name);
      },
      onclosetag(start, end) {
        rawTextStart = -1;
        rcdataEnd = null;
        rawText = false;
        onCloseTag(knownTag(html, start, end));
      },
      ontext(start, end) {
        // Text the tokenizer ends a document on after an unfinished closing tag starts at -1 and is given as sliced.
        if (rawText || start < 0) onText(html.slice(start, end));
        else readText(start, end);
      },
      ontextentity() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  closeAnchor();
  if (headingDepth > 0) endHeading();
  flushBlock();
  // An unclosed <title>, <script> or <style> swallows the rest of the document, as in a browser. A pasted
  // fragment is more often broken than meant that way, so links in the swallowed tail are read as HTML.
  if (rawTextStart >= 0 && !recovering && /<a\s|<area\s/i.test(html.slice(rawTextStart))) {
    const tail = extractFromHtml(html.slice(rawTextStart), { firstPosition: position, base }, true);
    links.push(...tail.links);
    skippedLongHrefs += tail.skippedLongHrefs;
  }
  return { links, skippedLongHrefs, title };
}
