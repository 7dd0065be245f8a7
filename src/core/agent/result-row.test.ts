import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { MatchResult } from '../crm/types.ts';
import { company, linkCandidate } from '../bench/sandbox.ts';
import { onePerCompany, resultRow, ResultRowSchema } from './result-row.ts';
import { row } from '../../../tests/support/result-row.ts';

const link = linkCandidate({
  id: 'L3',
  domain: 'quillmark.dev',
  host: 'www.quillmark.dev',
  url: 'https://www.quillmark.dev/launch',
  context: 'Quillmark raised a $6M seed.',
  score: 0.87654,
  features: ['anchor names a company', 'funding words nearby'],
});

const inCrm: MatchResult = {
  status: 'in-crm',
  company: company({ id: 'c7', name: 'Quillmark Inc', domain: 'quillmark.dev' }),
  evidence: [{ kind: 'domain', detail: 'domain quillmark.dev' }],
};

describe('resultRow: the row the table shows, built once from the link, the decision and the match', () => {
  it('carries every field the table, the exports and history need, from the link itself', () => {
    const row = resultRow(link, { name: 'Quillmark', decidedBy: 'model' }, inCrm);
    expect(row).toEqual({
      id: 'L3',
      name: 'Quillmark',
      url: 'https://www.quillmark.dev/launch',
      host: 'www.quillmark.dev',
      domain: 'quillmark.dev',
      sentence: 'Quillmark raised a $6M seed.',
      status: 'in-crm',
      evidence: ['domain quillmark.dev'],
      companyId: 'c7',
      companyName: 'Quillmark Inc',
      confidence: 0.877,
      decidedBy: 'model',
      reason: 'anchor names a company; funding words nearby',
    });
    expect(Value.Check(ResultRowSchema, row)).toBe(true);
  });

  it('is new without a match, named by its domain when no name was found, and its confidence stays in 0..1', () => {
    const row = resultRow({ ...link, score: 1.4 }, { name: '', decidedBy: 'rules' }, undefined);
    expect(row).toMatchObject({ name: 'quillmark.dev', status: 'not-in-crm', evidence: [], companyId: null });
    expect(row.confidence).toBe(1);
    expect(resultRow({ ...link, score: -0.2 }, { name: 'Q', decidedBy: 'rules' }, undefined).confidence).toBe(0);
  });

  it("marks a sponsor's row, and only a sponsor's, so the table and exports can say it was paid placement", () => {
    const sponsor = resultRow({ ...link, kind: 'sponsor' }, { name: 'Quillmark', decidedBy: 'rules' }, undefined);
    expect(sponsor.sponsored).toBe(true);
    expect(Value.Check(ResultRowSchema, sponsor)).toBe(true);
    expect('sponsored' in resultRow(link, { name: 'Quillmark', decidedBy: 'rules' }, undefined)).toBe(false);
  });

  it('the schema refuses a row that lost a field or carries an unknown status', () => {
    const row = resultRow(link, { name: 'Quillmark', decidedBy: 'rules' }, undefined);
    const { host: _host, ...withoutHost } = row;
    expect(Value.Check(ResultRowSchema, withoutHost)).toBe(false);
    expect(Value.Check(ResultRowSchema, { ...row, status: 'maybe' })).toBe(false);
  });
});

describe('onePerCompany', () => {
  it('keeps the first row of a company: the same site, or a wrapped link under the same name', () => {
    const rows = [
      row({ id: 'L1', name: 'Quillmark', domain: 'quillmark.dev' }),
      row({ id: 'L2', name: "Quillmark's pricing", domain: 'quillmark.dev' }),
      row({ id: 'L3', name: 'Vulcan Elements', domain: '' }),
      row({ id: 'L4', name: 'Vulcan Elements', domain: '' }),
      // A wrapped link named like a direct one is that company.
      row({ id: 'L5', name: 'Quillmark', domain: '' }),
      // Two sites under one name may be two companies.
      row({ id: 'L6', name: 'Quillmark', domain: 'quillmark.io' }),
    ];
    expect(onePerCompany(rows).map((kept) => kept.id)).toEqual(['L1', 'L3', 'L6']);
  });

  it('leaves out of the Maybe group a company the table already shows', () => {
    const table = [row({ id: 'L1', name: 'Quillmark', domain: 'quillmark.dev' })];
    const maybe = [
      row({ id: 'L2', name: 'Quillmark docs', domain: 'quillmark.dev' }),
      row({ id: 'L3', name: 'Harborly', domain: 'harborly.io' }),
    ];
    expect(onePerCompany(maybe, table).map((kept) => kept.id)).toEqual(['L3']);
  });
});
