/**
 * Links in HTML, collected in one streaming pass with htmlparser2: no DOM tree is built, so deep nesting and
 * 20 MB pages cost only time linear in their size. Text is gathered per block (paragraph, cell, list item) so
 * each link gets the sentence around it and the nearest heading above it.
 */
import { Parser } from 'htmlparser2';
import type { ExtractedLink } from '../types.ts';
import { CONTEXT_WINDOW, PARAGRAPH_BREAK, collapseWhitespace, sentenceAround } from './context.ts';
import { cleanHref } from './href.ts';
import { BYLINE } from './text.ts';
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
const HIDDEN = new Set(['script', 'style', 'head', 'noscript', 'template', 'svg', 'math']);
const BOLD = new Set(['b', 'strong']);
/** A block written entirely in bold and at most this long reads as a heading (emails rarely use <h1>-<h6>). */
const MAX_BOLD_HEADING = 120;
const MAX_ANCHOR_TEXT = 1_000;
const MAX_HEADING = 200;

interface OpenAnchor {
  href: string;
  position: number;
  heading: string;
  text: string;
  alt: string;
  hasImage: boolean;
  /** Where the anchor's text starts in the current block (0 when the anchor spans blocks). */
  blockStart: number;
}

interface PendingLink {
  link: ExtractedLink;
  start: number;
  end: number;
}

export function extractFromHtml(html: string, options: PartOptions): ParsedPart {
  const links: ExtractedLink[] = [];
  let skippedLongHrefs = 0;
  let position = options.firstPosition;
  let base = options.base;

  let block = '';
  let pending: PendingLink[] = [];
  let anchor: OpenAnchor | null = null;
  let hiddenDepth = 0;
  let boldDepth = 0;
  let boldChars = 0;
  let headingDepth = 0;
  let headingText = '';
  let lastHeading = '';
  let title = '';
  let inTitle = false;

  const flushBlock = (): void => {
    for (const { link, start, end } of pending) {
      link.context = sentenceAround(
        block.slice(Math.max(0, start - CONTEXT_WINDOW), start),
        link.isImage ? '' : block.slice(start, end),
        block.slice(end, end + CONTEXT_WINDOW),
        true,
      );
    }
    pending = [];
    // A short block written wholly in bold is how most email templates mark a section's title.
    if (headingDepth === 0 && boldChars > 0) {
      const text = collapseWhitespace(block);
      if (
        text.length > 2 &&
        text.length <= MAX_BOLD_HEADING &&
        !BYLINE.test(text) &&
        boldChars >= text.replace(/\s/g, '').length * 0.9
      ) {
        lastHeading = text;
      }
    }
    block = '';
    boldChars = 0;
    if (anchor) anchor.blockStart = 0;
  };

  const closeAnchor = (): void => {
    if (!anchor) return;
    const text = collapseWhitespace(anchor.text);
    const isImage = anchor.hasImage && text === '';
    const link: ExtractedLink = {
      href: anchor.href,
      text: isImage ? collapseWhitespace(anchor.alt) : text,
      context: '',
      heading: anchor.heading,
      isImage,
      position: anchor.position,
      part: 'html',
    };
    links.push(link);
    pending.push({ link, start: anchor.blockStart, end: block.length });
    anchor = null;
  };

  const openLink = (rawHref: string, alt: string | null): OpenAnchor | null => {
    const verdict = cleanHref(rawHref, base);
    if ('skipped' in verdict) {
      if (verdict.skipped === 'too-long') skippedLongHrefs++;
      return null;
    }
    return {
      href: verdict.href,
      position: position++,
      heading: lastHeading || title,
      text: '',
      alt: alt ?? '',
      hasImage: alt !== null,
      blockStart: block.length,
    };
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (HIDDEN.has(name)) {
          hiddenDepth++;
          return;
        }
        if (name === 'title') inTitle = true;
        if (name === 'base' && attribs.href && base === null) {
          const verdict = cleanHref(attribs.href, null);
          if ('href' in verdict) base = verdict.href;
        }
        if (hiddenDepth > 0) return;
        if (BLOCK.has(name)) flushBlock();
        if (name === 'br') block += PARAGRAPH_BREAK;
        if (HEADING.has(name)) {
          if (headingDepth === 0) headingText = '';
          headingDepth++;
        }
        if (BOLD.has(name)) boldDepth++;
        if (name === 'a') {
          // An anchor inside an anchor is invalid HTML; browsers close the first one, and so do we.
          closeAnchor();
          if (attribs.href !== undefined) anchor = openLink(attribs.href, null);
        } else if (name === 'img' && anchor) {
          anchor.hasImage = true;
          if (attribs.alt && anchor.alt.length < MAX_ANCHOR_TEXT) anchor.alt += ` ${attribs.alt}`;
        } else if (name === 'area' && attribs.href !== undefined) {
          const area = openLink(attribs.href, attribs.alt ?? '');
          if (area) {
            const outer = anchor;
            anchor = area;
            closeAnchor();
            anchor = outer;
          }
        }
      },
      ontext(text) {
        if (inTitle && title.length < MAX_HEADING) title = collapseWhitespace(title + text);
        if (hiddenDepth > 0) return;
        block += text;
        if (boldDepth > 0) boldChars += text.replace(/\s/g, '').length;
        if (headingDepth > 0 && headingText.length < MAX_HEADING) headingText += text;
        if (anchor && anchor.text.length < MAX_ANCHOR_TEXT) anchor.text += text;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) {
          if (hiddenDepth > 0) hiddenDepth--;
          return;
        }
        if (name === 'title') inTitle = false;
        if (hiddenDepth > 0) return;
        if (name === 'a') closeAnchor();
        if (BOLD.has(name) && boldDepth > 0) boldDepth--;
        if (HEADING.has(name) && headingDepth > 0) {
          headingDepth--;
          if (headingDepth === 0) {
            const text = collapseWhitespace(headingText);
            if (text) lastHeading = text.slice(0, MAX_HEADING);
          }
        }
        if (BLOCK.has(name)) flushBlock();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  closeAnchor();
  flushBlock();
  return { links, skippedLongHrefs, title };
}
