/** A small typed factory for result rows in unit tests. */
import type { ResultRow } from '../../src/core/agent/result-row.ts';

export function row(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    id: 'L1',
    name: 'Quillmark',
    url: 'https://quillmark.dev/',
    host: 'quillmark.dev',
    domain: 'quillmark.dev',
    sentence: 'Quillmark raised a $6M seed.',
    status: 'not-in-crm',
    evidence: [],
    companyId: null,
    companyName: null,
    confidence: 0.8,
    decidedBy: 'rules',
    reason: 'anchor names a company',
    ...overrides,
  };
}
