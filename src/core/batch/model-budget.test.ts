import { describe, expect, it } from 'vitest';
import { splitCandidates } from '../agent/candidates.ts';
import { judgeMaxTokens } from '../agent/judge-batches.ts';
import type { LinkCandidate } from '../links/types.ts';
import { addWork, judgeTimeMs, judgeWork, NO_WORK } from './model-budget.ts';

function link(id: string, kind: LinkCandidate['kind'], score: number): LinkCandidate {
  return {
    id,
    url: `https://${id}.io`,
    domain: `${id}.io`,
    host: `${id}.io`,
    kind,
    score,
    text: id,
    context: `${id} raised money.`,
    features: [],
  } as unknown as LinkCandidate;
}

describe('the model budget', () => {
  it('counts only the links the job would send to the model, with each call’s answer limit', () => {
    const links = [link('sure', 'startup', 0.95), link('maybe', 'startup', 0.6), link('other', 'other', 0.4)];
    const uncertain = splitCandidates(links).uncertain.length;
    expect(uncertain).toBeGreaterThan(0);
    const work = judgeWork(links);
    expect(work.links).toBe(uncertain);
    expect(work.calls).toBe(1);
    expect(work.outputTokens).toBe(judgeMaxTokens(uncertain));
    expect(judgeWork([link('sure', 'startup', 0.95)])).toEqual(NO_WORK);
  });

  it('splits 31 unsure links into two calls, and adds newsletters up', () => {
    const many = Array.from({ length: 31 }, (_, i) => link(`l${i}`, 'startup', 0.6));
    const work = judgeWork(many);
    expect(work.calls).toBe(2);
    expect(work.outputTokens).toBe(judgeMaxTokens(30) + judgeMaxTokens(1));
    expect(addWork(work, work)).toEqual({
      links: 62,
      calls: 4,
      promptTokens: work.promptTokens * 2,
      outputTokens: work.outputTokens * 2,
    });
  });

  it('estimates time from the measured speeds, and only with a measured decode speed', () => {
    const work = { links: 10, calls: 1, promptTokens: 1000, outputTokens: 200 };
    expect(judgeTimeMs(work, { model: 'm', prefillTokensPerS: 500, decodeTokensPerS: 20 })).toBe(12_000);
    expect(judgeTimeMs(work, { model: 'm', prefillTokensPerS: null, decodeTokensPerS: 20 })).toBe(60_000);
    expect(judgeTimeMs(work, { model: 'm', prefillTokensPerS: 500, decodeTokensPerS: null })).toBeNull();
    expect(judgeTimeMs(work, null)).toBeNull();
  });
});
