import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { applyPatch, companyFromDraft } from '../../core/crm/company.ts';
import { CrmIndex, DuplicateDomainError, type SearchPage } from '../../core/crm/crm-index.ts';
import { companiesToCsv } from '../../core/crm/csv/export.ts';
import { previewCsv } from '../../core/crm/csv/preview.ts';
import { readCompaniesCsv } from '../../core/crm/csv/read.ts';
import { planFromPreview, type CsvImportPlan } from '../../core/crm/csv/types.ts';
import type { Company, CompanyDraft } from '../../core/crm/types.ts';
import { render } from 'svelte/server';
import CrmPanel from './CrmPanel.svelte';
import { CrmState, crmState } from './crm-state.svelte.ts';
import type { CrmOverview, ImportMode, ImportProgress, ImportReport, LocalCrmApi } from './local-crm.ts';

/** The worker's behaviour over the real core, in memory: what the panel's state sees. */
class MemoryCrm implements LocalCrmApi {
  index = new CrmIndex();
  ids = 0;
  searches: string[] = [];
  /** Lets a test hold a search's answer back to deliver it out of order. */
  gate: Promise<void> | null = null;
  /** Lets a test hold an import in its saving phase, as a large one is for seconds. */
  importGate: Promise<void> | null = null;

  async open(): Promise<CrmOverview> {
    return { count: this.index.size, lastImport: null };
  }
  async search(text: string, offset = 0, limit = 100): Promise<SearchPage> {
    this.searches.push(text);
    const gate = this.gate;
    const page = this.index.search(text, offset, limit);
    if (gate) await gate;
    return page;
  }
  async add(draft: CompanyDraft): Promise<Company> {
    const company = companyFromDraft(draft, { id: `m${++this.ids}`, now: 1 });
    const owner = company.domain ? this.index.ownerOfDomain(company.domain) : undefined;
    if (owner) throw new DuplicateDomainError(company.domain!, owner);
    this.index.put(company);
    return company;
  }
  async update(id: string, patch: Parameters<LocalCrmApi['update']>[1]): Promise<Company> {
    const company = applyPatch(this.index.get(id)!, patch, 2);
    this.index.put(company);
    return company;
  }
  async remove(id: string): Promise<void> {
    this.index.delete(id);
  }
  async previewCsv(file: Blob, delimiter = ''): Promise<ReturnType<typeof previewCsv>> {
    return previewCsv(new Uint8Array(await file.arrayBuffer()), file.size, delimiter);
  }
  async importCsv(
    file: Blob,
    plan: CsvImportPlan,
    options: { mode: ImportMode; fileName: string },
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportReport> {
    const read = await readCompaniesCsv(file, plan, {
      newId: () => `m${++this.ids}`,
      now: 3,
      onProgress: ({ fraction, rows }) => onProgress({ phase: 'reading', fraction, rows }),
    });
    if (this.importGate) {
      onProgress({ phase: 'saving', fraction: 0.5, rows: read.rows });
      await this.importGate;
    }
    if (options.mode === 'replace') this.index = new CrmIndex(read.companies);
    else for (const company of read.companies) this.index.put(company);
    const timings = { readMs: 0, saveMs: 0, indexMs: 0 };
    return { mode: options.mode, ...read, imported: read.companies.length, total: this.index.size, timings };
  }
  async exportCsv(): Promise<string> {
    return companiesToCsv(this.index.search('', 0, this.index.size).companies);
  }
}

const hubspot = new File(
  [
    'Record ID,Company name,Company Domain Name,Lifecycle Stage\n',
    '1,Acme,acme.com,customer\n',
    '2,,,lead\n',
    '3,Globex,globex.com,lead\n',
  ],
  'hubspot-companies.csv',
  { type: 'text/csv' },
);

describe('CrmState', () => {
  it('imports a HubSpot export through preview, changed mapping and progress, with the bad row reported', async () => {
    const backend = new MemoryCrm();
    const crm = new CrmState(backend);
    await crm.open();
    expect(crm.count).toBe(0);

    await crm.chooseFile(hubspot);
    expect(crm.importStage).toBe('preview');
    expect(crm.preview?.formatLabel).toBe('HubSpot');
    expect(crm.plan?.mapping.name).toBe(1);
    expect(crm.importMode).toBe('replace');
    // The user maps "Lifecycle Stage" to tags.
    crm.setColumn('tags', 3);
    flushSync();
    expect(crm.canImport).toBe(true);

    await crm.startImport();
    expect(crm.importStage).toBe('done');
    expect(crm.report).toMatchObject({ imported: 2, skipped: 1, rowErrors: [{ line: 3 }] });
    expect(crm.count).toBe(2);
    expect(crm.page.companies.map((company) => [company.name, company.tags, company.source])).toEqual([
      ['Acme', ['customer'], 'csv:hubspot'],
      ['Globex', ['lead'], 'csv:hubspot'],
    ]);
    crm.closeImport();
    expect(crm.importStage).toBe('idle');
  });

  it('re-reads the preview with the separator the user picks, and maps again', async () => {
    const crm = new CrmState(new MemoryCrm());
    await crm.chooseFile(new File(['Name;Website,Stage\nAcme;acme.com,seed\n'], 'mixed.csv'));
    expect(crm.preview?.delimiter).toBe(',');
    await crm.chooseDelimiter(';');
    expect(crm.preview?.headers).toEqual(['Name', 'Website,Stage']);
    expect(crm.plan).toMatchObject({ delimiter: ';', mapping: { name: 0 } });
  });

  it('turns a file that is not a CSV into a message and stays idle', async () => {
    const crm = new CrmState(new MemoryCrm());
    await crm.chooseFile(new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])], 'companies.xlsx'));
    expect(crm.importStage).toBe('idle');
    expect(crm.importError).toMatch(/not a CSV/);
  });

  it('adds, edits and deletes (after confirmation) a company', async () => {
    const crm = new CrmState(new MemoryCrm());
    await crm.open();
    crm.startAdd();
    crm.form.name = 'Initech';
    crm.form.website = 'https://www.initech.com';
    crm.form.tags = 'seed, saas';
    expect(await crm.saveForm()).toBe(true);
    expect(crm.count).toBe(1);
    expect(crm.page.companies[0]).toMatchObject({ name: 'Initech', domain: 'initech.com', tags: ['seed', 'saas'] });
    expect(crm.status).toBe('Initech saved.');

    crm.startAdd();
    crm.form.name = 'Initech again';
    crm.form.domain = 'initech.com';
    expect(await crm.saveForm()).toBe(false);
    expect(crm.formError).toMatch(/initech\.com is already in your CRM/);
    crm.closeForm();

    const company = crm.page.companies[0]!;
    crm.startEdit(company);
    expect(crm.form.tags).toBe('seed, saas');
    crm.form.name = 'Initech Corp';
    await crm.saveForm();
    expect(crm.page.companies[0]!.name).toBe('Initech Corp');

    crm.askDelete(company.id);
    expect(crm.confirmingDelete).toBe(company.id);
    crm.cancelDelete();
    expect(crm.count).toBe(1);
    crm.askDelete(company.id);
    await crm.confirmDelete();
    expect(crm.count).toBe(0);
    expect(crm.page.companies).toEqual([]);
  });

  it('keeps the newest search when answers arrive out of order', async () => {
    const backend = new MemoryCrm();
    await backend.add({ name: 'Alpha', domain: 'alpha.com', source: 'manual' });
    await backend.add({ name: 'Beta', domain: 'beta.com', source: 'manual' });
    const crm = new CrmState(backend);
    let release!: () => void;
    backend.gate = new Promise((resolve) => (release = resolve));
    const slow = crm.search('alpha');
    backend.gate = null;
    await crm.search('beta');
    release();
    await slow;
    expect(crm.page.companies.map((company) => company.name)).toEqual(['Beta']);
  });

  it('keeps a running import, its progress and its Cancel, when the panel is left and opened again', async () => {
    const backend = new MemoryCrm();
    let release!: () => void;
    backend.importGate = new Promise((resolve) => (release = resolve));
    const crm = new CrmState(backend);
    await crm.open();
    await crm.chooseFile(hubspot);
    const running = crm.startImport();
    await vi.waitFor(() => expect(crm.progress?.phase).toBe('saving'));
    // Coming back to the CRM section mounts a new panel, which opens the CRM again.
    await crm.open();
    expect(crm.importStage).toBe('importing');
    expect(crm.progressText).toBe('Saving to this browser: 50% (3 rows read)');
    release();
    await running;
    expect(crm.importStage).toBe('done');
    expect(crm.count).toBe(2);
  });

  it('is busy while it re-reads the CRM on opening, so rows written elsewhere meanwhile are never shown stale', async () => {
    const backend = new MemoryCrm();
    const crm = new CrmState(backend);
    await crm.open();
    await backend.add({ name: 'Written by Ask', domain: 'ask.example', source: 'ask' });
    let release!: () => void;
    backend.gate = new Promise((resolve) => (release = resolve));
    const opening = crm.open();
    expect(crm.refreshing).toBe(true);
    release();
    await opening;
    expect(crm.refreshing).toBe(false);
    expect(crm.page.companies.map((company) => company.name)).toContain('Written by Ask');
  });

  it('searches once the user pauses typing, with the last text typed', async () => {
    const backend = new MemoryCrm();
    await backend.add({ name: 'Alpha', domain: 'alpha.com', source: 'manual' });
    const crm = new CrmState(backend);
    crm.searchAsTyped('a', 5);
    crm.searchAsTyped('al', 5);
    crm.searchAsTyped('alp', 5);
    await vi.waitFor(() => expect(crm.query).toBe('alp'));
    expect(backend.searches).toEqual(['alp']);
  });

  it('exports the CRM as a dated file, or says why it could not', async () => {
    const backend = new MemoryCrm();
    await backend.add({ name: 'Alpha', domain: 'alpha.com', source: 'manual' });
    const crm = new CrmState(backend);
    const exported = await crm.exportCsv(Date.UTC(2026, 10, 22, 12));
    expect(exported?.fileName).toMatch(/^sift-2026-11-22-\d{4}-crm\.csv$/);
    expect(exported?.csv).toContain('Alpha,alpha.com');
    expect(crm.status).toBe('CSV exported.');
    backend.exportCsv = async () => {
      throw new Error('the worker stopped');
    };
    expect(await crm.exportCsv()).toBeNull();
    expect(crm.error).toBe('The export failed: the worker stopped');
  });
});

describe('the CRM panel and the page’s one CrmState', () => {
  it('renders the shared state by default, so a panel mounted again shows the import still running', () => {
    const text = 'Name,Website\nAcme,acme.com\n';
    crmState.preview = previewCsv(new TextEncoder().encode(text), text.length);
    crmState.plan = planFromPreview(crmState.preview);
    crmState.importStage = 'importing';
    crmState.progress = { phase: 'reading', fraction: 0.25, rows: 1200 };
    try {
      for (let mount = 0; mount < 2; mount++) {
        const { body } = render(CrmPanel);
        expect(body).toContain('Reading the file: 25% (1,200 rows read)');
        expect(body).toContain('Cancel import');
      }
    } finally {
      crmState.importStage = 'idle';
      crmState.progress = null;
      crmState.preview = null;
      crmState.plan = null;
    }
  });
});
