import { describe, expect, it } from 'vitest';
import { previewCsv } from './preview.ts';
import { CsvFileError } from './types.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const preview = (text: string) => previewCsv(encode(text), encode(text).length);

describe('previewCsv recognises CRM exports', () => {
  it.each([
    ['hubspot', 'Record ID,Company name,Company Domain Name,Create Date,Lifecycle Stage', ['name', 1], ['domain', 2]],
    ['attio', 'Record ID,Name,Domains,Description,Created at', ['name', 1], ['domain', 2]],
    [
      'pipedrive',
      'Organization - ID,Organization - Name,Organization - Address,Organization - Owner,Organization - Label,Organization - Website',
      ['name', 1],
      ['website', 5],
    ],
    ['affinity', 'Organization Id,Organization Name,Website,Lists', ['name', 1], ['website', 2]],
    ['salesforce', 'Account ID,Account Name,Website,Type', ['name', 1], ['website', 2]],
    ['notion', 'Name,Website,Tags,Created time', ['name', 0], ['website', 1]],
    ['generic', 'Name,Website,Stage', ['name', 0], ['website', 1]],
  ] as const)('%s', (format, header, [field1, column1], [field2, column2]) => {
    const result = preview(`${header}\nAcme,acme.com,x,y,z,w\n`);
    expect(result.format).toBe(format);
    expect(result.mapping[field1]).toBe(column1);
    expect(result.mapping[field2]).toBe(column2);
    expect(result.warnings).toEqual([]);
  });

  it('maps HubSpot’s Record ID to the external id and its created date', () => {
    const { mapping } = preview('Record ID,Company name,Company Domain Name,Create Date\n1,Acme,acme.com,2024-01-02\n');
    expect(mapping).toMatchObject({ externalId: 0, name: 1, domain: 2, createdAt: 3, website: null });
  });

  it('reads Excel’s sep= line, a byte-order mark and semicolons', () => {
    const result = preview('\uFEFFsep=;\r\nName;Website\r\nAcme;acme.com\r\n');
    expect(result).toMatchObject({ sepLine: true, delimiter: ';', headers: ['Name', 'Website'] });
    expect(result.sample).toEqual([['Acme', 'acme.com']]);
  });

  it('detects the separator without a sep= line', () => {
    expect(preview('Name\tWebsite\nAcme\tacme.com\n').delimiter).toBe('\t');
    expect(preview('Name;Website\nAcme;acme.com\n').delimiter).toBe(';');
  });

  it('re-reads with the separator the user chose', () => {
    const text = 'Name;Website,Stage\nAcme;acme.com,seed\n';
    expect(previewCsv(encode(text), text.length, ';').headers).toEqual(['Name', 'Website,Stage']);
  });

  it('reads UTF-16 (Excel “Unicode text”) and Windows-1252 files', () => {
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...[...'Name\tWebsite\nZoë\tzoe.com\n'].flatMap((c) => [c.charCodeAt(0), 0]),
    ]);
    expect(previewCsv(utf16, utf16.length)).toMatchObject({ encoding: 'utf-16le', sample: [['Zoë', 'zoe.com']] });
    const latin1 = new Uint8Array([...encode('Name,Website\nZo'), 0xeb, ...encode(',zoe.com\n')]);
    expect(previewCsv(latin1, latin1.length)).toMatchObject({ encoding: 'windows-1252', sample: [['Zoë', 'zoe.com']] });
  });

  it('warns when one column suggests another separator', () => {
    const result = preview('Name|Website\nAcme|acme.com\n');
    expect(result.delimiter).toBe('|');
    const semicolons = previewCsv(encode('Name;Website'), 12);
    expect(semicolons.headers.length).toBeGreaterThan(0);
    const single = preview('Company Name:Website\nAcme:acme.com\n');
    expect(single.warnings.join(' ')).toMatch(/Only one column was found/);
  });

  it.each([
    [[0x50, 0x4b, 0x03, 0x04, 1, 2, 3], /Excel \.xlsx/],
    [[0xd0, 0xcf, 0x11, 0xe0, 1], /old Excel \.xls/],
    [[...encode('%PDF-1.7\n')], /PDF/],
    [[...encode('Name,Website\n'), 0, 1, 2, 3], /binary data/],
    [[...encode('<!DOCTYPE html><html><body>hi</body></html>')], /HTML/],
    [[...encode('[{"name":"Acme"}]')], /JSON/],
    [[...encode('"Name,Website\nAcme,acme.com')], /never closed/],
    [[], /empty/],
  ])('refuses a file that is not a CSV: %#', (bytes, message) => {
    const data = new Uint8Array(bytes);
    expect(() => previewCsv(data, data.length)).toThrow(CsvFileError);
    expect(() => previewCsv(data, data.length)).toThrow(message);
  });

  it('refuses a file over the size limit before reading it', () => {
    expect(() => previewCsv(encode('Name\nA\n'), 500 * 1024 * 1024)).toThrow(/up to 200 MB/);
  });
});
