import { describe, expect, it } from 'vitest';
import type { Company } from '../../core/crm/types.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';
import { rowsAfterAsk } from './rows-after-ask.ts';

function row(id: string, domain: string, status: ResultRow['status'], companyId: string | null = null): ResultRow {
  return {
    id,
    name: domain.split('.')[0]!,
    url: `https://${domain}/`,
    host: domain,
    domain,
    sentence: `${domain} raised a round.`,
    status,
    evidence: [],
    companyId,
    companyName: null,
    confidence: 0.9,
    decidedBy: 'rules',
    reason: '',
  };
}

function company(id: string, name: string, domain: string | null, aliasDomains: string[] = []): Company {
  return {
    id,
    name,
    domain,
    aliasDomains,
    website: null,
    tags: ['newsletter-nov'],
    source: 'sift:newsletter',
    notes: '',
    externalId: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('rowsAfterAsk', () => {
  it('returns the rows to replace: new or possible rows whose domain (or alias) the Ask wrote', () => {
    const rows = [
      row('L1', 'gripwise.io', 'not-in-crm'),
      row('L2', 'tidewater.io', 'possible'),
      row('L3', 'quillmark.dev', 'not-in-crm'),
      row('L4', 'ferrous.ai', 'in-crm', 'c-ferrous'),
    ];
    const updated = rowsAfterAsk(
      rows,
      [
        company('c-grip', 'Gripwise', 'gripwise.io'),
        company('c-tide', 'Tidewater', 'tidewater.example', ['tidewater.io']),
        company('c-ferrous', 'Ferrous', 'ferrous.ai'),
        company('c-none', 'No site', null),
      ],
      'your local CRM',
    );
    expect(updated.map((item) => [item.id, item.status, item.companyId, item.companyName])).toEqual([
      ['L1', 'in-crm', 'c-grip', 'Gripwise'],
      ['L2', 'in-crm', 'c-tide', 'Tidewater'],
    ]);
    expect(updated[0]!.evidence).toEqual(['written to your local CRM by Ask (domain gripwise.io)']);
  });

  it('changes nothing when the Ask wrote nothing', () => {
    expect(rowsAfterAsk([row('L1', 'gripwise.io', 'not-in-crm')], [], 'CRM')).toEqual([]);
  });
});
