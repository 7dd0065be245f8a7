import { describe, expect, it } from 'vitest';
import { row } from '../../tests/support/result-row.ts';
import {
  HISTORY_LIMIT,
  indexWithRun,
  indexWithout,
  parseIndex,
  parseRun,
  summarise,
  type SavedRun,
} from './history.ts';

function savedRun(overrides: Partial<SavedRun> = {}): SavedRun {
  return {
    id: 'r1',
    title: 'The Frontier Letter',
    startedAt: 1000,
    finishedAt: 2000,
    mode: 'tools-only',
    report: { format: 'html', warnings: [], stats: { bytes: 10, occurrences: 2, ms: 1 }, linkCount: 2 },
    rows: [
      row({ sentence: 'Quillmark raised a seed.', reason: '' }),
      row({
        id: 'L2',
        name: 'Tidewater',
        url: 'https://tidewater.io/',
        host: 'tidewater.io',
        domain: 'tidewater.io',
        sentence: 'Tidewater closed a Series A.',
        status: 'in-crm',
        evidence: ['domain tidewater.io'],
        companyId: 'c1',
        companyName: 'Tidewater',
        confidence: 0.9,
        reason: '',
      }),
    ],
    ...overrides,
  };
}

describe('history index', () => {
  it('summarises a run with its row and new counts', () => {
    expect(summarise(savedRun())).toEqual({
      id: 'r1',
      title: 'The Frontier Letter',
      finishedAt: 2000,
      mode: 'tools-only',
      rowCount: 2,
      newCount: 1,
    });
  });

  it('puts a saved run first, replaces an older copy of it, and drops what falls past the limit', () => {
    let index = indexWithRun([], savedRun({ id: 'a', finishedAt: 1 })).index;
    index = indexWithRun(index, savedRun({ id: 'b', finishedAt: 2 })).index;
    const resaved = indexWithRun(index, savedRun({ id: 'a', finishedAt: 3, title: 'again' }));
    expect(resaved.index.map((entry) => [entry.id, entry.title])).toEqual([
      ['a', 'again'],
      ['b', 'The Frontier Letter'],
    ]);
    const full = indexWithRun(resaved.index, savedRun({ id: 'c', finishedAt: 4 }), 2);
    expect(full.index.map((entry) => entry.id)).toEqual(['c', 'a']);
    expect(full.dropped).toEqual(['b']);
    expect(HISTORY_LIMIT).toBeGreaterThan(10);
  });

  it('removes one run from the index', () => {
    const { index } = indexWithRun([summarise(savedRun({ id: 'x' }))], savedRun({ id: 'y' }));
    expect(indexWithout(index, 'x').map((entry) => entry.id)).toEqual(['y']);
  });

  it('reads back only well-formed entries, once each, newest first, from whatever was stored', () => {
    const good = summarise(savedRun({ id: 'ok', finishedAt: 5 }));
    const newer = summarise(savedRun({ id: 'new', finishedAt: 9 }));
    expect(parseIndex([good, { id: 'broken' }, null, 'text', newer, { ...good, title: 'duplicate' }])).toEqual([
      newer,
      good,
    ]);
    expect(parseIndex(undefined)).toEqual([]);
    expect(parseIndex({ not: 'an array' })).toEqual([]);
  });
});

describe('parseRun', () => {
  it('accepts a saved run and rejects damaged ones instead of showing them half-way', () => {
    expect(parseRun(savedRun())).toEqual(savedRun());
    expect(parseRun(undefined)).toBeUndefined();
    expect(parseRun({ ...savedRun(), rows: [{ id: 'L1' }] })).toBeUndefined();
    expect(parseRun({ ...savedRun(), mode: 'turbo' })).toBeUndefined();
    const [first] = savedRun().rows;
    expect(parseRun({ ...savedRun(), rows: [{ ...first, confidence: 3 }] })).toBeUndefined();
  });
});
