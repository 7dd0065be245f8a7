import { describe, expect, it } from 'vitest';
import { previewCsv } from './preview.ts';
import { readCompaniesCsv } from './read.ts';
import { type CsvImportPlan, ImportCancelledError, planFromPreview } from './types.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const preview = (text: string) => previewCsv(encode(text), encode(text).length);

let ids = 0;
const context = () => ({ newId: () => `id${++ids}`, now: 1_750_000_000_000 });

async function importText(text: string, change?: (plan: CsvImportPlan) => void) {
  const plan = planFromPreview(preview(text));
  change?.(plan);
  return readCompaniesCsv(text, plan, context());
}

describe('readCompaniesCsv', () => {
  it('imports rows, merges duplicates by domain and reports bad rows with their line number', async () => {
    const text = [
      'Record ID,Company name,Company Domain Name,Notes',
      '1,Acme,acme.com,"first line',
      'second line"',
      '2,,,',
      '3,Acme Robotics,https://app.acme.com,another note',
      '4,Globex,not a domain,',
      '',
      '5,Initech,initech.com,',
    ].join('\n');
    const result = await importText(text);
    expect(result.rows).toBe(5);
    expect(result.merged).toBe(1);
    expect(result.skipped).toBe(2);
    expect(result.rowErrors).toEqual([
      { line: 4, message: 'no company name, domain or website' },
      { line: 6, message: '“not a domain” is not a web domain (expected something like acme.com).' },
    ]);
    expect(result.companies.map((c) => [c.name, c.domain, c.externalId, c.source])).toEqual([
      ['Acme', 'acme.com', '1', 'csv:hubspot'],
      ['Initech', 'initech.com', '5', 'csv:hubspot'],
    ]);
    expect(result.companies[0]!.notes).toBe('first line\nsecond line\n\nanother note');
  });

  it('warns, and stays fast, when thousands of rows share one domain', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `Company ${i},https://company${i}.example.com,note ${i}`);
    const result = await importText(`Name,Website,Notes\n${rows.join('\n')}\n`);
    expect(result.companies).toHaveLength(1);
    expect(result.merged).toBe(19_999);
    expect(result.warnings).toEqual([
      '20,000 rows share the domain example.com and became one company. If that is not one company’s own site, map another column to Website or Domain and import again.',
    ]);
  });

  it('splits multi-domain cells into a domain and aliases, and ignores shared hosts like LinkedIn', async () => {
    const result = await importText(
      'Record ID,Name,Domains,Website\n1,Acme,"acme.com, acme.io",\n2,Globex,,https://www.linkedin.com/company/globex\n',
    );
    expect(result.companies.map((c) => [c.domain, c.aliasDomains])).toEqual([
      ['acme.com', ['acme.io']],
      [null, []],
    ]);
  });

  it('skips the sep= line and a BOM', async () => {
    const result = await importText('\uFEFFsep=;\nName;Website\nAcme;acme.com\n');
    expect(result.companies.map((c) => c.domain)).toEqual(['acme.com']);
    expect(result.rowErrors).toEqual([]);
  });

  it('reports a row with more values than the header', async () => {
    const result = await importText('Name,Website\nAcme, Inc,acme.com\nGlobex,globex.com\n');
    expect(result.rowErrors).toEqual([
      { line: 2, message: 'has 3 values but the header has 2: is a value with a “,” missing its quotes?' },
    ]);
    expect(result.companies).toHaveLength(1);
  });

  it('stops with the line of an unclosed quote and imports nothing', async () => {
    const text = 'Name,Website\nAcme,acme.com\n"Globex,globex.com\nInitech,initech.com\n';
    await expect(importText(text)).rejects.toThrow(/^Line 3: a quoted value starts here and is never closed/);
  });

  it('keeps multi-byte characters whole across read boundaries', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `Zoë Café ${i},zoe${i}.com`);
    const result = await importText(`Name,Website\n${rows.join('\n')}\n`);
    expect(result.companies).toHaveLength(40_000);
    expect(result.companies.filter((company) => !company.name.startsWith('Zoë Café '))).toEqual([]);
  });

  it('gives up on a quote never closed early in a large file, with its line', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `Company ${i},c${i}.com`);
    rows[1] = '"Broken,broken.com';
    await expect(importText(`Name,Website\n${rows.join('\n')}\n`)).rejects.toThrow(/^Line 3: a quoted value/);
  });

  it('says so when no row could be imported (a wrong separator, say)', async () => {
    await expect(
      importText('Name,Website\nAcme;acme.com\n', (plan) => {
        plan.mapping = { ...plan.mapping, name: null, website: 1 };
      }),
    ).rejects.toThrow(/None of the 1 rows could be imported/);
    await expect(importText('Name,Website\n')).rejects.toThrow(/header but no rows/);
  });

  it('stops when cancelled', async () => {
    const text = `Name,Website\n${Array.from({ length: 60_000 }, (_, i) => `Company ${i},c${i}.com`).join('\n')}`;
    const plan = planFromPreview(preview(text));
    await expect(readCompaniesCsv(text, plan, { ...context(), shouldStop: () => true })).rejects.toThrow(
      ImportCancelledError,
    );
  });

  it('streams a 50 MB export with many columns', async () => {
    const filler = 'x'.repeat(380);
    const lines = ['Record ID,Company name,Company Domain Name,About'];
    let size = lines[0]!.length;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const line = `${i},Company ${i},company${i}.com,${filler}`;
      lines.push(line);
      size += line.length + 1;
    }
    const text = lines.join('\n');
    const progress: number[] = [];
    const result = await readCompaniesCsv(text, planFromPreview(preview(text.slice(0, 300_000))), {
      ...context(),
      onProgress: ({ fraction }) => progress.push(fraction),
    });
    expect(result.companies.length).toBe(lines.length - 1);
    expect(progress.length).toBeGreaterThan(40);
    expect(progress.at(-1)).toBe(1);
  }, 60_000);
});
