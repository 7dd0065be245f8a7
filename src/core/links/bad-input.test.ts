import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from './canonical.ts';
import { classifyLinks } from './classify.ts';
import type { UnclassifiedLink } from './classify.ts';
import { unwrapUrl } from './unwrap/index.ts';

/** Hrefs that look like the real thing often enough to reach the decoders: wrapper shapes with random payloads. */
const hrefs = fc.oneof(
  fc.string(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(
      fc.constantFrom(
        'https://substack.com/redirect/2/',
        'https://email.mg.example.com/c/eJ',
        'https://1.click.kit-mail3.com/a/b/',
        'https://t.example.com/CL0/',
        'https://link.example.com/click/1.2/',
        'https://e.customeriomail.com/e/c/',
        'https://every.to/emails/click/x/',
        'https://flight.beehiiv.net/v2/clicks/',
        'https://www.google.com/url?q=',
        'https://eur03.safelinks.protection.outlook.com/?url=',
        'https://urldefense.proofpoint.com/v2/url?u=',
        'https://urldefense.com/v3/__',
        'https://buttondown.com/c/',
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
    )
    .map(([prefix, payload]) => prefix + payload),
);

describe('link intelligence on random and hostile input', () => {
  it('unwrapUrl never throws and always ends its chain at its url', () => {
    fc.assert(
      fc.property(hrefs, (href) => {
        const result = unwrapUrl(href);
        expect(result.chain[0]).toBe(href);
        expect(result.chain.at(-1)).toBe(result.url);
        expect(result.chain.length).toBeLessThanOrEqual(6);
      }),
      { numRuns: 2000 },
    );
  });

  it('canonicalizeUrl never throws and gives a parseable http(s) URL or null', () => {
    fc.assert(
      fc.property(hrefs, (href) => {
        const result = canonicalizeUrl(href);
        if (result) {
          expect(new URL(result.url).protocol).toMatch(/^https?:$/);
          expect(result.domain.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('classifyLinks gives one bounded result per link for any text', () => {
    const links = fc.array(
      fc.record({
        url: fc.webUrl(),
        text: fc.string({ maxLength: 300 }),
        context: fc.string({ maxLength: 600 }),
        heading: fc.string({ maxLength: 100 }),
        isImage: fc.boolean(),
        needsNetwork: fc.boolean(),
        firstPosition: fc.nat(1000),
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(links, fc.array(fc.domain(), { maxLength: 3 }), (raw, senderDomains) => {
        const input: UnclassifiedLink[] = raw.map((entry) => {
          const host = new URL(entry.url).hostname;
          return {
            ...entry,
            host,
            domain: host,
            tracker: entry.needsNetwork ? 'x' : null,
            occurrences: 1,
            originalHref: entry.url,
          };
        });
        const results = classifyLinks(input, { senderDomains });
        expect(results).toHaveLength(input.length);
        for (const result of results) {
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(1);
          expect(result.features.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
