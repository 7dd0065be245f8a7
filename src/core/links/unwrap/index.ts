import type { UnwrapResult } from '../types.ts';
import { amazonSes } from './amazon-ses.ts';
import { beehiivClick } from './beehiiv-click.ts';
import { base64Destination } from './base64-destination.ts';
import { buttondown } from './buttondown.ts';
import { customerIo } from './customer-io.ts';
import { every } from './every.ts';
import type { UrlParts, WrapperFamily } from './family.ts';
import { google } from './google.ts';
import { kit } from './kit.ts';
import { mailgun } from './mailgun.ts';
import { opaqueTracker } from './opaque.ts';
import { proofpoint } from './proofpoint.ts';
import { queryDestination } from './query-destination.ts';
import { safelinks } from './safelinks.ts';
import { sailthru } from './sailthru.ts';
import { substackSigned } from './substack.ts';

/**
 * Every family that decodes offline. Order does not matter among the named ones: each checks its own host or path
 * shape first. The two readers that accept any host come last, so a family that knows the wrapper names it.
 */
export const wrapperFamilies: readonly WrapperFamily[] = [
  substackSigned,
  mailgun,
  kit,
  amazonSes,
  sailthru,
  customerIo,
  every,
  beehiivClick,
  google,
  safelinks,
  proofpoint,
  buttondown,
  queryDestination,
  base64Destination,
];

/** Nesting is real (Loops → beehiiv, Gmail → Mailchimp) but never deep; the cap stops a wrapper pointing at itself. */
export const maxUnwrapDepth = 5;

/** Longer hrefs are not decoded: a wrapper's payload is at most a few kB, and decoding 100 kB of base64 per link adds up. */
const maxDecodableLength = 16_384;

/** A URL's parts, each read once for all the families; its parameters are parsed only when one asks for them. */
class PartsReadOnce implements UrlParts {
  readonly href: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly #url: URL;

  constructor(url: URL) {
    this.#url = url;
    this.href = url.href;
    this.hostname = url.hostname;
    this.pathname = url.pathname;
    this.search = url.search;
  }

  get searchParams(): URLSearchParams {
    return this.#url.searchParams;
  }
}

function parseWebUrl(href: string): URL | null {
  // Parsing once and catching is cheaper than canParse + parse: almost every href is a valid URL.
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
}

/**
 * Where a link really goes, decoded offline. Peels known wrappers up to `maxUnwrapDepth` levels; when the innermost
 * URL is a wrapper that only a network request could open, says so (`needsNetwork`) and names it. `tracker` is the
 * outermost wrapper's family, which is what the user recognises in the raw link.
 */
export function unwrapUrl(href: string): UnwrapResult {
  return unwrapParsed(href).result;
}

/**
 * `unwrapUrl`, plus the parsed form of the URL it ends on when it parsed it (null otherwise), so the caller does not
 * parse the same string again. Nothing here modifies the parsed URL.
 */
export function unwrapParsed(href: string): { result: UnwrapResult; parsed: URL | null } {
  const chain = [href];
  let current = href;
  let tracker: string | null = null;
  let parsed: URL | null = null;
  for (let depth = 0; depth < maxUnwrapDepth; depth++) {
    parsed = null;
    if (current.length > maxDecodableLength) break;
    const url = parseWebUrl(current);
    if (!url) break;
    parsed = url;
    const parts = new PartsReadOnce(url);
    let next: string | null = null;
    let family: string | null = null;
    for (const candidate of wrapperFamilies) {
      next = candidate.decode(parts);
      if (next) {
        family = candidate.tracker;
        break;
      }
    }
    if (!next || next === current) {
      const opaque = opaqueTracker(parts);
      if (opaque) return { result: { url: current, chain, needsNetwork: true, tracker: opaque }, parsed };
      break;
    }
    parsed = null;
    tracker ??= family;
    chain.push(next);
    current = next;
  }
  return { result: { url: current, chain, needsNetwork: false, tracker }, parsed };
}
