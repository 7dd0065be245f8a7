/** Small typed factories for link reports and result rows in unit tests. */
import type { LinkCandidate, LinkReport } from '../../core/links/types.ts';
import type { ResultRow } from './result-rows.ts';

export function candidate(overrides: Partial<LinkCandidate> = {}): LinkCandidate {
  const domain = overrides.domain ?? 'quillmark.dev';
  return {
    id: 'L1',
    url: `https://${domain}/`,
    host: domain,
    domain,
    kind: 'startup',
    score: 0.8,
    features: ['anchor names a company'],
    name: 'Quillmark',
    text: 'Quillmark',
    context: 'Quillmark raised a $6M seed.',
    heading: 'Funding rounds',
    isImage: false,
    needsNetwork: false,
    tracker: null,
    occurrences: 1,
    firstPosition: 0,
    originalHref: `https://${domain}/`,
    ...overrides,
  };
}

export function report(links: LinkCandidate[], overrides: Partial<LinkReport> = {}): LinkReport {
  return {
    format: 'html',
    links,
    warnings: [],
    stats: { bytes: 1000, occurrences: links.length, ms: 2 },
    ...overrides,
  };
}

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
    decidedBy: 'tools',
    reason: 'anchor names a company',
    ...overrides,
  };
}
