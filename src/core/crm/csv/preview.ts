/**
 * The first step of an import: read the start of a file, recognise the export (HubSpot, Attio,
 * Pipedrive, Affinity, Salesforce, Airtable, Notion, Sift's own) and propose a column mapping the
 * user can correct before anything is read in full.
 */
import Papa from 'papaparse';
import { formatBytes } from '../../text/byte-size.ts';
import headerTable from './headers.json';
import { sniffEncoding } from './sniff.ts';
import { COMPANY_FIELDS, CsvFileError, type CompanyField, type CsvMapping, type CsvPreview } from './types.ts';

export const MAX_CSV_BYTES = 200 * 1024 * 1024;
/** How much of a file the preview reads: enough for the header, a sample and a reliable sniff. */
export const PREVIEW_BYTES = 256 * 1024;

function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/-]+/gu, ' ')
    .trim();
}

const ALIASES: Record<CompanyField, string[]> = Object.fromEntries(
  COMPANY_FIELDS.map((field) => [field, (headerTable.fields[field] ?? []).map(headerKey)]),
) as Record<CompanyField, string[]>;

const FORMATS = headerTable.formats.map((format) => ({ ...format, signature: format.signature.map(headerKey) }));

export function emptyMapping(): CsvMapping {
  return Object.fromEntries(COMPANY_FIELDS.map((field) => [field, null])) as CsvMapping;
}

/** Picks a column for each field by the alias table; each column serves at most one field. */
export function detectMapping(headers: readonly string[]): CsvMapping {
  const keys = headers.map(headerKey);
  const mapping = emptyMapping();
  const taken = new Set<number>();
  for (const field of COMPANY_FIELDS) {
    for (const alias of ALIASES[field]) {
      const column = keys.findIndex((key, index) => key === alias && !taken.has(index));
      if (column >= 0) {
        mapping[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  return mapping;
}

export function detectFormat(headers: readonly string[]): { format: string; label: string } {
  const keys = new Set(headers.map(headerKey));
  const found = FORMATS.find((format) => format.signature.every((key) => keys.has(key)));
  return found ? { format: found.format, label: found.label } : { format: 'generic', label: 'CSV' };
}

/** Excel's first line naming the separator; it is not a header. */
export const SEP_LINE = /^sep=(.)\s*$/i;

/**
 * Reads the start of a file and proposes how to import it. `bytes` is at least the first 256 KB.
 * `chosenDelimiter` is the user's pick when the detected one was wrong; a `sep=` line still wins.
 */
export function previewCsv(bytes: Uint8Array, totalBytes: number, chosenDelimiter = ''): CsvPreview {
  if (totalBytes === 0) throw new CsvFileError('This file is empty.');
  if (totalBytes > MAX_CSV_BYTES)
    throw new CsvFileError(
      `This file is ${formatBytes(totalBytes)}; Sift imports CSV files up to ${formatBytes(MAX_CSV_BYTES)}. Export fewer columns (name and website are enough) or split the file.`,
    );
  const head = bytes.subarray(0, PREVIEW_BYTES);
  const encoding = sniffEncoding(head);
  let text = new TextDecoder(encoding).decode(head);
  const trimmedStart = text.trimStart();
  if (/^<(!doctype|html|\?xml|table|body)/i.test(trimmedStart))
    throw new CsvFileError('This is an HTML or XML file, not a CSV. Export your companies from your CRM as CSV.');
  if (/^[[{]/.test(trimmedStart) && !/^\{[^}\n]*\}?\s*[,;\t]/.test(trimmedStart))
    throw new CsvFileError('This looks like a JSON file, not a CSV. Export your companies from your CRM as CSV.');
  // The last line of a partial read may be cut in half.
  if (head.length < totalBytes) text = text.slice(0, Math.max(text.lastIndexOf('\n'), 0));

  const warnings: string[] = [];
  let delimiter = chosenDelimiter;
  let sepLine = false;
  const firstLineEnd = text.search(/\r?\n/);
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  const sep = SEP_LINE.exec(firstLine);
  if (sep) {
    sepLine = true;
    delimiter = sep[1]!;
    text = firstLineEnd < 0 ? '' : text.slice(text.indexOf('\n', firstLineEnd) + 1);
  }
  const parsed = Papa.parse<string[]>(text, { delimiter, preview: 6, skipEmptyLines: 'greedy' });
  if (!delimiter) delimiter = parsed.meta.delimiter || ',';
  const [headerRow, ...sample] = parsed.data;
  if (!headerRow || headerRow.every((cell) => !cell.trim())) throw new CsvFileError('This file has no header row.');
  const headers = headerRow.map((cell, index) => cell.replace(/^\uFEFF/, '').trim() || `Column ${index + 1}`);
  const quoteError = parsed.errors.find((error) => error.code === 'MissingQuotes');
  if (quoteError && parsed.data.length <= 1)
    throw new CsvFileError(
      'A quoted value in the header row is never closed (a " without its partner), so the file cannot be read. Fix the quotes in the first line and try again.',
    );
  if (headers.length === 1) {
    const other = [';', '\t', '|', ','].find((candidate) => candidate !== delimiter && headers[0]!.includes(candidate));
    warnings.push(
      other
        ? `Only one column was found. The file may be separated by “${other === '\t' ? 'tab' : other}”: choose that separator below.`
        : 'Only one column was found. If the file uses another separator, choose it below.',
    );
  }
  const mapping = detectMapping(headers);
  const { format, label } = detectFormat(headers);
  if (mapping.name === null && mapping.domain === null && mapping.website === null)
    warnings.push('No column looks like a company name or website. Choose the columns below.');
  return { format, formatLabel: label, headers, sample, mapping, delimiter, encoding, sepLine, totalBytes, warnings };
}
