/**
 * CSV in and out of the local CRM. Import is two steps so the user stays in charge: `previewCsv`
 * reads the first bytes, recognises the export (HubSpot, Attio, Pipedrive, Affinity, Salesforce,
 * Airtable, Notion, Sift's own) and proposes a column mapping; `readCompaniesCsv` streams the whole
 * file with the mapping the user confirmed, validates each row (bad rows are reported with their
 * line number and skipped) and merges rows that share a domain. Neither touches storage: a file
 * that fails to read leaves the CRM as it was by construction.
 */
import Papa from 'papaparse';
import { companyFromDraft, InvalidCompanyError, mergeCompany } from './company.ts';
import headerTable from './csv-headers.json';
import { normaliseDomain, normaliseTags } from './normalise.ts';
import type { Company } from './types.ts';

export type CompanyField =
  | 'name'
  | 'domain'
  | 'website'
  | 'aliasDomains'
  | 'tags'
  | 'notes'
  | 'externalId'
  | 'source'
  | 'id'
  | 'createdAt'
  | 'updatedAt';

export const COMPANY_FIELDS: readonly CompanyField[] = [
  'name',
  'domain',
  'website',
  'aliasDomains',
  'tags',
  'notes',
  'externalId',
  'source',
  'id',
  'createdAt',
  'updatedAt',
];

/** For the mapping form. */
export const FIELD_LABELS: Record<CompanyField, string> = {
  name: 'Name',
  domain: 'Domain',
  website: 'Website',
  aliasDomains: 'Alias domains',
  tags: 'Tags',
  notes: 'Notes',
  externalId: 'ID in your CRM',
  source: 'Source',
  id: 'Sift id',
  createdAt: 'Created',
  updatedAt: 'Updated',
};

/** Column index per field, or null when the file has no such column. */
export type CsvMapping = Record<CompanyField, number | null>;

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface CsvPreview {
  /** `hubspot`, `attio`… or `generic` when no signature matched. */
  format: string;
  formatLabel: string;
  headers: string[];
  /** Up to five data rows, as read. */
  sample: string[][];
  mapping: CsvMapping;
  delimiter: string;
  encoding: CsvEncoding;
  /** The file starts with Excel's `sep=;` line, which is not a header. */
  sepLine: boolean;
  totalBytes: number;
  /** Things the user should know before importing (not errors). */
  warnings: string[];
}

export interface CsvImportPlan {
  mapping: CsvMapping;
  delimiter: string;
  encoding: CsvEncoding;
  sepLine: boolean;
  /** Recorded on each new company: `csv:hubspot`, `csv`. */
  source: string;
}

export interface RowError {
  /** 1-based line of the file where the row starts, as a text editor counts. */
  line: number;
  message: string;
}

export interface CsvReadResult {
  companies: Company[];
  rows: number;
  /** Rows folded into an earlier row with the same domain. */
  merged: number;
  skipped: number;
  /** At most MAX_REPORTED_ERRORS; `skipped` counts them all. */
  rowErrors: RowError[];
  /** About the file as a whole, e.g. a website column that names a shared host. */
  warnings: string[];
}

export interface CsvReadContext {
  newId: () => string;
  now: number;
  onProgress?: (progress: { fraction: number; rows: number }) => void;
  /** Checked between chunks; true stops the read with ImportCancelledError. */
  shouldStop?: () => boolean;
}

/** A file Sift cannot read at all. The message says what is wrong and what to do. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError';
  constructor() {
    super('Import cancelled. Your CRM is unchanged.');
  }
}

export const MAX_CSV_BYTES = 200 * 1024 * 1024;
export const MAX_COMPANIES = 300_000;
export const MAX_REPORTED_ERRORS = 1000;
const MAX_MERGES_KEPT = 20;
const PREVIEW_BYTES = 256 * 1024;

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

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** Recognises files that are not text, and the text encoding of those that are. */
export function sniffEncoding(bytes: Uint8Array): CsvEncoding {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04))
    throw new CsvFileError(
      'This is a ZIP-based file (an Excel .xlsx, Numbers or OpenDocument spreadsheet?), not a CSV. Open it in its app and export or “Save as” CSV, then import that file.',
    );
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0))
    throw new CsvFileError('This is an old Excel .xls file, not a CSV. Open it in Excel and “Save as” CSV UTF-8.');
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46))
    throw new CsvFileError('This is a PDF, not a CSV. Export your companies from your CRM as CSV.');
  if (startsWith(bytes, 0xff, 0xfe)) return 'utf-16le';
  if (startsWith(bytes, 0xfe, 0xff)) return 'utf-16be';
  const sample = bytes.subarray(0, Math.min(bytes.length, 65536));
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) throw new CsvFileError('This file contains binary data, so it is not a CSV. Choose a .csv file.');
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls++;
  }
  if (controls > sample.length / 100)
    throw new CsvFileError('This file contains binary data, so it is not a CSV. Choose a .csv file.');
  try {
    // A multi-byte character may be cut at the end of the sample; only earlier bytes decide.
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return 'utf-8';
  } catch {
    // Excel on Windows writes "CSV" in the ANSI code page.
    return 'windows-1252';
  }
}

const SEP_LINE = /^sep=(.)\s*$/i;

/**
 * Reads the start of a file and proposes how to import it. `bytes` is at least the first 256 KB.
 * `chosenDelimiter` is the user's pick when the detected one was wrong; a `sep=` line still wins.
 */
export function previewCsv(bytes: Uint8Array, totalBytes: number, chosenDelimiter = ''): CsvPreview {
  if (totalBytes === 0) throw new CsvFileError('This file is empty.');
  if (totalBytes > MAX_CSV_BYTES)
    throw new CsvFileError(
      `This file is ${Math.round(totalBytes / 1024 / 1024)} MB; Sift imports CSV files up to ${MAX_CSV_BYTES / 1024 / 1024} MB. Export fewer columns (name and website are enough) or split the file.`,
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

export function planFromPreview(preview: CsvPreview): CsvImportPlan {
  return {
    mapping: preview.mapping,
    delimiter: preview.delimiter,
    encoding: preview.encoding,
    sepLine: preview.sepLine,
    source: preview.format === 'generic' || preview.format === 'sift' ? 'csv' : `csv:${preview.format}`,
  };
}

const LIST_SEPARATOR = /[;,\n]/;

function splitList(cell: string): string[] {
  if (!cell) return [];
  if (!LIST_SEPARATOR.test(cell)) return [cell];
  return cell
    .split(LIST_SEPARATOR)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Sift's export neutralises spreadsheet formulas with a leading `'` (see `companiesToCsv`); undo it. */
function unescapeFormula(cell: string): string {
  return cell.charCodeAt(0) === 39 /* ' */ && FORMULA_ESCAPED.test(cell) ? cell.slice(1) : cell;
}

/** What the export escapes: a formula start, possibly behind quotes that would otherwise be eaten on re-import. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const FORMULA_ESCAPED = /^''*[=+\-@\t\r]/;

function parseDate(cell: string): number | null {
  if (!cell) return null;
  const time = /^\d{10,13}$/.test(cell) ? Number(cell) : Date.parse(cell);
  return Number.isFinite(time) ? time : null;
}

/** One row → a company, or a message saying why the row cannot be one. */
function companyFromRow(
  row: readonly string[],
  plan: CsvImportPlan,
  context: CsvReadContext,
  usedIds: Set<string>,
): Company | string {
  const cell = (field: CompanyField): string => {
    const column = plan.mapping[field];
    return column === null ? '' : unescapeFormula((row[column] ?? '').trim());
  };
  let name = cell('name');
  let domain = cell('domain');
  let website = cell('website');
  // HubSpot and Attio put several domains in one cell; the first is the primary.
  const domains = splitList(domain);
  domain = domains[0] ?? '';
  const aliasDomains = [...domains.slice(1), ...splitList(cell('aliasDomains'))];
  if (!domain && !website && !name) return 'no company name, domain or website';
  // Normalise each address once (this runs per row of a 100,000-row file); the website only
  // matters for the domain when the domain cell is empty.
  if (domain) {
    const registrable = normaliseDomain(domain)?.domain;
    if (registrable && SHARED_HOSTS.has(registrable)) domain = '';
    else if (registrable) domain = registrable;
  }
  if (!domain && website) {
    const registrable = normaliseDomain(website)?.domain;
    if (registrable && SHARED_HOSTS.has(registrable)) website = '';
  }
  if (!name) name = normaliseDomain(domain || website)?.domain ?? '';
  if (!name) return `no company name, and “${domain || website}” is not a web domain`;
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
        aliasDomains:
          aliasDomains.length === 0
            ? aliasDomains
            : aliasDomains.filter((alias) => !SHARED_HOSTS.has(normaliseDomain(alias)?.domain ?? '')),
        tags: normaliseTags(splitList(cell('tags'))),
        source: cell('source') || plan.source,
        notes: cell('notes'),
        externalId: cell('externalId') || null,
      },
      { id, now: context.now },
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

type StreamEvent = 'data' | 'end' | 'error';

/**
 * Papa's own Blob reader slices the file by bytes and decodes each slice alone, which breaks a
 * multi-byte character that straddles two slices (one "é" per megabyte turns into "��"). This feeds
 * Papa text decoded in stream mode instead, through the Node-style stream interface Papa accepts.
 * Reading a Blob's stream yields to the event loop between chunks, so a cancel message gets through.
 */
const TEXT_BATCH = 1024 * 1024;
/** No company row is this long; one that is has swallowed the file after an unclosed quote. */
const MAX_ROW_CHARS = 4 * 1024 * 1024;

class DecodedTextStream {
  readonly readable = true;
  bytesRead = 0;
  /** Characters handed to Papa so far: with its cursor, tells how long the unfinished row has grown. */
  charsEmitted = 0;
  #listeners: Record<StreamEvent, ((value?: unknown) => void)[]> = { data: [], end: [], error: [] };
  #started = false;
  #stopped = false;

  constructor(
    private readonly blob: Blob,
    private readonly encoding: CsvEncoding,
    private readonly onChunk: () => void,
  ) {}

  read(): void {}
  pause(): void {}
  resume(): void {}

  on(event: StreamEvent, listener: (value?: unknown) => void): void {
    this.#listeners[event].push(listener);
    if (!this.#started) {
      this.#started = true;
      // Papa registers all three listeners synchronously; start once it has.
      queueMicrotask(() => void this.#pump());
    }
  }

  removeListener(event: StreamEvent, listener: (value?: unknown) => void): void {
    this.#listeners[event] = this.#listeners[event].filter((candidate) => candidate !== listener);
  }

  stop(): void {
    this.#stopped = true;
  }

  #emit(event: StreamEvent, value?: unknown): void {
    for (const listener of [...this.#listeners[event]]) listener(value);
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder(this.encoding);
    try {
      // Fixed slices rather than blob.stream(): their size differs between engines, progress should not.
      for (let start = 0; start < this.blob.size; start += TEXT_BATCH) {
        const bytes = new Uint8Array(await this.blob.slice(start, start + TEXT_BATCH).arrayBuffer());
        if (this.#stopped) return;
        this.bytesRead += bytes.byteLength;
        this.#send(decoder.decode(bytes, { stream: true }));
      }
      this.#send(decoder.decode());
      this.#emit('end');
    } catch (error) {
      this.#emit('error', error);
    }
  }

  #send(text: string): void {
    this.charsEmitted += text.length;
    if (text) this.#emit('data', text);
    this.onChunk();
  }
}

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
