/**
 * The local CRM as the page sees it: a `CrmBackend` for the agent and the newsletter job, plus the
 * list, edit and CSV functions the CRM panel needs. Everything runs in the shared tools worker,
 * where the index lives; this module only forwards.
 *
 * Cancelling an import asks the worker to stop at its next chunk rather than terminating it, so the
 * warm index survives; either way the stored CRM is untouched until the import commits.
 */
import { proxy } from 'comlink';
import type { CompanyPatch } from '../../core/crm/company.ts';
import type { SearchPage } from '../../core/crm/crm-index.ts';
import type { CsvImportPlan, CsvPreview } from '../../core/crm/csv/types.ts';
import type { Company, CompanyDraft, CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import type { CrmOverview, ImportMode, ImportProgress, ImportReport } from '../../../workers/crm-api.ts';
import { toolsWorker } from '../workers/instances.ts';
import type { ToolsRemote } from '../workers/tools.ts';
import type { WorkerOwner } from '../workers/worker-owner.ts';

export type { CrmOverview, ImportMode, ImportProgress, ImportReport };

/** What the CRM panel needs; the rune state is tested against an in-memory implementation of it. */
export interface LocalCrmApi {
  open(): Promise<CrmOverview>;
  search(text: string, offset?: number, limit?: number): Promise<SearchPage>;
  add(draft: CompanyDraft): Promise<Company>;
  update(id: string, patch: CompanyPatch): Promise<Company>;
  remove(id: string): Promise<void>;
  previewCsv(file: Blob, delimiter?: string): Promise<CsvPreview>;
  importCsv(
    file: Blob,
    plan: CsvImportPlan,
    options: { mode: ImportMode; fileName: string },
    onProgress: (progress: ImportProgress) => void,
    signal?: AbortSignal,
  ): Promise<ImportReport>;
  exportCsv(): Promise<string>;
}

export class LocalCrm implements CrmBackend, LocalCrmApi {
  readonly label = 'your local CRM';

  constructor(private readonly owner: WorkerOwner<ToolsRemote> = toolsWorker) {}

  #call<T>(job: (tools: ToolsRemote) => Promise<T>): Promise<T> {
    return this.owner.run(job);
  }

  open(): Promise<CrmOverview> {
    return this.#call((tools) => tools.openCrm());
  }

  matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    return this.#call((tools) => tools.matchCompanies(queries));
  }

  add(draft: CompanyDraft): Promise<Company> {
    return this.#call((tools) => tools.addCompany(draft));
  }

  tag(companyId: string, tags: string[]): Promise<Company> {
    return this.#call((tools) => tools.tagCompany(companyId, tags));
  }

  search(text: string, offset = 0, limit = 100): Promise<SearchPage> {
    return this.#call((tools) => tools.searchCompanies(text, offset, limit));
  }

  get(id: string): Promise<Company | null> {
    return this.#call((tools) => tools.getCompany(id));
  }

  update(id: string, patch: CompanyPatch): Promise<Company> {
    return this.#call((tools) => tools.updateCompany(id, patch));
  }

  remove(id: string): Promise<void> {
    return this.#call((tools) => tools.deleteCompany(id));
  }

  previewCsv(file: Blob, delimiter = ''): Promise<CsvPreview> {
    return this.#call((tools) => tools.previewCsv(file, delimiter));
  }

  async importCsv(
    file: Blob,
    plan: CsvImportPlan,
    options: { mode: ImportMode; fileName: string },
    onProgress: (progress: ImportProgress) => void,
    signal?: AbortSignal,
  ): Promise<ImportReport> {
    const cancel = () => void this.#call((tools) => tools.cancelImport());
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      // A File is cloned by reference (no bytes copied); the worker streams it from disk.
      return await this.#call((tools) => tools.importCsv(file, plan, options, proxy(onProgress)));
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  exportCsv(): Promise<string> {
    return this.#call((tools) => tools.exportCsv());
  }
}

/** The page's one local CRM: the agent, the newsletter job and the CRM panel share it. */
export const localCrm = new LocalCrm();
