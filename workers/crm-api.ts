/**
 * The local CRM's side of the tools worker: the index lives here (built once from IndexedDB, kept
 * warm), so matching a newsletter's candidates never crosses to the page company by company.
 *
 * Writes run one at a time (an edit waits for an import to finish and the other way round), and
 * each reaches IndexedDB before the index changes: what the index answers is always what is stored.
 * Functions are spread into the tools worker's `api`, so their names say they are about companies.
 */
import {
  applyPatch,
  companyFromDraft,
  type CompanyPatch,
  mergeCompany,
  withAddedTags,
} from '../src/core/crm/company.ts';
import { CrmIndex, DuplicateDomainError, type SearchPage, UnknownCompanyError } from '../src/core/crm/crm-index.ts';
import { companiesToCsv } from '../src/core/crm/csv/export.ts';
import { PREVIEW_BYTES, previewCsv as previewCsvBytes } from '../src/core/crm/csv/preview.ts';
import { readCompaniesCsv } from '../src/core/crm/csv/read.ts';
import type { CsvImportPlan, CsvPreview, RowError } from '../src/core/crm/csv/types.ts';
import type { Company, CompanyDraft, MatchQuery, MatchResult } from '../src/core/crm/types.ts';
import { CrmStorage, type ImportSummary, loadImportSummary, saveImportSummary } from '../src/storage/crm.ts';

export type ImportMode = 'replace' | 'merge';

export interface ImportProgress {
  phase: 'reading' | 'saving' | 'indexing';
  /** 0..1 within the phase. */
  fraction: number;
  rows: number;
}

export interface ImportReport {
  mode: ImportMode;
  rows: number;
  /** Companies the file contributed after merging duplicates. */
  imported: number;
  merged: number;
  skipped: number;
  rowErrors: RowError[];
  warnings: string[];
  /** Companies in the CRM after the import. */
  total: number;
  /** Where the time went, in ms (saving includes building the index, which overlaps with it). */
  timings: { readMs: number; saveMs: number; indexMs: number };
}

export interface CrmOverview {
  count: number;
  lastImport: ImportSummary | null;
}

/** Progress messages cross to the page; a few per second is plenty for a progress bar. */
const PROGRESS_INTERVAL_MS = 80;

const storage = new CrmStorage();
let index: CrmIndex | null = null;
let loading: Promise<CrmIndex> | null = null;
let writes: Promise<unknown> = Promise.resolve();
let cancelRequested = false;

function loadedIndex(): Promise<CrmIndex> {
  if (index) return Promise.resolve(index);
  loading ??= storage
    .load()
    .then((companies) => {
      index = new CrmIndex(companies);
      return index;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** Runs writes in order; a failed write does not block the next. */
function serially<T>(job: () => Promise<T>): Promise<T> {
  const run = writes.then(job, job);
  writes = run.catch(() => undefined);
  return run;
}

function throttled(send: ((progress: ImportProgress) => unknown) | undefined) {
  let last = 0;
  return (progress: ImportProgress, force = false) => {
    const now = performance.now();
    if (!send || (!force && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    // Fire and forget: the page's answer is not needed, and awaiting it would slow the import.
    void Promise.resolve(send(progress)).catch(() => undefined);
  };
}

function assertDomainsFree(current: CrmIndex, company: Company): void {
  for (const domain of [company.domain, ...company.aliasDomains]) {
    if (!domain) continue;
    const owner = current.ownerOfDomain(domain);
    if (owner && owner.id !== company.id) throw new DuplicateDomainError(domain, owner);
  }
}

export const crmApi = {
  /** Opens the CRM (migrating an old one) and says how big it is. */
  async openCrm(): Promise<CrmOverview> {
    const current = await loadedIndex();
    return { count: current.size, lastImport: await loadImportSummary().catch(() => null) };
  },

  async matchCompanies(queries: MatchQuery[]): Promise<MatchResult[]> {
    return (await loadedIndex()).matchMany(queries);
  },

  async searchCompanies(text: string, offset = 0, limit = 100): Promise<SearchPage> {
    return (await loadedIndex()).search(text, offset, limit);
  },

  async getCompany(id: string): Promise<Company | null> {
    return (await loadedIndex()).get(id) ?? null;
  },

  /** Throws DuplicateDomainError when another company already has the domain: one company per domain. */
  addCompany(draft: CompanyDraft): Promise<Company> {
    return serially(async () => {
      const current = await loadedIndex();
      const company = companyFromDraft(draft, { id: crypto.randomUUID(), now: Date.now() });
      assertDomainsFree(current, company);
      await storage.put(company);
      current.put(company);
      return company;
    });
  },

  updateCompany(id: string, patch: CompanyPatch): Promise<Company> {
    return serially(async () => {
      const current = await loadedIndex();
      const existing = current.get(id);
      if (!existing) throw new UnknownCompanyError(id);
      const company = applyPatch(existing, patch, Date.now());
      assertDomainsFree(current, company);
      await storage.put(company);
      current.put(company);
      return company;
    });
  },

  deleteCompany(id: string): Promise<void> {
    return serially(async () => {
      const current = await loadedIndex();
      if (!current.get(id)) throw new UnknownCompanyError(id);
      await storage.remove(id);
      current.delete(id);
    });
  },

  /** Adds tags (existing ones stay). */
  tagCompany(id: string, tags: string[]): Promise<Company> {
    return serially(async () => {
      const current = await loadedIndex();
      const existing = current.get(id);
      if (!existing) throw new UnknownCompanyError(id);
      const company = withAddedTags(existing, tags, Date.now());
      await storage.put(company);
      current.put(company);
      return company;
    });
  },

  /** Reads the start of a file and proposes a mapping; nothing is stored. */
  async previewCsv(file: Blob, delimiter = ''): Promise<CsvPreview> {
    const head = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
    return previewCsvBytes(head, file.size, delimiter);
  },

  /**
   * Imports a CSV with the mapping the user confirmed. `replace` swaps the whole CRM for the file;
   * `merge` adds the file to it, folding companies with a known domain into the existing record.
   * Either way the swap is atomic: a failure or `cancelImport()` leaves the CRM as it was.
   */
  importCsv(
    file: Blob,
    plan: CsvImportPlan,
    options: { mode: ImportMode; fileName: string },
    onProgress?: (progress: ImportProgress) => unknown,
  ): Promise<ImportReport> {
    cancelRequested = false;
    return serially(async () => {
      const report = throttled(onProgress);
      const shouldStop = () => cancelRequested;
      const current = await loadedIndex();
      const started = performance.now();
      report({ phase: 'reading', fraction: 0, rows: 0 }, true);
      const read = await readCompaniesCsv(file, plan, {
        newId: () => crypto.randomUUID(),
        now: Date.now(),
        onProgress: ({ fraction, rows }) => report({ phase: 'reading', fraction, rows }),
        shouldStop,
      });
      let companies = read.companies;
      if (options.mode === 'merge') companies = mergeIntoExisting(current, read.companies);
      const readMs = performance.now() - started;
      report({ phase: 'saving', fraction: 0, rows: read.rows }, true);
      let next: CrmIndex | null = null;
      let indexMs = 0;
      await storage.replaceAll(companies, {
        onProgress: (fraction) => report({ phase: 'saving', fraction, rows: read.rows }, true),
        shouldStop,
        whileCommitting: () => {
          const indexStarted = performance.now();
          next = new CrmIndex(companies);
          indexMs = performance.now() - indexStarted;
        },
      });
      // From here the import is committed; cancelling no longer applies.
      index = next ?? new CrmIndex(companies);
      report({ phase: 'indexing', fraction: 1, rows: read.rows }, true);
      const timings = { readMs, indexMs, saveMs: performance.now() - started - readMs };
      await saveImportSummary({ fileName: options.fileName, companies: read.companies.length, at: Date.now() }).catch(
        () => undefined,
      );
      return {
        mode: options.mode,
        rows: read.rows,
        imported: read.companies.length,
        merged: read.merged,
        skipped: read.skipped,
        rowErrors: read.rowErrors,
        warnings: read.warnings,
        total: companies.length,
        timings,
      };
    });
  },

  /** Stops a running import at its next chunk; the CRM stays as it was. */
  cancelImport(): void {
    cancelRequested = true;
  },

  /** The whole CRM as Sift's CSV (see `companiesToCsv`), sorted by name. */
  async exportCsv(): Promise<string> {
    const current = await loadedIndex();
    return companiesToCsv(current.search('', 0, current.size).companies);
  },
};

/** Existing companies first (they keep their ids), each file row folded into the one owning its domain. */
function mergeIntoExisting(current: CrmIndex, incoming: Company[]): Company[] {
  const byId = new Map<string, Company>();
  for (const company of current.all()) byId.set(company.id, company);
  for (const company of incoming) {
    const owner =
      byId.get(company.id) ?? (company.domain ? current.ownerOfDomain(company.domain) : undefined) ?? undefined;
    const target = owner ? byId.get(owner.id) : undefined;
    if (target) byId.set(target.id, mergeCompany(target, company));
    else byId.set(company.id, company);
  }
  return [...byId.values()];
}
