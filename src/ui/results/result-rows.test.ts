import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../core/agent/result-row.ts';
import { evidenceText, rowsToClipboardText, rowsToCsv, rowsToJson, sortRows, whereText } from './result-rows.ts';
import { row } from '../../../tests/support/result-row.ts';

describe('evidenceText', () => {
  it('joins the match evidence, and says plainly when a new row matched nothing', () => {
    expect(evidenceText(row({ status: 'in-crm', evidence: ['domain quillmark.dev', 'name ≈ 0.93'] }))).toBe(
      'domain quillmark.dev; name ≈ 0.93',
    );
    expect(evidenceText(row({ status: 'not-in-crm', evidence: [] }))).toBe('no domain or name match');
    // Behind a tracker there was no domain to match on.
    expect(evidenceText(row({ status: 'not-in-crm', evidence: [], domain: '' }))).toBe('no name match');
  });
});

describe('whereText', () => {
  it("shows the site's host, and for a link behind a tracker says the address is hidden", () => {
    expect(whereText(row({ host: 'www.quillmark.dev', domain: 'quillmark.dev' }))).toBe('www.quillmark.dev');
    expect(whereText(row({ host: 'u1.ct.sendgrid.net', domain: '' }))).toBe(
      'address hidden by a tracker (u1.ct.sendgrid.net)',
    );
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

describe('exports mark the rows the person promoted from Maybe and the newsletter marks as sponsors', () => {
  it.each([
    ['promoted', { promoted: true }],
    ['sponsored', { sponsored: true }],
  ] as const)('%s, in CSV and JSON', (column, marked) => {
    const rows = [row(), row({ id: 'L2', name: 'Tiny Rocket', ...marked })];
    const parsed = Papa.parse<Record<string, string>>(rowsToCsv(rows), { header: true });
    expect(parsed.data.map((record) => record[column])).toEqual(['', 'yes']);
    const json = JSON.parse(rowsToJson(rows)) as Array<Record<string, boolean>>;
    expect(json.map((item) => item[column])).toEqual([false, true]);
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
    expect(parsed.data[1]?.company).toMatch(/^'=/);
  });

  it('writes JSON with the evidence and rounded confidence', () => {
    const [first] = JSON.parse(rowsToJson(rows)) as { crm: { status: string }; confidence: number }[];
    expect(first?.crm.status).toBe('not-in-crm');
    expect(first?.confidence).toBe(0.8);
  });

  it('copies tab-separated lines with no stray tabs or newlines inside a cell', () => {
    const lines = rowsToClipboardText(rows).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]?.split('\t')).toHaveLength(6);
  });

  it("leaves the website empty behind a tracker and keeps the newsletter's link in its own column", () => {
    const tracked = row({
      name: 'Loomwise',
      url: 'https://u1.ct.sendgrid.net/ls/click?upn=reader-42',
      host: 'u1.ct.sendgrid.net',
      domain: '',
    });
    const [direct, hidden] = Papa.parse<Record<string, string>>(rowsToCsv([rows[0]!, tracked]), {
      header: true,
    }).data;
    expect(direct).toMatchObject({ website: 'https://quillmark.dev/', link: 'https://quillmark.dev/' });
    expect(hidden).toMatchObject({ website: '', link: tracked.url });
    const [json] = JSON.parse(rowsToJson([tracked])) as Array<{ website: string | null; link: string }>;
    expect(json).toEqual(expect.objectContaining({ website: null, link: tracked.url }));
    const cells = rowsToClipboardText([tracked]).split('\n')[1]!.split('\t');
    expect(cells[1]).toBe('');
    expect(cells.at(-1)).toBe(tracked.url);
  });
});
