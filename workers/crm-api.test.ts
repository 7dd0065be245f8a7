import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { previewCsv } from '../src/core/crm/csv/preview.ts';
import { planFromPreview } from '../src/core/crm/csv/types.ts';
import { CrmStorage } from '../src/storage/crm.ts';
import { crmApi } from './crm-api.ts';

const file = (text: string, name = 'companies.csv') => new File([text], name, { type: 'text/csv' });

async function importText(text: string, mode: 'replace' | 'merge', onProgress?: () => void) {
  const csv = file(text);
  const preview = await crmApi.previewCsv(csv);
  return crmApi.importCsv(csv, planFromPreview(preview), { mode, fileName: csv.name }, onProgress);
}

describe('crmApi (the tools worker’s CRM, over IndexedDB)', () => {
  it('imports, matches, adds, tags, merges a second file and survives a reload of the store', async () => {
    expect(await crmApi.openCrm()).toEqual({ count: 0, lastImport: null });
    const progress: string[] = [];
    const report = await importText(
      'Record ID,Company name,Company Domain Name\n1,Acme Robotics,acme.com\n2,Globex,globex.io\n',
      'replace',
      () => progress.push('tick'),
    );
    expect(report).toMatchObject({ mode: 'replace', imported: 2, total: 2, rowErrors: [] });
    expect(progress.length).toBeGreaterThan(0);

    const [byDomain, byName, unknown] = await crmApi.matchCompanies([
      { domain: 'https://app.acme.com' },
      { name: 'Globex Inc.', domain: 'globex.com' },
      { domain: 'initech.com', name: 'Initech' },
    ]);
    expect(byDomain!.status).toBe('in-crm');
    expect(byName!.status).toBe('possible');
    expect(unknown!.status).toBe('not-in-crm');

    const added = await crmApi.addCompany({ name: 'Initech', website: 'https://initech.com', source: 'manual' });
    await expect(crmApi.addCompany({ name: 'Initech 2', domain: 'initech.com', source: 'manual' })).rejects.toThrow(
      /initech\.com is already in your CRM as “Initech”/,
    );
    const tagged = await crmApi.tagCompany(added.id, ['newsletter-nov', 'newsletter-nov']);
    expect(tagged.tags).toEqual(['newsletter-nov']);
    await expect(crmApi.tagCompany('nope', ['x'])).rejects.toThrow(/No company with id/);

    // Merge: acme.com folds into the existing record (same id), a new domain is added.
    const acme = (await crmApi.matchCompanies([{ domain: 'acme.com' }]))[0]!.company!;
    const merged = await importText('Name,Website,Tags\nACME,https://acme.com,robotics\nHooli,hooli.xyz,\n', 'merge');
    expect(merged).toMatchObject({ imported: 2, total: 4 });
    const after = (await crmApi.matchCompanies([{ domain: 'acme.com' }]))[0]!.company!;
    expect(after).toMatchObject({ id: acme.id, name: 'Acme Robotics', tags: ['robotics'] });

    // What the worker holds is what IndexedDB holds.
    const stored = await new CrmStorage().load();
    expect(stored.map((company) => company.name).sort()).toEqual(['Acme Robotics', 'Globex', 'Hooli', 'Initech']);
    expect((await crmApi.searchCompanies('newsletter')).companies.map((company) => company.name)).toEqual(['Initech']);
    expect((await crmApi.openCrm()).lastImport).toMatchObject({ fileName: 'companies.csv', companies: 2 });
  });

  it('leaves the CRM as it was when an import is cancelled or the file is bad', async () => {
    const before = (await crmApi.searchCompanies('', 0, 100)).companies;
    const rows = Array.from({ length: 50_000 }, (_, i) => `Company ${i},c${i}.com`).join('\n');
    const big = file(`Name,Website\n${rows}\n`);
    const plan = planFromPreview(await crmApi.previewCsv(big));
    const running = crmApi.importCsv(big, plan, { mode: 'replace', fileName: 'big.csv' }, () => crmApi.cancelImport());
    await expect(running).rejects.toThrow('Import cancelled. Your CRM is unchanged.');
    await expect(importText('Name,Website\n"Broken,broken.com\nOk,ok.com\n', 'replace')).rejects.toThrow(/^Line 2/);
    expect((await crmApi.searchCompanies('', 0, 100)).companies).toEqual(before);
    expect((await new CrmStorage().load()).length).toBe(before.length);
  });

  it('exports what re-imports to the same companies', async () => {
    const before = (await crmApi.searchCompanies('', 0, 100)).companies;
    const csv = await crmApi.exportCsv();
    const preview = previewCsv(new TextEncoder().encode(csv), csv.length);
    expect(preview.format).toBe('sift');
    await importText(csv, 'replace');
    expect((await crmApi.searchCompanies('', 0, 100)).companies).toEqual(before);
    expect(await crmApi.exportCsv()).toBe(csv);
  });
});
