/** Sift's own CSV of the whole CRM, which re-imports to the same companies. */
import { writeCsv } from '../../text/spreadsheet-csv.ts';
import type { Company } from '../types.ts';

/** Sift's own CSV columns, in order. Re-importing this file gives back the same companies. */
export const EXPORT_HEADERS = [
  'name',
  'domain',
  'alias_domains',
  'website',
  'tags',
  'notes',
  'source',
  'external_id',
  'sift_id',
  'created_at',
  'updated_at',
] as const;

/** Formula-like cells are defused by `writeCsv` (a newsletter wrote those names); import undoes it. */
export function companiesToCsv(companies: Iterable<Company>): string {
  const rows: string[][] = [];
  for (const company of companies) {
    rows.push([
      company.name,
      company.domain ?? '',
      company.aliasDomains.join('; '),
      company.website ?? '',
      company.tags.join('; '),
      company.notes,
      company.source,
      company.externalId ?? '',
      company.id,
      new Date(company.createdAt).toISOString(),
      new Date(company.updatedAt).toISOString(),
    ]);
  }
  return writeCsv(EXPORT_HEADERS, rows);
}
