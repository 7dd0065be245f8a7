import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyWords, moneyAmount, sentenceWords, startupWords } from './signals.ts';

/** Words of both sets and their near misses, so that generated sentences hit the patterns' edges. */
const pieces = [
  'raise',
  'raised',
  'seed',
  'pre-seed',
  'series a',
  'Series B',
  'funding',
  'backed by',
  'vc-backed',
  'investor-backed',
  'valued at',
  'unicorn',
  'acquires',
  'y combinator',
  'yc w24',
  'start-ups',
  'startup',
  'cofounder',
  'co-founders',
  'stealth',
  'lève',
  'levée',
  'jeune pousse',
  'launched',
  'backed',
  'round',
  'beta',
  '$5M',
  'seedling',
  'raisin',
  'x',
  '-',
  ' ',
  ', ',
  '.',
  'é',
];

describe('sentenceWords', () => {
  it('reads funding words as companyWords does, though it asks only where startupWords matched', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const sentence = parts.join('');
        expect(sentenceWords(sentence)).toMatchObject({
          funding: companyWords.test(sentence),
          launch: startupWords.test(sentence),
          money: moneyAmount.test(sentence),
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('finds each funding word alone', () => {
    for (const words of ['backed by Acme', 'a VC-backed firm', 'pre-seed', 'Y Combinator', 'levée de fonds']) {
      expect(sentenceWords(words).funding).toBe(true);
    }
  });
});
