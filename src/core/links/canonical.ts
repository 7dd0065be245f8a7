import { getDomain } from 'tldts';
import rules from './data/tracking-params.json';
import type { CanonicalUrl } from './types.ts';
import { rememberedLast } from './recent.ts';

/** A parameter list split into exact names and `prefix*` patterns, lower-cased (parameter names vary in case). */
interface ParamMatcher {
  exact: Set<string>;
  prefixes: string[];
}

function compile(names: readonly string[]): ParamMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return { exact, prefixes };
}

function matchesParam(matcher: ParamMatcher, lowerName: string): boolean {
  if (matcher.exact.has(lowerName)) return true;
  for (const prefix of matcher.prefixes) if (lowerName.startsWith(prefix)) return true;
  return false;
}

const everywhere = compile([...rules.global, ...rules.referral, ...rules.personal]);
const perHost = new Map<string, ParamMatcher>(
  Object.entries(rules.byHost).map(([host, names]) => [host, compile(names)] as const),
);

/**
 * The host rules that apply: the host's own and each parent domain's (`www.linkedin.com` → `linkedin.com`).
 * The last host's answer is kept: a newsletter links a few hosts many times over, often several links in a row.
 */
const hostMatchers = rememberedLast(readHostMatchers);

function readHostMatchers(host: string): ParamMatcher[] {
  const found: ParamMatcher[] = [];
  let suffix = host;
  for (;;) {
    const matcher = perHost.get(suffix);
    if (matcher) found.push(matcher);
    const dot = suffix.indexOf('.');
    if (dot < 0) return found;
    suffix = suffix.slice(dot + 1);
  }
}

/** Fragments that only carry tracking or a text highlight, never a page's own anchor. */
const trackingFragment = /^(:~:|utm_|xtor=|ref=|mc_|_hs|src=)/i;

/** Parameters can only be stripped from a query the URL parser can re-serialise; past this length we keep it. */
const maxQueryLength = 8_192;

/**
 * The canonical form of a web URL: tracking and personal parameters stripped, host lower-cased, default port and
 * tracking fragments dropped, registrable domain computed with private suffixes kept whole (`acme.vercel.app`).
 * Null for anything that is not an absolute http(s) URL — `mailto:`, `javascript:`, relative or broken hrefs.
 */
export function canonicalizeUrl(input: string | URL): CanonicalUrl | null {
  return canonicalizeWithKey(input)?.canonical ?? null;
}

/**
 * `canonicalizeUrl` and `canonicalKey` from one parse. A parsed `URL` is taken over (modified in place): the
 * pipeline hands over the one its unwrapper already parsed, since parsing dominates the per-link cost.
 * `domainsByHost` remembers registrable domains across the calls that share it.
 */
export function canonicalizeWithKey(
  input: string | URL,
  domainsByHost?: Map<string, string>,
): { canonical: CanonicalUrl; key: string } | null {
  let url: URL;
  if (typeof input === 'string') {
    try {
      url = new URL(input.trim());
    } catch {
      return null;
    }
  } else {
    url = input;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  let host = url.hostname;
  if (host.endsWith('.')) {
    host = host.slice(0, -1);
    url.hostname = host;
  }
  if (host.length === 0) return null;
  if (url.username) url.username = '';
  if (url.password) url.password = '';

  let search = url.search;
  // The merge key wants the parameters in order; null until they are known to need sorting.
  let sortedSearch: string | null = search.includes('&') ? null : search;
  if (search.length > 1 && search.length <= maxQueryLength) {
    const matchers = hostMatchers(host.startsWith('www.') ? host.slice(4) : host);
    const kept: [string, string][] = [];
    let changed = false;
    let inOrder = true;
    for (const [name, value] of url.searchParams) {
      const lower = name.toLowerCase();
      if (matchesParam(everywhere, lower) || matchers.some((matcher) => matchesParam(matcher, lower))) {
        changed = true;
      } else {
        if (kept.length > 0 && kept[kept.length - 1]![0] > name) inOrder = false;
        kept.push([name, value]);
      }
    }
    if (changed) {
      url.search = kept.length > 0 ? new URLSearchParams(kept).toString() : '';
      search = url.search;
    }
    // URLSearchParams.sort: a stable sort by name in code units, which is what `<` compares.
    sortedSearch = inOrder
      ? search
      : `?${new URLSearchParams(kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))).toString()}`;
  }

  let hash = url.hash;
  if (hash && trackingFragment.test(hash.slice(1))) {
    url.hash = '';
    hash = '';
  }

  // The URL parser has already extracted and validated the host. A newsletter's links share a few hosts, so a
  // caller may pass a map to look each one up once.
  let domain = domainsByHost?.get(host);
  if (domain === undefined) {
    domain = getDomain(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }) ?? host;
    domainsByHost?.set(host, domain);
  }
  const href = url.href;
  const keyHost = host.startsWith('www.') ? host.slice(4) : host;
  const pathname = url.pathname;
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (sortedSearch === null) {
    url.searchParams.sort();
    sortedSearch = url.search;
  }
  return { canonical: { url: href, host, domain }, key: `${keyHost}${path}${sortedSearch}${hash}` };
}

/**
 * The key under which two canonical URLs count as the same destination: scheme, `www.`, a trailing slash and
 * parameter order do not matter. The canonical URL itself keeps them, since some sites need them to load.
 */
export function canonicalKey(canonical: CanonicalUrl): string {
  const url = new URL(canonical.url);
  const host = url.hostname.startsWith('www.') ? url.hostname.slice(4) : url.hostname;
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  url.searchParams.sort();
  return `${host}${path}${url.search}${url.hash}`;
}
