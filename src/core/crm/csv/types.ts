/**
 * The shapes CSV import and export share: the company fields a column can map to, the preview the
 * user checks, the plan they confirm, what a read returns, and the two ways a read can end early.
 */
import type { Company } from '../types.ts';

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

/**
 * The plan a preview proposes: its mapping (a copy, for the user to change), separator and encoding,
 * and the source each company records. Here rather than beside `previewCsv`, so the page can make
 * one without loading the CSV parser.
 */
export function planFromPreview(preview: CsvPreview): CsvImportPlan {
  return {
    mapping: { ...preview.mapping },
    delimiter: preview.delimiter,
    encoding: preview.encoding,
    sepLine: preview.sepLine,
    source: preview.format === 'generic' || preview.format === 'sift' ? 'csv' : `csv:${preview.format}`,
  };
}
