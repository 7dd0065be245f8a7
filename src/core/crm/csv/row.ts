/**
 * One CSV row → a company: cells picked by the confirmed mapping, multi-domain cells split into a
 * domain and aliases, shared hosts (LinkedIn, Crunchbase…) ignored, dates read, and a sentence
 * instead of a company when the row cannot be one.
 */
import { unescapeFormula } from '../../text/spreadsheet-csv.ts';
import { companyFromDraft, type DraftRules, InvalidCompanyError } from '../company.ts';
import { splitList } from '../list-field.ts';
import type { Company } from '../types.ts';
import type { CompanyField, CsvImportPlan, CsvReadContext } from './types.ts';

/**
 * Hosts many companies share: a website column pointing at one of these says nothing about which
 * company it is, and taking it as the domain would merge every such row into one.
 */
const SHARED_HOSTS = new Set([
  'linkedin.com',
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'crunchbase.com',
  'angel.co',
  'wellfound.com',
  'google.com',
  'bit.ly',
  'notion.site',
]);

/** A row with only a website is named after it; shared hosts say nothing about which company a row is. */
const CSV_ROW_RULES: DraftRules = { ignoreDomain: (domain) => SHARED_HOSTS.has(domain), nameFromDomain: true };

function parseDate(cell: string): number | null {
  if (!cell) return null;
  const time = /^\d{10,13}$/.test(cell) ? Number(cell) : Date.parse(cell);
  return Number.isFinite(time) ? time : null;
}

/** One row → a company, or a message saying why the row cannot be one. */
export function companyFromRow(
  row: readonly string[],
  plan: CsvImportPlan,
  context: CsvReadContext,
  usedIds: Set<string>,
): Company | string {
  const cell = (field: CompanyField): string => {
    const column = plan.mapping[field];
    return column === null ? '' : unescapeFormula((row[column] ?? '').trim());
  };
  const name = cell('name');
  const website = cell('website');
  // HubSpot and Attio put several domains in one cell; the first is the primary.
  const domains = splitList(cell('domain'));
  const domain = domains[0] ?? '';
  if (!domain && !website && !name) return 'no company name, domain or website';
  // Only Sift's own export carries ids; other files get fresh ones (and need no duplicate check).
  const siftId = plan.mapping.id === null ? '' : cell('id');
  const id = siftId && !usedIds.has(siftId) ? siftId : context.newId();
  if (siftId) usedIds.add(id);
  let company: Company;
  try {
    company = companyFromDraft(
      {
        name,
        domain: domain || null,
        website: website || null,
        aliasDomains: [...domains.slice(1), ...splitList(cell('aliasDomains'))],
        tags: splitList(cell('tags')),
        source: cell('source') || plan.source,
        notes: cell('notes'),
        externalId: cell('externalId') || null,
      },
      { id, now: context.now },
      CSV_ROW_RULES,
    );
  } catch (error) {
    if (error instanceof InvalidCompanyError) return error.message;
    throw error;
  }
  const createdAt = plan.mapping.createdAt === null ? null : parseDate(cell('createdAt'));
  const updatedAt = plan.mapping.updatedAt === null ? null : parseDate(cell('updatedAt'));
  if (createdAt !== null) company.createdAt = createdAt;
  company.updatedAt = updatedAt ?? company.createdAt;
  return company;
}
