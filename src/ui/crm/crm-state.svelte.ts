/**
 * The CRM panel's state: the list and its search, the company being edited or deleted, the CSV
 * import flow (choose a file → preview and mapping → import with progress → report) and the export.
 * The newest search wins; an import can be cancelled and leaves the CRM as it was when it fails.
 *
 * One instance (`crmState`) lives as long as the page, not the panel: the CRM view is unmounted
 * when the user switches to another section, and an import running meanwhile must still be there,
 * with its progress and its Cancel, when they come back.
 */
import { splitList } from '../../core/crm/list-field.ts';
import type { SearchPage } from '../../core/crm/crm-index.ts';
import { planFromPreview, type CompanyField, type CsvImportPlan, type CsvPreview } from '../../core/crm/csv/types.ts';
import type { Company, CompanyDraft } from '../../core/crm/types.ts';
import { exportBaseName } from '../results/download.ts';
import { type ImportMode, type ImportProgress, type ImportReport, localCrm, type LocalCrmApi } from './local-crm.ts';
import { messageOf } from '../../core/text/error-message.ts';

export const PAGE_SIZE = 100;
/** A pause in typing this long means the user has typed what they are looking for. */
const SEARCH_PAUSE_MS = 120;

export type ImportStage = 'idle' | 'reading-preview' | 'preview' | 'importing' | 'done';

/** What the edit form holds: lists as the comma-separated text the user types. */
export interface CompanyForm {
  name: string;
  website: string;
  domain: string;
  aliasDomains: string;
  tags: string;
  notes: string;
}

export function emptyForm(): CompanyForm {
  return { name: '', website: '', domain: '', aliasDomains: '', tags: '', notes: '' };
}

export function formFromCompany(company: Company): CompanyForm {
  return {
    name: company.name,
    website: company.website ?? '',
    domain: company.domain ?? '',
    aliasDomains: company.aliasDomains.join(', '),
    tags: company.tags.join(', '),
    notes: company.notes,
  };
}

export function draftFromForm(form: CompanyForm): CompanyDraft {
  return {
    name: form.name,
    website: form.website.trim() || null,
    domain: form.domain.trim() || null,
    aliasDomains: splitList(form.aliasDomains),
    tags: splitList(form.tags),
    notes: form.notes,
    source: 'manual',
  };
}

const PHASE_LABEL: Record<ImportProgress['phase'], string> = {
  reading: 'Reading the file',
  saving: 'Saving to this browser',
  indexing: 'Building the index',
};

export class CrmState {
  count = $state(0);
  opened = $state(false);
  /** True while the panel re-reads the CRM on opening: other views (Ask, Add) may have written since. */
  refreshing = $state(false);
  query = $state('');
  page = $state.raw<SearchPage>({ total: 0, companies: [] });
  /** A problem with the list or an edit, shown in an alert. */
  error = $state('');
  /** A short confirmation for the live region ("Acme saved."). */
  status = $state('');

  /** `new` for the add form, a company id for its edit form, null when no form is open. */
  editing = $state<string | null>(null);
  form = $state<CompanyForm>(emptyForm());
  formError = $state('');
  saving = $state(false);
  /** The company whose delete awaits confirmation. */
  confirmingDelete = $state<string | null>(null);

  importStage = $state<ImportStage>('idle');
  importFile = $state.raw<File | null>(null);
  preview = $state.raw<CsvPreview | null>(null);
  plan = $state<CsvImportPlan | null>(null);
  importMode = $state<ImportMode>('replace');
  progress = $state.raw<ImportProgress | null>(null);
  report = $state.raw<ImportReport | null>(null);
  importError = $state('');

  #searchId = 0;
  #typing: ReturnType<typeof setTimeout> | undefined;
  #importAbort: AbortController | null = null;

  constructor(private readonly crm: LocalCrmApi = localCrm) {}

  readonly progressText = $derived.by(() => {
    const progress = this.progress;
    if (!progress) return '';
    const percent = Math.round(progress.fraction * 100);
    return `${PHASE_LABEL[progress.phase]}: ${percent}% (${progress.rows.toLocaleString('en')} rows read)`;
  });

  /** Overall 0..1 across the phases, for one progress bar: reading is most of the work. */
  readonly progressValue = $derived.by(() => {
    const progress = this.progress;
    if (!progress) return 0;
    const base = { reading: 0, saving: 0.7, indexing: 0.95 }[progress.phase];
    const span = { reading: 0.7, saving: 0.25, indexing: 0.05 }[progress.phase];
    return base + span * progress.fraction;
  });

  async open(): Promise<void> {
    this.refreshing = true;
    try {
      const overview = await this.crm.open();
      this.count = overview.count;
      this.opened = true;
      await this.search(this.query);
    } catch (error) {
      this.error = `Your CRM could not be opened: ${messageOf(error)}`;
    } finally {
      this.refreshing = false;
    }
  }

  /** The newest search wins: an older answer arriving late is dropped. */
  async search(text: string, limit = PAGE_SIZE): Promise<void> {
    this.query = text;
    const id = ++this.#searchId;
    try {
      const page = await this.crm.search(text, 0, limit);
      if (id !== this.#searchId) return;
      this.page = page;
      this.error = '';
    } catch (error) {
      if (id === this.#searchId) this.error = messageOf(error);
    }
  }

  /** As the user types: one search once they pause, not one per keystroke. */
  searchAsTyped(text: string, pauseMs = SEARCH_PAUSE_MS): void {
    clearTimeout(this.#typing);
    this.#typing = setTimeout(() => void this.search(text), pauseMs);
  }

  showMore(): Promise<void> {
    return this.search(this.query, this.page.companies.length + PAGE_SIZE);
  }

  startAdd(): void {
    this.editing = 'new';
    this.form = emptyForm();
    this.formError = '';
  }

  startEdit(company: Company): void {
    this.editing = company.id;
    this.form = formFromCompany(company);
    this.formError = '';
  }

  closeForm(): void {
    this.editing = null;
    this.formError = '';
  }

  async saveForm(): Promise<boolean> {
    const target = this.editing;
    if (target === null) return false;
    this.saving = true;
    this.formError = '';
    try {
      const draft = draftFromForm(this.form);
      const saved =
        target === 'new'
          ? await this.crm.add(draft)
          : await this.crm.update(target, {
              name: draft.name,
              website: draft.website ?? null,
              domain: draft.domain ?? null,
              aliasDomains: draft.aliasDomains ?? [],
              tags: draft.tags ?? [],
              notes: draft.notes ?? '',
            });
      if (target === 'new') this.count += 1;
      this.editing = null;
      this.status = `${saved.name} saved.`;
      await this.search(this.query, Math.max(PAGE_SIZE, this.page.companies.length));
      return true;
    } catch (error) {
      this.formError = messageOf(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  askDelete(id: string): void {
    this.confirmingDelete = id;
  }

  cancelDelete(): void {
    this.confirmingDelete = null;
  }

  async confirmDelete(): Promise<void> {
    const id = this.confirmingDelete;
    if (id === null) return;
    const company = this.page.companies.find((candidate) => candidate.id === id);
    try {
      await this.crm.remove(id);
      this.count = Math.max(0, this.count - 1);
      this.status = `${company?.name ?? 'The company'} deleted.`;
      if (this.editing === id) this.editing = null;
      await this.search(this.query, Math.max(PAGE_SIZE, this.page.companies.length));
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.confirmingDelete = null;
    }
  }

  async chooseFile(file: File): Promise<void> {
    this.importFile = file;
    this.importError = '';
    this.report = null;
    this.preview = null;
    this.plan = null;
    this.importStage = 'reading-preview';
    await this.#readPreview(file, '');
  }

  /** Re-reads the preview with another separator: the whole mapping depends on the columns. */
  async chooseDelimiter(delimiter: string): Promise<void> {
    if (!this.importFile) return;
    await this.#readPreview(this.importFile, delimiter);
  }

  async #readPreview(file: File, delimiter: string): Promise<void> {
    try {
      const preview = await this.crm.previewCsv(file, delimiter);
      if (this.importFile !== file) return;
      this.preview = preview;
      this.plan = planFromPreview(preview);
      this.importMode = this.count > 0 && preview.format !== 'sift' ? 'merge' : 'replace';
      this.importStage = 'preview';
    } catch (error) {
      if (this.importFile !== file) return;
      this.importError = messageOf(error);
      this.importStage = 'idle';
    }
  }

  setColumn(field: CompanyField, column: number | null): void {
    if (!this.plan) return;
    this.plan.mapping[field] = column;
  }

  readonly canImport = $derived(
    this.plan !== null && Object.values(this.plan.mapping).some((column) => column !== null),
  );

  async startImport(): Promise<void> {
    const file = this.importFile;
    const plan = this.plan;
    if (!file || !plan || this.importStage === 'importing') return;
    this.importStage = 'importing';
    this.importError = '';
    this.progress = { phase: 'reading', fraction: 0, rows: 0 };
    const abort = new AbortController();
    this.#importAbort = abort;
    try {
      const report = await this.crm.importCsv(
        file,
        $state.snapshot(plan),
        { mode: this.importMode, fileName: file.name },
        (progress) => {
          if (this.#importAbort === abort) this.progress = progress;
        },
        abort.signal,
      );
      this.report = report;
      this.count = report.total;
      this.importStage = 'done';
      this.status = `Imported ${report.imported.toLocaleString('en')} companies.`;
      await this.search('', PAGE_SIZE);
    } catch (error) {
      this.importError = messageOf(error);
      this.importStage = 'preview';
    } finally {
      this.#importAbort = null;
      this.progress = null;
    }
  }

  cancelImport(): void {
    this.#importAbort?.abort();
  }

  closeImport(): void {
    if (this.importStage === 'importing') return;
    this.importStage = 'idle';
    this.importFile = null;
    this.preview = null;
    this.plan = null;
    this.report = null;
    this.importError = '';
  }

  /** The whole CRM as a CSV file to save (Sift's own columns); null when it failed, and `error` says why. */
  async exportCsv(now = Date.now()): Promise<{ fileName: string; csv: string } | null> {
    try {
      const csv = await this.crm.exportCsv();
      this.status = 'CSV exported.';
      return { fileName: `${exportBaseName(now)}-crm.csv`, csv };
    } catch (error) {
      this.error = `The export failed: ${messageOf(error)}`;
      return null;
    }
  }
}

/** The page's one CRM panel state: it outlives the panel, so a running import survives a change of section. */
export const crmState = new CrmState();
