import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnclassifiedLink } from './classify.ts';
import { documentFacts, featureCount, readLink } from './features.ts';

const linkArbitrary = fc.record({
  url: fc.webUrl(),
  host: fc.domain(),
  domain: fc.domain(),
  text: fc.string({ maxLength: 200 }),
  context: fc.string({ maxLength: 400 }),
  heading: fc.string({ maxLength: 80 }),
  isImage: fc.boolean(),
  needsNetwork: fc.boolean(),
  tracker: fc.option(fc.constantFrom('beehiiv', 'mailchimp', 'substack')),
  occurrences: fc.integer({ min: 1, max: 5 }),
  firstPosition: fc.nat(1000),
  originalHref: fc.webUrl(),
}) satisfies fc.Arbitrary<UnclassifiedLink>;

describe('readLink (feature extraction)', () => {
  it('never throws and stays inside the feature space', () => {
    fc.assert(
      fc.property(linkArbitrary, fc.string({ maxLength: 40 }), (link, path) => {
        const reading = readLink(link, `/${path}`, documentFacts([link], new Set(['letter'])));
        for (const index of reading.vector.indices) {
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThan(featureCount);
        }
        expect(reading.vector.values.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same features for the same input', () => {
    fc.assert(
      fc.property(linkArbitrary, (link) => {
        const facts = documentFacts([link], new Set());
        expect(readLink(link, '/', facts)).toEqual(readLink({ ...link }, '/', facts));
      }),
      { numRuns: 200 },
    );
  });
});
