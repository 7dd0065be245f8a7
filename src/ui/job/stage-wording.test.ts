import { describe, expect, it } from 'vitest';
import { crmDetail, linksDetail } from './stage-wording.ts';

describe('progress wording', () => {
  it('counts one sure startup in the singular', () => {
    expect(linksDetail({ links: 25, ms: 145, unwrapped: 25, hidden: 0, certain: 1, uncertain: 1, excluded: 23 })).toBe(
      '25 distinct links in 145 ms, 25 unwrapped from trackers, 1 sure startup, 1 uncertain.',
    );
  });

  it('does not call links unwrapped whose tracker hides the address', () => {
    expect(linksDetail({ links: 60, ms: 352, unwrapped: 0, hidden: 58, certain: 0, uncertain: 8, excluded: 52 })).toBe(
      '60 distinct links in 352 ms, 58 with the address hidden by a tracker, 0 sure startups, 8 uncertain.',
    );
  });

  it('says the CRM counts are of candidates: an uncertain one that ends under Maybe was checked too', () => {
    expect(crmDetail({ checked: 2, inCrm: 0, possible: 0, notInCrm: 2 })).toBe(
      '2 candidates checked: 0 in the CRM, 0 possible, 2 not in it.',
    );
    expect(crmDetail({ checked: 1, inCrm: 1, possible: 0, notInCrm: 0 })).toBe(
      '1 candidate checked: 1 in the CRM, 0 possible, 0 not in it.',
    );
  });
});
