import { describe, expect, it } from 'vitest';
import { averagePrecision } from './links-corpus.ts';
import type { Gold, ReadFile } from './links-corpus.ts';
import type { LinkModel } from '../src/core/links/scorer.ts';

/** A file whose links each carry one feature, `strength`, scored by a model whose only weight is 1. */
function fileOf(links: Array<[strength: number, gold: Gold]>): ReadFile {
  return {
    file: {} as ReadFile['file'],
    inputs: links.map(([strength]) => ({
      known: null,
      reading: {
        vector: { indices: [0], values: [strength], namespaces: [''], words: [''] },
        group: 2 as const,
        guess: {} as never,
        presented: null,
        sponsored: false,
        fired: [],
        shapeKind: null,
      },
    })),
    golds: links.map(([, gold]) => gold),
  };
}

const model: LinkModel = { bias: 0, weights: Float64Array.of(1) };

describe('averagePrecision', () => {
  it('is 1 when every startup is ranked above every other link', () => {
    const read = fileOf([
      [3, 'startup'],
      [2, 'startup'],
      [1, 'other'],
      [0, 'other'],
    ]);
    expect(averagePrecision([{ read, model }])).toBe(1);
  });

  it('averages the precision at each startup: ranks 2 and 4 give (1/2 + 2/4) / 2', () => {
    const read = fileOf([
      [3, 'other'],
      [2, 'startup'],
      [1, 'other'],
      [0, 'startup'],
    ]);
    expect(averagePrecision([{ read, model }])).toBe(0.5);
  });

  it('leaves borderline links out and breaks ties against the startups', () => {
    const read = fileOf([
      [5, 'borderline'],
      [1, 'startup'],
      [1, 'other'],
    ]);
    expect(averagePrecision([{ read, model }])).toBe(0.5);
  });

  it('has no figure without a startup', () => {
    expect(averagePrecision([{ read: fileOf([[1, 'other']]), model }])).toBeNull();
  });
});
