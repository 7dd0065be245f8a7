/** Sift's own CSV of the whole CRM, which re-imports to the same companies. */
import Papa from 'papaparse';
import type { Company } from '../types.ts';

/** What the export escapes: a formula start, possibly behind quotes that would otherwise be eaten on re-import. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** A cell the export escaped: what import strips the leading `'` from again. */
export const FORMULA_ESCAPED = /^''*[=+\-@\t\r]/;

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

/**
 * Cells that start with `=`, `+`, `-` or `@` get a leading `'` so a spreadsheet shows them instead of
 * running them as formulas (a newsletter wrote those names, not the user); import removes it again.
 */
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
  return Papa.unparse({ fields: [...EXPORT_HEADERS], data: rows }, { escapeFormulae: FORMULA_START, newline: '\r\n' });
}
