import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../../core/crm/types.ts';
import {
  rowFromCandidate,
  rowsToClipboardText,
  rowsToCsv,
  rowsToJson,
  sortRows,
  startupCandidates,
  type ResultRow,
} from './result-rows.ts';
import { candidate, report, row } from './test-factories.ts';

describe('startupCandidates (tools-only ranking)', () => {
  it('keeps startup links above the score bar, best first, ties in newsletter order', () => {
    const links = [
      candidate({ id: 'L1', kind: 'startup', score: 0.7, firstPosition: 3 }),
      candidate({ id: 'L2', kind: 'social', score: 0.9, firstPosition: 1 }),
      candidate({ id: 'L3', kind: 'startup', score: 0.9, firstPosition: 5 }),
      candidate({ id: 'L4', kind: 'startup', score: 0.3, firstPosition: 0 }),
      candidate({ id: 'L5', kind: 'startup', score: 0.7, firstPosition: 2 }),
    ];
    expect(startupCandidates(report(links)).map((link) => link.id)).toEqual(['L3', 'L5', 'L1']);
    expect(startupCandidates(report(links), 0.2).map((link) => link.id)).toContain('L4');
  });
});

describe('rowFromCandidate', () => {
  it('carries the CRM match and its evidence into the row', () => {
    const match: MatchResult = {
      status: 'in-crm',
      company: {
        id: 'c1',
        name: 'Quillmark Inc',
        domain: 'quillmark.dev',
        aliasDomains: [],
        website: null,
        tags: [],
        source: 'manual',
        notes: '',
        externalId: null,
        createdAt: 0,
        updatedAt: 0,
      },
      evidence: [{ kind: 'domain', detail: 'domain quillmark.dev' }],
    };
    const made = rowFromCandidate(candidate({ name: 'Quillmark', domain: 'quillmark.dev' }), match);
    expect(made).toMatchObject({ status: 'in-crm', companyId: 'c1', companyName: 'Quillmark Inc', decidedBy: 'tools' });
    expect(made.evidence[0]?.detail).toBe('domain quillmark.dev');
  });

  it('falls back to the domain for a nameless link, and clamps a model confidence out of range', () => {
    const made = rowFromCandidate(candidate({ name: '', domain: 'acme.io' }), undefined, 'model', { confidence: 7 });
    expect(made.name).toBe('acme.io');
    expect(made.status).toBe('not-in-crm');
    expect(made.confidence).toBe(1);
  });
});

describe('sortRows', () => {
  const rows: ResultRow[] = [
    row({ id: 'a', name: 'beta', confidence: 0.5, status: 'in-crm' }),
    row({ id: 'b', name: 'Alpha', confidence: 0.9, status: 'not-in-crm' }),
    row({ id: 'c', name: 'gamma', confidence: 0.5, status: 'possible' }),
  ];
  it('sorts by name case-insensitively, by confidence, by status with new first', () => {
    expect(sortRows(rows, 'name', 'ascending').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, 'confidence', 'descending').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, 'status', 'ascending').map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(sortRows(rows, 'order', 'descending').map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
  it('does not change the rows it was given', () => {
    sortRows(rows, 'name', 'descending');
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('exports', () => {
  const rows = [
    row({ name: 'Quillmark', url: 'https://quillmark.dev/', sentence: 'Quillmark raised, "big" round,\nyes.' }),
    row({ id: 'L2', name: '=HYPERLINK("http://evil.example")', status: 'in-crm' }),
  ];

  it('writes a CSV that parses back to the same cells, with formulas defused', () => {
    const parsed = Papa.parse<Record<string, string>>(rowsToCsv(rows), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toMatchObject({
      company: 'Quillmark',
      website: 'https://quillmark.dev/',
      sentence: 'Quillmark raised, "big" round,\nyes.',
      crm_status: 'not-in-crm',
    });
    expect(parsed.data[1]?.company.startsWith("'=")).toBe(true);
  });

  it('writes JSON with the evidence and rounded confidence', () => {
    const [first] = JSON.parse(rowsToJson(rows)) as { crm: { status: string }; confidence: number }[];
    expect(first?.crm.status).toBe('not-in-crm');
    expect(first?.confidence).toBe(0.8);
  });

  it('copies tab-separated lines with no stray tabs or newlines inside a cell', () => {
    const lines = rowsToClipboardText(rows).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]?.split('\t')).toHaveLength(5);
  });
});
