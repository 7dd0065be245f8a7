import fc from 'fast-check';
import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { canonicalKey, canonicalizeUrl, canonicalizeWithKey, queryPairs } from './canonical.ts';
import rules from './data/tracking-params.json';
import type { CanonicalUrl } from './types.ts';

describe('canonicalizeUrl', () => {
  it('strips tracking and personal parameters but keeps the ones a page needs', () => {
    const result = canonicalizeUrl(
      'https://Acme.AI:443/product?utm_source=newsletter&utm_medium=email&id=42&email=reader%40example.com&_hsenc=x&_hsmi=y&mc_eid=z&e=abc',
    );
    expect(result).toEqual({ url: 'https://acme.ai/product?id=42', host: 'acme.ai', domain: 'acme.ai' });
  });

  it('strips host-specific parameters only on that host', () => {
    expect(canonicalizeUrl('https://www.linkedin.com/company/acme?trk=public_post&trackingId=abc')?.url).toBe(
      'https://www.linkedin.com/company/acme',
    );
    expect(canonicalizeUrl('https://acme.ai/search?trk=keep')?.url).toBe('https://acme.ai/search?trk=keep');
    expect(canonicalizeUrl('https://pub.substack.com/p/post?r=1abc&triggerShare=true')?.url).toBe(
      'https://pub.substack.com/p/post',
    );
  });

  it('drops tracking fragments and keeps real anchors', () => {
    expect(canonicalizeUrl('https://acme.ai/docs#:~:text=hello')?.url).toBe('https://acme.ai/docs');
    expect(canonicalizeUrl('https://acme.ai/docs#install')?.url).toBe('https://acme.ai/docs#install');
  });

  it('keeps private suffixes whole for the registrable domain', () => {
    expect(canonicalizeUrl('https://acme.vercel.app/')?.domain).toBe('acme.vercel.app');
    expect(canonicalizeUrl('https://blog.acme.co.uk/post')?.domain).toBe('acme.co.uk');
    expect(canonicalizeUrl('https://www.acme.com/')?.domain).toBe('acme.com');
    expect(canonicalizeUrl('http://192.168.1.10:8080/x')?.domain).toBe('192.168.1.10');
  });

  it('drops credentials and the default port', () => {
    expect(canonicalizeUrl('http://user:pass@acme.ai:80/')?.url).toBe('http://acme.ai/');
  });

  it('returns null for anything that is not an absolute web URL', () => {
    for (const href of [
      '',
      'mailto:a@acme.ai',
      'javascript:void(0)',
      'tel:+1',
      '/relative',
      'acme.ai',
      'https://',
      'ftp://acme.ai/',
    ]) {
      expect(canonicalizeUrl(href)).toBeNull();
    }
  });

  it('handles a 100 kB URL without stripping its huge query', () => {
    const huge = `https://acme.ai/?q=${'a'.repeat(100_000)}&utm_source=x`;
    const result = canonicalizeUrl(huge);
    expect(result?.domain).toBe('acme.ai');
    expect(result?.url.length).toBeGreaterThan(100_000);
  });
});

describe('canonicalKey', () => {
  it('treats www, scheme, a trailing slash and parameter order as the same destination', () => {
    const key = (href: string) => canonicalKey(canonicalizeUrl(href)!);
    expect(key('https://www.acme.ai/pricing/?b=2&a=1')).toBe(key('http://acme.ai/pricing?a=1&b=2&utm_source=x'));
    expect(key('https://acme.ai/pricing')).not.toBe(key('https://acme.ai/about'));
  });
});

describe('queryPairs', () => {
  it('reads a query as URLSearchParams does', () => {
    // What a parsed URL's query can hold: any text but a lone surrogate, which URL parsing has already replaced.
    const query = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom('a', 'B', '=', '&', '+', '%', '2', 'F', '?', ' ', 'é', '😀') }),
      fc.string({ unit: 'binary' }).map((text) => new URL(`https://acme.ai/?${text}`).search),
    );
    fc.assert(
      fc.property(query, (search) => {
        expect(queryPairs(search)).toEqual([...new URLSearchParams(search)]);
      }),
      { numRuns: 3000 },
    );
  });
});

/** The tracking-parameter rules read the plain way, for the differential test below. */
function strippedByRules(host: string, lowerName: string): boolean {
  const names = [...rules.global, ...rules.referral, ...rules.personal];
  const keyHost = host.startsWith('www.') ? host.slice(4) : host;
  for (const [ruleHost, hostNames] of Object.entries(rules.byHost)) {
    if (keyHost === ruleHost || keyHost.endsWith(`.${ruleHost}`)) names.push(...hostNames);
  }
  return names.some((name) => {
    const lower = name.toLowerCase();
    return lower.endsWith('*') ? lowerName.startsWith(lower.slice(0, -1)) : lowerName === lower;
  });
}

/** What canonicalizeWithKey gives, by URL setters and URLSearchParams throughout: the obvious, slower way. */
function byUrlSetters(href: string): { canonical: CanonicalUrl; key: string } | null {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  let host = url.hostname;
  if (host.endsWith('.')) {
    host = host.slice(0, -1);
    url.hostname = host;
  }
  if (host.length === 0) return null;
  url.username = '';
  url.password = '';
  if (url.search.length > 1 && url.search.length <= 8_192) {
    const kept = [...url.searchParams].filter(([name]) => !strippedByRules(host, name.toLowerCase()));
    if (kept.length < url.searchParams.size) url.search = new URLSearchParams(kept).toString();
  }
  if (/^(:~:|utm_|xtor=|ref=|mc_|_hs|src=)/i.test(url.hash.slice(1))) url.hash = '';
  const domain =
    getDomain(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false }) ?? host;
  const canonical = { url: url.href, host, domain };
  const keyHost = host.startsWith('www.') ? host.slice(4) : host;
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  // Parameters already in order keep their spelling; a query too long to strip is always sorted.
  const names = [...url.searchParams.keys()];
  const inOrder = names.every((name, index) => index === 0 || names[index - 1]! <= name);
  if (url.search.length > 8_192 ? url.search.includes('&') : !inOrder) url.searchParams.sort();
  return { canonical, key: `${keyHost}${path}${url.search}${url.hash}` };
}

describe('canonicalizeWithKey', () => {
  const piece = (...options: string[]) => fc.constantFrom(...options);
  const param = fc
    .tuple(
      piece(
        'utm_source',
        'UTM_Medium',
        'utm%5Fsource',
        'id',
        'r',
        'trk',
        'li_fat',
        'si',
        'a',
        'b',
        '',
        'x+y',
        'é',
        '%',
      ),
      piece('', '=', '=1', '=a+b', '=a%2Bb', '=%E2%82%AC', '=%ZZ', '=x=y', '=/p?x', '=€', '=a b', '="<>'),
    )
    .map(([name, value]) => name + value);
  const href = fc
    .tuple(
      piece('https://', 'http://', 'HTTPS://', 'HtTp://', 'https:', 'ftp://', 'https:///'),
      piece('', 'user@', 'user:pa%40ss@', ':@', 'a:b@'),
      piece(
        'acme.ai',
        'WWW.Acme.AI',
        'www.linkedin.com',
        'pub.substack.com',
        'youtube.com',
        'bücher.example',
        'xn--bcher-kva.example',
        'acme.ai.',
        '[::1]',
        '[2001:DB8::1]',
        '192.168.0.1',
        '0x7f.1',
        'a..b',
        '',
      ),
      piece('', ':443', ':80', ':8080', ':'),
      piece('', '/', '/a', '/a/', '/%2F', '/a%2fb/', '/ä', '/a b', '/./x/../y', '/a?b', '//x'),
      fc.option(fc.array(fc.oneof(param, piece('', '&')), { maxLength: 5 }), { nil: undefined }),
      piece('', '#', '#top', '#:~:text=x', '#UTM_x', '#a#b', '#ä', '# x'),
    )
    .map(
      ([scheme, userinfo, host, port, path, params, fragment]) =>
        `${scheme}${userinfo}${host}${port}${path}${params === undefined ? '' : `?${params.join('&')}`}${fragment}`,
    );

  it('gives what URL setters give, on odd URLs too', () => {
    fc.assert(
      fc.property(href, (input) => {
        const expected = byUrlSetters(input);
        expect(canonicalizeWithKey(input)).toEqual(expected);
        // Without the key, the same canonical URL.
        expect(canonicalizeWithKey(input, undefined, false)).toEqual(expected && { ...expected, key: '' });
      }),
      { numRuns: 5000 },
    );
  });

  it('gives what URL setters give on random web URLs', () => {
    fc.assert(
      fc.property(
        fc.webUrl({
          validSchemes: ['http', 'https', 'HTTPS', 'ftp'],
          authoritySettings: {
            withIPv4: true,
            withIPv6: true,
            withIPv4Extended: true,
            withUserInfo: true,
            withPort: true,
          },
          withQueryParameters: true,
          withFragments: true,
        }),
        (input) => {
          expect(canonicalizeWithKey(input)).toEqual(byUrlSetters(input));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps a bare # when it strips the whole query', () => {
    expect(canonicalizeWithKey('https://acme.ai/a?utm_source=x#')?.canonical.url).toBe('https://acme.ai/a#');
  });
});
