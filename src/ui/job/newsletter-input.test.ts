import { describe, expect, it } from 'vitest';
import { InputRefusedError, MAX_FILE_BYTES, describeInput, readNewsletterFile } from './newsletter-input.ts';

const file = (parts: BlobPart[], name: string) => new File(parts, name);

describe('readNewsletterFile', () => {
  it('reads an .eml, .html, .htm, .txt, .md or .json file as bytes, whatever the case of its extension', async () => {
    for (const name of ['issue.eml', 'issue.HTML', 'issue.htm', 'issue.txt', 'issue.md', 'message.json']) {
      const input = await readNewsletterFile(file(['From: a@b.example\r\n\r\nhello'], name));
      expect(input.kind).toBe('file');
      if (input.kind === 'file') expect(input.bytes.byteLength).toBeGreaterThan(0);
    }
  });

  it('refuses other extensions, empty files and binary files with a message that names the file', async () => {
    await expect(readNewsletterFile(file(['x'], 'report.docx'))).rejects.toThrow(
      /“report\.docx” is not a file Sift reads/,
    );
    await expect(readNewsletterFile(file([], 'empty.txt'))).rejects.toThrow(/“empty\.txt” is empty/);
    await expect(readNewsletterFile(file(['%PDF-1.7\n\u0000\u0001binary'], 'issue.html'))).rejects.toThrow(
      /looks like a PDF/,
    );
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expect(readNewsletterFile(file([png], 'issue.txt'))).rejects.toBeInstanceOf(InputRefusedError);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = { name: 'huge.eml', size: MAX_FILE_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('read')) };
    await expect(readNewsletterFile(huge as unknown as File)).rejects.toThrow(/Sift reads newsletters up to 50 MB/);
  });
});

describe('describeInput', () => {
  it('names a run by its file or its first non-empty line, cut at 80 characters', () => {
    expect(describeInput({ kind: 'file', name: 'issue-42.eml', bytes: new ArrayBuffer(1) })).toBe('issue-42.eml');
    expect(describeInput({ kind: 'text', text: '\n\n  The Frontier Letter  \nbody' })).toBe('The Frontier Letter');
    expect(describeInput({ kind: 'html', html: '<p>x</p>', plain: 'y'.repeat(200) })).toHaveLength(80);
    expect(
      describeInput({
        kind: 'html',
        html: '<title>Frontier &amp; Co — Issue 42</title><p>View online</p>',
        plain: 'View online',
      }),
    ).toBe('Frontier & Co — Issue 42');
    expect(describeInput({ kind: 'html', html: '<h1 class="t">Issue\n 9</h1>', plain: 'Read online' })).toBe('Issue 9');
  });
});
