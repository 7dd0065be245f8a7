/**
 * extractLinks: from a pasted or dropped newsletter to a ranked list of distinct destinations.
 * detect format → extract every occurrence → unwrap → canonicalise → merge duplicates → classify → ids.
 * Every step is linear in the input; bad input gives warnings, never an exception.
 */
import { canonicalizeWithKey } from './canonical.ts';
import { classifyLinks } from './classify.ts';
import { asciiOnly } from './data/index.ts';
import type { Classification, DocumentContext, UnclassifiedLink } from './classify.ts';
import {
  MAX_HREF_LENGTH,
  MAX_INFERRED_WORDS,
  decodeInput,
  extractFromHtml,
  extractFromText,
  mailboxHosts,
  parseEmail,
} from './parse/index.ts';
import type { ParsedPart } from './parse/index.ts';
import { readMessageJson } from './parse/message-json.ts';
import type { CanonicalUrl, ExtractedLink, InputFormat, LinkCandidate, LinkReport, UnwrapResult } from './types.ts';
import { personalRedirects } from './personal-redirects.ts';
import { discoverSenderDomains } from './sender-domains.ts';
import { unwrapParsed } from './unwrap/index.ts';
import { messageOf } from '../text/error-message.ts';

export interface ExtractLinksOptions {
  /** The dropped file's name: its extension decides the format before any sniffing. */
  fileName?: string;
  /**
   * The format when the caller knows it (the page knows a paste is HTML): taken as is, nothing is detected
   * again. Left out for a file without a known type or a plain paste, whose format is detected.
   */
  format?: InputFormat;
  /** Input beyond this many bytes is not read (a warning says so). */
  maxBytes?: number;
  /**
   * Milliseconds spent in each stage are added here when given (`bench:links -- --stages`): where a speed-up has
   * to come from. The text of a non-email input is then decoded up front, so decoding is timed on its own.
   */
  stageTimes?: Partial<Record<PipelineStage, number>>;
}

/** The pipeline's stages as `stageTimes` names them, in order. */
export const pipelineStages = ['decode', 'mime', 'parse', 'merge', 'sentences', 'scoring'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

/** A stopwatch that adds the time since its last call to the stage named; nothing at all when not asked for. */
function stageClock(times: ExtractLinksOptions['stageTimes']): (stage: PipelineStage) => void {
  if (!times) return () => {};
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    times[stage] = (times[stage] ?? 0) + now - last;
    last = now;
  };
}

export const DEFAULT_MAX_BYTES = 16 * 1_048_576;

/** Anchor texts that say nothing about the destination; any other text of the same link is better. */
const GENERIC_TEXT =
  /^(?:click here|here|this|link|read more|learn more|more|more here|see more|continue reading|read|read the rest|full story|source|website|view|details|check it out|try it|try it out|go|open|→|»|›)\W*$/i;
const LOOKS_LIKE_URL = /^(?:https?:\/\/|www\.)\S+$/i;
interface Resolved {
  unwrap: UnwrapResult;
  canonical: CanonicalUrl | null;
  /** Same key, same destination (`www.`, a trailing slash and parameter order do not count). */
  key: string;
}

/** One destination while occurrences are merged into it. */
interface Destination {
  canonical: CanonicalUrl;
  /** This destination's key in the map of destinations. */
  canonicalKey: string;
  unwrap: UnwrapResult;
  occurrences: number;
  firstPosition: number;
  originalHref: string;
  /** The occurrence whose text (and so whose sentence) is kept; its context is computed only now, once. */
  best: ExtractedLink;
  textQuality: number;
  /** The first occurrence, for a sentence when the best one has none. */
  first: ExtractedLink;
  heading: string;
  allImages: boolean;
  parts: Set<ExtractedLink['part']>;
}

/** Real anchor text: nothing grades higher. */
const BEST_QUALITY = 3;

function textQuality(link: ExtractedLink): number {
  const text = link.text.trim();
  if (text === '') return 0;
  if (link.isImage) return 1;
  if (GENERIC_TEXT.test(text) || LOOKS_LIKE_URL.test(text)) return 2;
  return BEST_QUALITY;
}

/**
 * The link report of one newsletter. `input` is pasted text, or a dropped file's bytes (a Uint8Array, or the
 * ArrayBuffer a worker receives by transfer).
 */
export async function extractLinks(
  input: string | Uint8Array | ArrayBuffer,
  options: ExtractLinksOptions = {},
): Promise<LinkReport> {
  const started = performance.now();
  const lap = stageClock(options.stageTimes);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const source = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  const bytes = typeof source === 'string' ? source.length : source.byteLength;
  const decoded = decodeInput(source, maxBytes, options.fileName, options.format);
  const warnings = decoded.warnings;
  let format: InputFormat = decoded.format;
  if (options.stageTimes && format !== 'eml') decoded.text();
  lap('decode');

  const parts: ParsedPart[] = [];
  const senderHosts: string[] = [];
  const senderMailboxes: string[] = [];
  let position = 0;
  const read = (part: ParsedPart): void => {
    parts.push(part);
    position += part.links.length;
  };

  // A message exported as JSON (Gmail API and mail tools) is read like the email it is; a told format is not.
  const message = options.format || format === 'eml' || decoded.binary ? null : readMessageJson(decoded.text());
  if (message) {
    format = 'eml';
    senderHosts.push(...message.senderHosts);
    senderMailboxes.push(...message.senderMailboxes);
    if (message.html) read(extractFromHtml(message.html, { firstPosition: position, base: null }));
    if (message.text) read(extractFromText(message.text, { firstPosition: position, base: null, markdown: false }));
  } else if (format === 'eml') {
    try {
      const email = await parseEmail(decoded.bytes ?? decoded.text());
      lap('mime');
      senderHosts.push(...email.senderHosts);
      senderMailboxes.push(...email.senderMailboxes);
      if (email.html) read(extractFromHtml(email.html, { firstPosition: position, base: null }));
      if (email.text) read(extractFromText(email.text, { firstPosition: position, base: null, markdown: false }));
      if (!email.html && !email.text) warnings.push('The email has no HTML or text body, so it has no links to read.');
    } catch (error) {
      warnings.push(`The email's MIME structure could not be read (${messageOf(error)}); it was read as plain text.`);
      read(extractFromText(decoded.text(), { firstPosition: position, base: null, markdown: false }));
    }
  } else if (format === 'html') {
    read(extractFromHtml(decoded.text(), { firstPosition: position, base: null }));
  } else {
    read(extractFromText(decoded.text(), { firstPosition: position, base: null, markdown: format === 'markdown' }));
  }
  if (format !== 'eml') {
    const pasted = fromLineMailboxes(decoded.text());
    senderMailboxes.push(...pasted);
    senderHosts.push(...mailboxHosts(pasted));
  }
  lap('parse');

  const skippedLong = parts.reduce((sum, part) => sum + part.skippedLongHrefs, 0);
  if (skippedLong > 0) {
    warnings.push(
      `${skippedLong} link${skippedLong === 1 ? ' was' : 's were'} longer than ${MAX_HREF_LENGTH / 1024} kB and skipped: no real link is that long.`,
    );
  }

  const occurrences = parts.reduce((sum, part) => sum + part.links.length, 0);
  const destinations = mergeOccurrences(parts, warnings);
  readPersonalRedirects(destinations);
  if (parts.length > 1) joinEmailParts(destinations);
  readWrittenDestinations(destinations);
  lap('merge');

  const candidates = [...destinations.values()].sort((a, b) => a.firstPosition - b.firstPosition);
  const unclassified: UnclassifiedLink[] = candidates.map((destination) => ({
    url: destination.canonical.url,
    host: destination.canonical.host,
    domain: destination.canonical.domain,
    text: destination.best.text,
    context: destination.best.context || destination.first.context,
    heading: destination.heading,
    isImage: destination.allImages,
    needsNetwork: destination.unwrap.needsNetwork,
    tracker: destination.unwrap.tracker,
    occurrences: destination.occurrences,
    firstPosition: destination.firstPosition,
    originalHref: destination.originalHref,
  }));
  // Reading each candidate's sentence is what building them costs: occurrences compute it only when asked.
  lap('sentences');
  const senderDomains = discoverSenderDomains(senderHosts, unclassified, senderMailboxes);
  const classifications = classify(unclassified, { senderDomains }, warnings);
  const links: LinkCandidate[] = unclassified.map((link, index) => {
    const classification = classifications[index] ?? unclassifiedFallback(link);
    return { id: `L${index + 1}`, ...link, ...classification };
  });
  lap('scoring');

  return {
    format,
    links,
    warnings,
    senderDomains,
    stats: { bytes, occurrences, ms: Math.round((performance.now() - started) * 100) / 100 },
  };
}

/**
 * The merge key of a link behind an opaque tracker: its URL as written, since only that tells two of them apart.
 * The string itself, which the map of hrefs has mostly hashed already, rather than a new one to hash. It cannot be
 * taken for a canonical key: one starts with a host, which has no `:` before the first `/` (an IPv6 host starts
 * with `[`), and a URL as written has `http:` or `https:` there.
 */
function opaqueKey(url: string): string {
  return url;
}

function resolve(href: string, domainsByHost: Map<string, string>): Resolved | string {
  let unwrap: UnwrapResult;
  let parsed: URL | null;
  try {
    ({ result: unwrap, parsed } = unwrapParsed(href));
  } catch (error) {
    return messageOf(error);
  }
  try {
    // The URL the unwrapper parsed last is the destination's own: canonicalising it reuses that parse. Behind an
    // opaque tracker, the wrapper's parameters are all that tells two destinations apart, and the canonical form
    // may strip them as tracking noise: such links merge only when their hrefs are the same, and need no key.
    let canonical = canonicalizeWithKey(parsed ?? unwrap.url, domainsByHost, !unwrap.needsNetwork);
    // A decoder that recovers something unusable (not http) leaves the wrapper itself as the link.
    if (canonical === null && unwrap.url !== href) {
      canonical = canonicalizeWithKey(href, domainsByHost, false);
      unwrap = { url: href, chain: [href], needsNetwork: true, tracker: unwrap.tracker };
    }
    const key = canonical === null ? '' : unwrap.needsNetwork ? opaqueKey(unwrap.url) : canonical.key;
    return { unwrap, canonical: canonical?.canonical ?? null, key };
  } catch (error) {
    return messageOf(error);
  }
}

/**
 * An opaque tracker's link whose mail client recorded where it went (`ExtractedLink.recordedHref`): that place, when
 * it is one that needs no network, reached through the tracker. A record that is itself opaque (Gmail's copy of a
 * message it received records the tracker) or unreadable changes nothing.
 */
function recordedDestination(tracked: Resolved, href: string, recorded: Resolved | string): Resolved {
  if (typeof recorded === 'string' || !recorded.canonical || recorded.unwrap.needsNetwork) return tracked;
  return {
    unwrap: {
      url: recorded.unwrap.url,
      chain: [href, ...recorded.unwrap.chain],
      needsNetwork: false,
      tracker: tracked.unwrap.tracker,
    },
    canonical: recorded.canonical,
    key: recorded.key,
  };
}

function mergeOccurrences(parts: ParsedPart[], warnings: string[]): Map<string, Destination> {
  const resolvedByHref = new Map<string, Resolved | string>();
  const domainsByHost = new Map<string, string>();
  const destinations = new Map<string, Destination>();
  let failures = 0;
  let firstFailure = '';
  const resolveOnce = (href: string): Resolved | string => {
    let resolved = resolvedByHref.get(href);
    if (resolved === undefined) {
      resolved = resolve(href, domainsByHost);
      resolvedByHref.set(href, resolved);
    }
    return resolved;
  };
  for (const part of parts) {
    for (const link of part.links) {
      let resolved = resolveOnce(link.href);
      if (typeof resolved !== 'string' && resolved.unwrap.needsNetwork && link.recordedHref !== undefined) {
        resolved = recordedDestination(resolved, link.href, resolveOnce(link.recordedHref));
      }
      if (typeof resolved === 'string') {
        failures++;
        firstFailure ||= resolved;
        continue;
      }
      if (!resolved.canonical) continue;
      const key = resolved.key;
      const existing = destinations.get(key);
      if (!existing) {
        const quality = textQuality(link);
        destinations.set(key, {
          canonical: resolved.canonical,
          canonicalKey: key,
          unwrap: resolved.unwrap,
          occurrences: 1,
          firstPosition: link.position,
          originalHref: link.href,
          best: link,
          textQuality: quality,
          first: link,
          heading: link.heading,
          allImages: link.isImage,
          parts: new Set([link.part]),
        });
        continue;
      }
      existing.occurrences++;
      existing.allImages &&= link.isImage;
      existing.parts.add(link.part);
      // Most repeats are of a destination that already has real anchor text: theirs cannot read better.
      const quality = existing.textQuality < BEST_QUALITY ? textQuality(link) : 0;
      if (quality > existing.textQuality) {
        existing.best = link;
        existing.textQuality = quality;
        if (link.heading) existing.heading = link.heading;
      }
      if (!existing.heading) existing.heading = link.heading;
    }
  }
  if (failures > 0) {
    warnings.push(
      `${failures} link${failures === 1 ? '' : 's'} could not be decoded and ${failures === 1 ? 'was' : 'were'} left out (${firstFailure}).`,
    );
  }
  return destinations;
}

function normaliseText(text: string): string {
  const lower = text.toLowerCase();
  // ASCII letters and digits are `a-z` and `0-9` once lower-cased: the plain expression, several times cheaper.
  if (asciiOnly.test(lower)) return lower.replace(/[^a-z0-9]+/g, ' ').trim();
  return lower.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Where each word of a normalised text starts. Its words are separated by single spaces, so the tail from the k-th
 * word on is one substring, not a join of a slice.
 */
function wordStarts(normalised: string): number[] {
  const starts = [0];
  for (let at = normalised.indexOf(' '); at >= 0; at = normalised.indexOf(' ', at + 1)) starts.push(at + 1);
  return starts;
}

/** The first key a text-part link shares with an HTML anchor: its words, then each shorter tail of them. */
function sharedTextPartKey(text: string, htmlByText: Map<string, Destination[]>): string | undefined {
  const normalised = normaliseText(text);
  for (const start of wordStarts(normalised)) {
    const key = normalised.slice(start);
    if (key.length >= 3 && htmlByText.has(key)) return key;
  }
  return undefined;
}

function absorb(into: Destination, from: Destination): void {
  into.occurrences += from.occurrences;
  into.allImages &&= from.allImages;
  for (const part of from.parts) into.parts.add(part);
  if (from.firstPosition < into.firstPosition) {
    into.firstPosition = from.firstPosition;
    into.originalHref = from.originalHref;
  }
}

/**
 * An email's text part repeats the HTML part's links: one entry per destination, not two. Matched by anchor text
 * (a text part prints it before the URL), only when exactly one link of the other part has that text.
 * - The HTML link is behind an opaque tracker and the text part prints the direct URL (beehiiv, Cooperpress,
 *   Campaign Monitor): both become the direct URL, with the HTML part's text and sentence.
 * - The text part's link is behind an opaque tracker too (Mailchimp wraps both parts): it adds nothing, and
 *   joins the HTML link.
 */
function joinEmailParts(destinations: Map<string, Destination>): void {
  // Only a text-part link with real text can be matched: many emails have none, and then the HTML anchors' tails
  // need not be read.
  const textPartLinks = [...destinations.values()].filter(
    (destination) => !destination.parts.has('html') && destination.textQuality >= BEST_QUALITY,
  );
  if (textPartLinks.length === 0) return;
  // Text parts cut long anchors to their last words, so HTML anchors are known by their tails too.
  const htmlByText = new Map<string, Destination[]>();
  for (const destination of destinations.values()) {
    if (!destination.parts.has('html') || destination.textQuality < BEST_QUALITY) continue;
    const normalised = normaliseText(destination.best.text);
    const starts = wordStarts(normalised);
    // Every tail of up to twice the words a text part prints, since its word count differs from ours by dashes
    // and punctuation.
    const keys = new Set([normalised]);
    for (let start = Math.max(1, starts.length - 2 * MAX_INFERRED_WORDS); start < starts.length - 2; start++) {
      keys.add(normalised.slice(starts[start]));
    }
    for (const key of keys) {
      if (key.length < 3) continue;
      const list = htmlByText.get(key);
      if (list) list.push(destination);
      else htmlByText.set(key, [destination]);
    }
  }
  if (htmlByText.size === 0) return;
  const textByKey = new Map<string, Destination[]>();
  for (const destination of textPartLinks) {
    const key = sharedTextPartKey(destination.best.text, htmlByText);
    if (key === undefined) continue;
    const list = textByKey.get(key);
    if (list) list.push(destination);
    else textByKey.set(key, [destination]);
  }
  const claimed = new Set<Destination>();
  for (const [key, textLinks] of textByKey) {
    const htmlLinks = htmlByText.get(key) ?? [];
    // Repeated anchors ("comments →") pair up in document order, and only when both parts have as many.
    if (htmlLinks.length !== textLinks.length) continue;
    textLinks.forEach((textLink, index) => {
      const html = htmlLinks[index];
      if (!html || claimed.has(html) || !destinations.has(html.canonicalKey)) return;
      if (textLink.unwrap.needsNetwork) {
        absorb(html, textLink);
        destinations.delete(textLink.canonicalKey);
      } else if (html.unwrap.needsNetwork) {
        // The HTML part's occurrence reads better (real anchor text, the sentence as laid out).
        absorb(textLink, html);
        textLink.best = html.best;
        textLink.first = html.first;
        if (html.heading) textLink.heading = html.heading;
        textLink.textQuality = html.textQuality;
        destinations.delete(html.canonicalKey);
      } else {
        return;
      }
      claimed.add(html);
    });
  }
}

/**
 * Links that carry the reader's id on one host (see `personal-redirects.ts`) are redirects whose destination only a
 * network request could show: they are read by their words, as any opaque tracker's links are. Before the email's
 * parts are joined, so a text part that prints the direct URL still gives it to them.
 */
function readPersonalRedirects(destinations: Map<string, Destination>): void {
  const direct = [...destinations.values()].filter((destination) => !destination.unwrap.needsNetwork);
  const redirects = personalRedirects(direct.map((destination) => destination.unwrap.url));
  for (const destination of direct) {
    if (!redirects.has(destination.unwrap.url)) continue;
    destinations.delete(destination.canonicalKey);
    destination.unwrap = {
      ...destination.unwrap,
      needsNetwork: true,
      tracker: destination.unwrap.tracker ?? 'personal-redirect',
    };
    destination.canonicalKey = opaqueKey(destination.unwrap.url);
    destinations.set(destination.canonicalKey, destination);
  }
}

/**
 * A link behind an opaque tracker whose anchor text is a web address (`https://www.glean.com`, `www.fast.ai`): the
 * reader is shown where it goes, so that is its destination, as when an email's text part prints it. It then merges
 * with any other link there. An address cut short (`…`) is left alone: its path is not the real one.
 */
function readWrittenDestinations(destinations: Map<string, Destination>): void {
  const domainsByHost = new Map<string, string>();
  for (const destination of [...destinations.values()]) {
    if (!destination.unwrap.needsNetwork) continue;
    const written = destination.best.text.trim();
    if (!/^(?:https?:\/\/|www\.)[^\s…]+$/i.test(written) || written.endsWith('...')) continue;
    const resolved = resolve(/^www\./i.test(written) ? `https://${written}` : written, domainsByHost);
    if (typeof resolved === 'string' || !resolved.canonical || resolved.unwrap.needsNetwork) continue;
    destinations.delete(destination.canonicalKey);
    const unwrap: UnwrapResult = {
      url: resolved.unwrap.url,
      chain: [destination.originalHref, ...resolved.unwrap.chain],
      needsNetwork: false,
      tracker: destination.unwrap.tracker,
    };
    const existing = destinations.get(resolved.key);
    if (existing) {
      absorb(existing, destination);
      continue;
    }
    destinations.set(resolved.key, {
      ...destination,
      canonical: resolved.canonical,
      canonicalKey: resolved.key,
      unwrap,
    });
  }
}

/** A `From:` line near the top of a pasted or exported email (Markdown front matter, "**From:** Name <a@b.com>"). */
function fromLineMailboxes(text: string): string[] {
  const head = text.slice(0, 4_000);
  const mailboxes: string[] = [];
  for (const match of head.matchAll(
    /^[ \t>*_]*(?:from|sender|reply-to)[*_]*:[*_ \t]*[^\n]*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/gim,
  )) {
    if (match[1]) mailboxes.push(match[1].toLowerCase());
  }
  return mailboxes;
}

function unclassifiedFallback(link: UnclassifiedLink): Classification {
  return {
    kind: 'other',
    score: 0,
    features: ['not classified'],
    name: link.text,
    reason: 'Not ranked: the classifier failed.',
  };
}

function classify(links: UnclassifiedLink[], document: DocumentContext, warnings: string[]): Classification[] {
  try {
    return classifyLinks(links, document);
  } catch (error) {
    warnings.push(`The links could not be ranked (${messageOf(error)}); they are listed unranked.`);
    return links.map(unclassifiedFallback);
  }
}
