/**
 * The end-to-end tests of the Maybe group, corrections and the batch's model budget paste made-up newsletters whose
 * point is a link the rules are unsure of. Their scores come from the committed weights, so a retrain can move such a
 * link out of the band its test needs, and that test would then fail minutes later as a timeout in Chromium. Here the
 * same newsletters go through the same pipeline and each link's band is checked in seconds, naming the test that
 * needs it.
 */
import { describe, expect, it } from 'vitest';
import { unsureMessage } from '../../../tests/e2e/batch-mail.ts';
import { CORRECTIONS_NEWSLETTER, MAYBE_NEWSLETTER } from '../../../tests/e2e/unsure-newsletters.ts';
import { rulesSayStartup, splitCandidates } from '../agent/candidates.ts';
import { extractLinks } from './pipeline.ts';
import type { LinkCandidate } from './types.ts';

type Band = 'sure startup' | 'unsure, leaning startup' | 'unsure, turned down' | 'sure other';

function bandOf(link: LinkCandidate): Band {
  const split = splitCandidates([link]);
  if (split.certain.length > 0) return 'sure startup';
  if (split.excluded.length > 0) return 'sure other';
  return rulesSayStartup(link) ? 'unsure, leaning startup' : 'unsure, turned down';
}

const fixtures: Array<{ usedBy: string; input: () => Promise<LinkCandidate[]>; bands: Record<string, Band> }> = [
  {
    usedBy: 'tests/e2e/maybe.spec.ts',
    input: async () => (await extractLinks(MAYBE_NEWSLETTER, { format: 'html' })).links,
    bands: {
      'quillmark.dev': 'sure startup',
      'tidewaterrobotics.io': 'sure startup',
      'pebblecart.app': 'sure startup',
      'xn--qullmark-uhh.dev': 'unsure, turned down',
      'harborly.io': 'unsure, turned down',
    },
  },
  {
    usedBy: 'tests/e2e/corrections.spec.ts',
    input: async () => (await extractLinks(CORRECTIONS_NEWSLETTER, { format: 'html' })).links,
    bands: {
      'quillmark.dev': 'sure startup',
      'tidewaterrobotics.io': 'sure startup',
      'pebblecart.app': 'sure startup',
      'harborly.io': 'unsure, turned down',
      'ferngrove.net': 'sure other',
    },
  },
  {
    usedBy: 'tests/e2e/batch.spec.ts and src/ui/batch/batch-state.svelte.test.ts',
    input: async () => (await extractLinks(unsureMessage(0), { fileName: 'unsure.eml' })).links,
    bands: {
      'quillmate.io': 'sure startup',
      'nimbusfold.com': 'unsure, leaning startup',
      'kelpstack.dev': 'unsure, turned down',
    },
  },
];

describe('the made-up newsletters of the end-to-end tests keep each link in the band its test needs', () => {
  for (const fixture of fixtures) {
    it(fixture.usedBy, async () => {
      const links = await fixture.input();
      const found = Object.fromEntries(
        Object.keys(fixture.bands).map((domain) => {
          const link = links.find((candidate) => candidate.domain === domain);
          return [domain, link ? `${bandOf(link)} (${link.score.toFixed(2)})` : 'missing'];
        }),
      );
      const wanted = Object.fromEntries(
        Object.entries(fixture.bands).map(([domain, band]) => [domain, expect.stringMatching(`^${band} \\(`)]),
      );
      // On failure the message shows each link's band and score beside the band its test needs.
      expect(found).toEqual(wanted);
    });
  }
});
