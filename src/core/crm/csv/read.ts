/**
 * The second step of an import: stream the whole file with the mapping the user confirmed,
 * validate each row (bad rows are reported with their line number and skipped) and merge rows that
 * share a domain. Nothing here touches storage: a file that fails to read leaves the CRM as it was
 * by construction.
 */
import Papa from 'papaparse';
import { mergeCompany } from '../company.ts';
import type { Company } from '../types.ts';
import { SEP_LINE } from './preview.ts';
import { companyFromRow } from './row.ts';
import { DecodedTextStream } from './text-stream.ts';
import {
  CsvFileError,
  ImportCancelledError,
  type CsvImportPlan,
  type CsvReadContext,
  type CsvReadResult,
  type RowError,
} from './types.ts';

export const MAX_COMPANIES = 300_000;
export const MAX_REPORTED_ERRORS = 1000;
const MAX_MERGES_KEPT = 20;
/** No company row is this long; one that is has swallowed the file after an unclosed quote. */
const MAX_ROW_CHARS = 4 * 1024 * 1024;

/**
 * Streams a CSV (a Blob in the worker, a string in tests) into companies. Throws CsvFileError when
 * the file as a whole cannot be trusted (a quote never closed), ImportCancelledError when stopped.
 */
export function readCompaniesCsv(
  input: Blob | string,
  plan: CsvImportPlan,
  context: CsvReadContext,
): Promise<CsvReadResult> {
  const blob = typeof input === 'string' ? new Blob([input]) : input;
  const byDomain = new Map<string, number>();
  const companies: Company[] = [];
  const rowErrors: RowError[] = [];
  const usedIds = new Set<string>();
  const mergeCounts = new Map<number, number>();
  let skipped = 0;
  let merged = 0;
  let rows = 0;
  let line = 1;
  let headerSeen = false;
  let headerLength = 0;
  let failure: Error | null = null;
  const hasMapping = Object.values(plan.mapping).some((column) => column !== null);

  const report = (message: string, at: number) => {
    skipped++;
    if (rowErrors.length < MAX_REPORTED_ERRORS) rowErrors.push({ line: at, message });
  };

  return new Promise((resolve, reject) => {
    if (!hasMapping) {
      reject(new CsvFileError('Choose at least the column with the company name or website.'));
      return;
    }
    const stream = new DecodedTextStream(blob, plan.encoding, () => {
      context.onProgress?.({ fraction: stream.bytesRead / Math.max(blob.size, 1), rows });
      if (context.shouldStop?.() && !failure) failure = new ImportCancelledError();
    });
    // Papa's types know only Node streams; it duck-types `readable`, `read` and `on`.
    Papa.parse<string[]>(stream as unknown as File, {
      delimiter: plan.delimiter,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (!failure && stream.charsEmitted - results.meta.cursor > MAX_ROW_CHARS)
          failure = new CsvFileError(
            `Line ${line}: a quoted value starts here and is never closed (a " without its partner), so the rest of the file cannot be read reliably. Nothing was imported; your CRM is unchanged. Fix that line and import again.`,
          );
        if (failure) {
          stream.stop();
          parser.abort();
          return;
        }
        const quoteError = results.errors.find((error) => error.code === 'MissingQuotes');
        const quoteRow = quoteError?.row ?? -1;
        for (let index = 0; index < results.data.length; index++) {
          const row = results.data[index]!;
          const rowLine = line;
          for (const value of row) for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) line++;
          line++;
          if (index === quoteRow) {
            stream.stop();
            failure = new CsvFileError(
              `Line ${rowLine}: a quoted value starts here and is never closed (a " without its partner), so the rest of the file cannot be read reliably. Nothing was imported; your CRM is unchanged. Fix that line and import again.`,
            );
            parser.abort();
            return;
          }
          if (row.length === 1 && !row[0]!.trim()) continue;
          if (!headerSeen) {
            // `sep=;` read with `;` as the separator is two cells: `sep=` and an empty one.
            if (plan.sepLine && row.length <= 2 && SEP_LINE.test(row.join(plan.delimiter).replace(/^\uFEFF/, '')))
              continue;
            headerSeen = true;
            headerLength = row.length;
            continue;
          }
          rows++;
          if (row.length > headerLength && row.slice(headerLength).some((cell) => cell.trim())) {
            report(
              `has ${row.length} values but the header has ${headerLength}: is a value with a “${plan.delimiter === '\t' ? 'tab' : plan.delimiter}” missing its quotes?`,
              rowLine,
            );
            continue;
          }
          const company = companyFromRow(row, plan, context, usedIds);
          if (typeof company === 'string') {
            report(company, rowLine);
            continue;
          }
          const existing = company.domain === null ? undefined : byDomain.get(company.domain);
          if (existing !== undefined) {
            const times = (mergeCounts.get(existing) ?? 0) + 1;
            mergeCounts.set(existing, times);
            // Folding thousands of rows into one record would only pile up their notes (and cost
            // quadratic time); past a few, the rows are counted and the user is warned instead.
            if (times <= MAX_MERGES_KEPT) companies[existing] = mergeCompany(companies[existing]!, company);
            merged++;
            continue;
          }
          if (companies.length >= MAX_COMPANIES) {
            failure = new CsvFileError(
              `This file has more than ${MAX_COMPANIES.toLocaleString('en')} companies; Sift’s local CRM holds up to ${MAX_COMPANIES.toLocaleString('en')}. Split the file. Nothing was imported; your CRM is unchanged.`,
            );
            parser.abort();
            return;
          }
          if (company.domain !== null) byDomain.set(company.domain, companies.length);
          companies.push(company);
        }
      },
      complete() {
        stream.stop();
        if (failure) reject(failure);
        else if (!headerSeen) reject(new CsvFileError('This file has no header row.'));
        else if (rows === 0) reject(new CsvFileError('This file has a header but no rows. Nothing was imported.'));
        else if (companies.length === 0)
          reject(
            new CsvFileError(
              `None of the ${rows.toLocaleString('en')} rows could be imported${rowErrors[0] ? ` (line ${rowErrors[0].line}: ${rowErrors[0].message})` : ''}. Check the column mapping and the separator. Your CRM is unchanged.`,
            ),
          );
        else {
          const warnings = [...mergeCounts]
            .filter(([, times]) => times >= MAX_MERGES_KEPT)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(
              ([at, times]) =>
                `${(times + 1).toLocaleString('en')} rows share the domain ${companies[at]!.domain} and became one company. If that is not one company’s own site, map another column to Website or Domain and import again.`,
            );
          resolve({ companies, rows, merged, skipped, rowErrors, warnings });
        }
      },
      error(error: Error) {
        stream.stop();
        reject(new CsvFileError(`The file could not be read: ${error.message}. Your CRM is unchanged.`));
      },
    });
  });
}
