/**
 * How Sift decides that two spellings are the same company's domain: domains compare by their registrable
 * domain (`app.acme.com` → `acme.com`, with private suffixes such as `github.io` kept whole, so
 * `acme.github.io` never matches `other.github.io`). Names compare in `names.ts`, which is kept apart because
 * this module brings the public-suffix list (tldts, about 110 kB gzipped) and the page needs names, not domains.
 * Tags are normalised here too.
 */
import { parse } from 'tldts';

/** Labels of letters, digits and inner hyphens, at least two of them: a host as it is, no URL parsing needed. */
const PLAIN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\.?$/;

export interface NormalisedDomain {
  /** The host as written, lower-case, punycoded, without `www.`: `app.acme.com`. */
  host: string;
  /** The registrable domain: `acme.com`, `acme.co.uk`, `acme.github.io`. */
  domain: string;
}

/**
 * Accepts a bare domain, a URL, a host with a port or path, or an e-mail address. Returns null for
 * anything without a registrable domain (IP addresses, `localhost`, a bare word, garbage).
 */
export function normaliseDomain(input: string | null | undefined): NormalisedDomain | null {
  if (!input) return null;
  let text = input.trim().toLowerCase();
  if (!text || /\s/.test(text)) return null;
  let hostname: string;
  if (PLAIN_HOST.test(text)) {
    // Most CRM cells are a bare ASCII host already: no need for the URL parser.
    hostname = text;
  } else {
    if (text.startsWith('mailto:')) text = text.slice('mailto:'.length);
    if (!text.includes('://')) {
      const at = text.lastIndexOf('@');
      if (at >= 0) text = text.slice(at + 1);
      text = `http://${text.replace(/^\/+/, '')}`;
    }
    try {
      hostname = new URL(text).hostname;
    } catch {
      return null;
    }
  }
  hostname = hostname.replace(/\.$/, '');
  if (!hostname.includes('.')) return null;
  const parsed = parse(hostname, { allowPrivateDomains: true, extractHostname: false });
  if (parsed.isIp || !parsed.domain || !parsed.publicSuffix) return null;
  // tldts treats any unknown last label as a suffix; a CRM domain must end in a real one.
  if (parsed.isIcann === null) return null;
  const host = hostname.startsWith('www.') && hostname !== `www.${parsed.publicSuffix}` ? hostname.slice(4) : hostname;
  return { host, domain: parsed.domain };
}

/** The registrable domain alone, or null. */
export function registrableDomain(input: string | null | undefined): string | null {
  return normaliseDomain(input)?.domain ?? null;
}

/** Tags are single labels: trimmed, inner whitespace collapsed, no list separators (they join CSV cells). */
export function normaliseTag(tag: string): string {
  return tag.replace(/[;,|]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function normaliseTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = normaliseTag(raw);
    const key = tag.toLowerCase();
    if (tag && !seen.has(key)) {
      seen.add(key);
      out.push(tag);
    }
  }
  return out;
}
