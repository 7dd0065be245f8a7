import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyWords, fundingAcross, moneyAmount, parsePath, sentenceWords, startupWords } from './signals.ts';

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

/** Pieces that end or start a match across the space joining an anchor to its sentence, and their near misses. */
const joinPieces = [
  ...pieces,
  'Series',
  'series',
  'A',
  'g',
  'by',
  'byte',
  'valued',
  'at',
  'Y',
  'xy',
  'Combinator',
  'YC',
  'W24',
  '24',
  'jeune',
  'pousse',
  '$',
  '€ ',
  '5',
  '.5',
  '5.',
  'M',
  'million',
  'bn',
  '\n',
];

describe('fundingAcross', () => {
  it('says what companyWords or moneyAmount say of the anchor and its sentence joined by a space', () => {
    const part = fc.array(fc.constantFrom(...joinPieces), { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(part, part, (text, context) => {
        const both = `${text} ${context}`;
        const textFunding = companyWords.test(text) || moneyAmount.test(text);
        expect(fundingAcross(text, textFunding, context, sentenceWords(context))).toBe(
          companyWords.test(both) || moneyAmount.test(both),
        );
      }),
      { numRuns: 20000 },
    );
  });

  it('finds a match that only the joined text holds', () => {
    for (const [text, context] of [
      ['Acme closes its Series', 'A round'],
      ['Acme is backed', 'by Sequoia'],
      ['Gizmo (Y', 'Combinator W24)'],
      ['Quillmate (YC', 'W24)'],
      ['Une jeune', 'pousse'],
      ['Acme, valued', 'at'],
      ['Acme raised $', '5M'],
      ['Acme raised $5', 'million'],
    ] as const) {
      expect(fundingAcross(text, false, context, sentenceWords(context))).toBe(true);
    }
    expect(fundingAcross('Acme closes its Series', false, 'of talks', sentenceWords('of talks'))).toBe(false);
  });
});

describe('parsePath', () => {
  /** URL text with the characters that move a path's edges: slashes, queries, fragments, escapes, dots, ports. */
  const urlText = fc
    .array(
      fc.constantFrom('a', 'B', '/', '?', '#', '%2F', '%', '.', '..', '@', ':', '8080', '\\', ' ', 'é', '=', '&'),
      {
        maxLength: 14,
      },
    )
    .map((pieces) => pieces.join(''));

  it('reads a serialized http(s) URL as URL does, whatever its host, query and fragment hold', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http://', 'https://', 'HTTPS://', 'ftp://', 'mailto:'),
        fc.webUrl(),
        urlText,
        urlText,
        (scheme, web, head, tail) => {
          const written = `${scheme}${web.replace(/^https?:\/\//, '')}${head}${tail}`;
          if (!URL.canParse(written)) return;
          const serialized = new URL(written).href;
          expect(parsePath(serialized)).toBe(new URL(serialized).pathname);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('parses what is not serialized, and gives / for what is not a URL', () => {
    expect(parsePath('https://acme.com?next=/pricing')).toBe('/');
    expect(parsePath('https://acme.com#/pricing')).toBe('/');
    expect(parsePath('https://acme.com\\pricing')).toBe('/pricing');
    expect(parsePath('https://acme.com\\docs/start')).toBe('/docs/start');
    expect(parsePath('https://acme.com/a/?b#c')).toBe('/a/');
    expect(parsePath('not a url')).toBe('/');
  });
});
