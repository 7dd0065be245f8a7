/**
 * The results table's rows and what can be done with them (rank, sort, filter, export), as plain
 * functions: the Svelte table and the job state are thin over these.
 */
import type { CrmStatus } from '../../core/crm/types.ts';
import { writeCsv } from '../../core/text/spreadsheet-csv.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';
import { companyWebsite } from '../../core/links/types.ts';

export type SortKey = 'confidence' | 'name' | 'status' | 'order';
export type SortDirection = 'ascending' | 'descending';

/** One collator for every comparison: `localeCompare` with options builds a new one per call (100× slower). */
const nameOrder = new Intl.Collator(undefined, { sensitivity: 'base' });

const STATUS_ORDER: Record<CrmStatus, number> = { 'not-in-crm': 0, possible: 1, 'in-crm': 2 };

/** Sorts a copy; ties keep the newsletter's order so the table never jumps around. */
export function sortRows(
  rows: readonly ResultRow[],
  key: SortKey,
  direction: SortDirection,
  order: ReadonlyMap<string, number> = new Map(rows.map((row, index) => [row.id, index])),
): ResultRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const position = (row: ResultRow) => order.get(row.id) ?? 0;
  const compare: Record<SortKey, (a: ResultRow, b: ResultRow) => number> = {
    confidence: (a, b) => a.confidence - b.confidence,
    name: (a, b) => nameOrder.compare(a.name, b.name),
    status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
    order: (a, b) => position(a) - position(b),
  };
  return [...rows].sort((a, b) => sign * compare[key](a, b) || position(a) - position(b));
}

export function isNew(row: ResultRow): boolean {
  return row.status === 'not-in-crm';
}

export const STATUS_LABEL: Record<CrmStatus, string> = {
  'in-crm': 'In CRM',
  possible: 'Possible match',
  'not-in-crm': 'New',
};

/**
 * What the row says under the company's name: the host of its site, or, for a link behind a tracker (no domain), that
 * its address is hidden: the tracker's host is not the company's website.
 */
export function whereText(row: ResultRow): string {
  return row.domain ? row.host : `address hidden by a tracker (${row.host})`;
}

export function evidenceText(row: ResultRow): string {
  if (row.evidence.length === 0) {
    if (row.status !== 'not-in-crm') return '';
    return row.domain ? 'no domain or name match' : 'no name match';
  }
  return row.evidence.join('; ');
}

const CSV_COLUMNS = [
  'company',
  'website',
  'link',
  'host',
  'sentence',
  'crm_status',
  'crm_evidence',
  'crm_company',
  'confidence',
  'decided_by',
  'promoted',
  'sponsored',
] as const;

function exportRecord(row: ResultRow): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    company: row.name,
    website: companyWebsite(row),
    link: row.url,
    host: row.host,
    sentence: row.sentence,
    crm_status: row.status,
    crm_evidence: evidenceText(row),
    crm_company: row.companyName ?? '',
    confidence: row.confidence.toFixed(2),
    decided_by: row.decidedBy,
    promoted: row.promoted ? 'yes' : '',
    sponsored: row.sponsored ? 'yes' : '',
  };
}

/** CSV for spreadsheets and CRM imports; `writeCsv` defuses formula-like cells (newsletter text is untrusted). */
export function rowsToCsv(rows: readonly ResultRow[]): string {
  return writeCsv(
    CSV_COLUMNS,
    rows.map((row) => CSV_COLUMNS.map((column) => exportRecord(row)[column])),
  );
}

export function rowsToJson(rows: readonly ResultRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      company: row.name,
      website: companyWebsite(row) || null,
      link: row.url,
      host: row.host,
      domain: row.domain,
      sentence: row.sentence,
      crm: { status: row.status, evidence: row.evidence, companyId: row.companyId, companyName: row.companyName },
      confidence: Number(row.confidence.toFixed(3)),
      decidedBy: row.decidedBy,
      reason: row.reason,
      promoted: row.promoted === true,
      sponsored: row.sponsored === true,
    })),
    null,
    2,
  );
}

/** Tab-separated, for pasting straight into a spreadsheet or a message. */
export function rowsToClipboardText(rows: readonly ResultRow[]): string {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ').trim();
  const lines = rows.map((row) =>
    [row.name, companyWebsite(row), STATUS_LABEL[row.status], evidenceText(row), row.sentence, row.url]
      .map(clean)
      .join('\t'),
  );
  return ['Company\tWebsite\tCRM\tEvidence\tSentence\tLink', ...lines].join('\n');
}
