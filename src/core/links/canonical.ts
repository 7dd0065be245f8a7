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
 * A URL query's parameters as URLSearchParams reads them. Without a percent-escape, reading one only splits it and
 * turns `+` into a space (its UTF-8 round trip changes nothing but a lone surrogate, which a parsed URL has not got),
 * which is done here: most links have a query, and URLSearchParams would be built for each of them.
 */
export function queryPairs(search: string): [string, string][] {
  if (search.includes('%')) return [...new URLSearchParams(search)];
  const pairs: [string, string][] = [];
  const plus = search.includes('+');
  let start = search.startsWith('?') ? 1 : 0;
  while (start <= search.length) {
    let end = search.indexOf('&', start);
    if (end < 0) end = search.length;
    if (end > start) {
      const equals = search.indexOf('=', start);
      let name = equals < 0 || equals > end ? search.slice(start, end) : search.slice(start, equals);
      let value = equals < 0 || equals > end ? '' : search.slice(equals + 1, end);
      if (plus) {
        name = name.replaceAll('+', ' ');
        value = value.replaceAll('+', ' ');
      }
      pairs.push([name, value]);
    }
    start = end + 1;
  }
  return pairs;
}

/**
 * The canonical form of a web URL: tracking and personal parameters stripped, host lower-cased, default port and
 * tracking fragments dropped, registrable domain computed with private suffixes kept whole (`acme.vercel.app`).
 * Null for anything that is not an absolute http(s) URL — `mailto:`, `javascript:`, relative or broken hrefs.
 */
export function canonicalizeUrl(input: string | URL): CanonicalUrl | null {
  return canonicalizeWithKey(input, undefined, false)?.canonical ?? null;
}

/**
 * `canonicalizeUrl` and `canonicalKey` from one parse. A parsed `URL` is taken over (it may be modified, so the
 * caller must not read it afterwards): the pipeline hands over the one its unwrapper already parsed, since parsing
 * dominates the per-link cost. `domainsByHost` remembers registrable domains across the calls that share it.
 * Without `withKey` the key is '' and costs nothing: a link behind an opaque tracker is merged by its href, and
 * sorting its parameters for a key no one reads was a third of the time spent canonicalising such links.
 */
export function canonicalizeWithKey(
  input: string | URL,
  domainsByHost?: Map<string, string>,
  withKey = true,
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

  // What is left to change is the query and the fragment, the end of the href: it is cut and joined as text, since
  // each URL setter parses the whole href again (and re-reads the parameters once they have been asked for).
  let href = url.href;
  let search = url.search;
  let hash = url.hash;
  // The merge key wants the parameters in order; null until they are known to need sorting.
  let sortedSearch: string | null = search.includes('&') ? null : search;
  if (search.length > 1 && search.length <= maxQueryLength) {
    const matchers = hostMatchers(host.startsWith('www.') ? host.slice(4) : host);
    const kept: [string, string][] = [];
    let changed = false;
    let inOrder = true;
    for (const pair of queryPairs(search)) {
      const name = pair[0];
      const lower = name.toLowerCase();
      if (matchesParam(everywhere, lower) || matchers.some((matcher) => matchesParam(matcher, lower))) {
        changed = true;
      } else {
        if (kept.length > 0 && kept[kept.length - 1]![0] > name) inOrder = false;
        kept.push(pair);
      }
    }
    if (changed) {
      // As `url.search = …` would: serialised parameters need no more escaping, and with none left the `?` goes
      // too. A parsed href escapes every `#` before the fragment's own, which may be a bare `#` that `url.hash` omits.
      const hashAt = href.indexOf('#');
      const searchEnd = hashAt < 0 ? href.length : hashAt;
      const replaced = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
      href = `${href.slice(0, searchEnd - search.length)}${replaced}${href.slice(searchEnd)}`;
      search = replaced;
    }
    // URLSearchParams.sort: a stable sort by name in code units, which is what `<` compares.
    if (inOrder) {
      sortedSearch = search;
    } else if (withKey) {
      kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      sortedSearch = `?${new URLSearchParams(kept).toString()}`;
    }
  }

  if (hash && trackingFragment.test(hash.slice(1))) {
    href = href.slice(0, href.length - hash.length);
    hash = '';
  }

  // The URL parser has already extracted and validated the host. A newsletter's links share a few hosts, so a
  // caller may pass a map to look each one up once.
  let domain = domainsByHost?.get(host);
  if (domain === undefined) {
    domain = getDomain(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }) ?? host;
    domainsByHost?.set(host, domain);
  }
  const canonical = { url: href, host, domain };
  if (!withKey) return { canonical, key: '' };
  const keyHost = host.startsWith('www.') ? host.slice(4) : host;
  const pathname = url.pathname;
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (sortedSearch === null) {
    const params = new URLSearchParams(search);
    params.sort();
    sortedSearch = params.size > 0 ? `?${params.toString()}` : '';
  }
  return { canonical, key: `${keyHost}${path}${sortedSearch}${hash}` };
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
