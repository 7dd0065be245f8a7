import { describe, expect, it } from 'vitest';
import { makeCorrection } from './correction.ts';
import type { Correction } from './correction.ts';
import { CorrectionsFileError, exportCorrections, previewMerge, readCorrectionsFile } from './exchange.ts';

const mark = (domain: string, day: number, kind: Correction['kind'] = 'not-startup'): Correction =>
  makeCorrection(
    kind,
    { domain, name: domain, sender: 'weekly.example', features: ['bias', `anchor:${domain}`], score: 0.8 },
    { date: new Date(Date.UTC(2026, 11, day)), source: 'results table: Weekly #1' },
  );

describe('corrections files', () => {
  it('an export reads back as the same corrections', () => {
    const mine = [mark('acme.com', 1), mark('gizmo.io', 2, 'is-startup')];
    const text = exportCorrections(mine, new Date(Date.UTC(2026, 11, 5)));
    expect(readCorrectionsFile(text, 'team.json')).toEqual({ corrections: mine, rejected: 0 });
  });

  it('refuses files that are not corrections with a clear message', () => {
    expect(() => readCorrectionsFile('{oops', 'team.json')).toThrow(
      /team\.json is not a Sift corrections file: it is not JSON/,
    );
    expect(() => readCorrectionsFile('[1,2]', 'crm.json')).toThrow(/crm\.json is not a Sift corrections file/);
    expect(() =>
      readCorrectionsFile('{"app":"sift","kind":"corrections","format":9,"corrections":[]}', 'new.json'),
    ).toThrow(/another version of Sift \(format 9/);
    const damaged = JSON.stringify({ app: 'sift', kind: 'corrections', format: 1, corrections: [{ id: 'x' }] });
    expect(() => readCorrectionsFile(damaged, 'bad.json')).toThrow(CorrectionsFileError);
    expect(() => readCorrectionsFile(damaged, 'bad.json')).toThrow(/None of the 1 entries/);
  });

  it('previews a merge: new ones added, newer ones replace, older ones are left out, nothing lost', () => {
    const mine = [mark('acme.com', 3), mark('gizmo.io', 3)];
    const theirs = readCorrectionsFile(
      exportCorrections(
        [mark('acme.com', 1, 'is-startup'), mark('gizmo.io', 4, 'is-startup'), mark('new.ai', 2)],
        new Date(),
      ),
      'team.json',
    );
    const preview = previewMerge(mine, { ...theirs, rejected: 2 }, 'imported from team.json');
    expect(preview.added.map((item) => item.domain)).toEqual(['new.ai']);
    expect(preview.replacing.map(({ incoming, current }) => [incoming.kind, current.kind])).toEqual([
      ['is-startup', 'not-startup'],
    ]);
    expect(preview.kept).toBe(1);
    expect(preview.rejected).toBe(2);
    expect(preview.merged.map((item) => `${item.domain} ${item.kind}`).sort()).toEqual([
      'acme.com not-startup',
      'gizmo.io is-startup',
      'new.ai not-startup',
    ]);
    expect(preview.added[0]!.source).toBe('imported from team.json (results table: Weekly #1)');
  });
});
