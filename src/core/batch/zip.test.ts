import { Zip, ZipDeflate, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { SourceItem, SourceLimits } from './types.ts';
import { readZip, unsafeEntryPath } from './zip.ts';
import { bytesOf, chunked, collect, email, mbox, newsletter, textOf } from './test-messages.ts';

async function read(zip: Uint8Array, limits: Partial<SourceLimits> = {}, chunk = 4096): Promise<SourceItem[]> {
  return collect(readZip(chunked(zip, chunk), { file: 'export.zip' }, { counter: { bytes: 0 }, limits }));
}

const summary = (items: SourceItem[]) =>
  items.map((item) => {
    if (item.kind === 'ignored') return `ignored ${item.origin.entry} (${item.reason})`;
    if (item.kind === 'problem') return `problem${item.fatal ? ' (fatal)' : ''}: ${item.problem}`;
    return `${item.kind} ${item.origin.entry}${item.origin.index ? ` #${item.origin.index}` : ''}`;
  });

/** A zip written as a stream (data descriptors after each entry, sizes unknown up front), like many exporters do. */
function streamedZip(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    parts.push(data);
  });
  for (const [name, bytes] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(bytes, true);
  }
  zip.end();
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const zipOf = (files: Zippable) => zipSync(files, { level: 6 });

describe('readZip', () => {
  it('yields .eml, .html, .md and .txt entries, in archive order, with their paths as labels', async () => {
    const items = await read(
      zipOf({
        '2025/issue-1.eml': bytesOf(newsletter()),
        'issue-2.html': bytesOf('<p><a href="https://quillmate.io">Quillmate</a></p>'),
        'notes/issue-3.md': bytesOf('[Quillmate](https://quillmate.io) raised.'),
        'issue-4.txt': bytesOf('Quillmate https://quillmate.io'),
      }),
    );
    expect(summary(items)).toEqual([
      'email 2025/issue-1.eml',
      'document issue-2.html',
      'document notes/issue-3.md',
      'document issue-4.txt',
    ]);
    const markdown = items[2];
    expect(markdown?.kind === 'document' && markdown.fileName).toBe('issue-3.md');
  });

  it('reads entries written with data descriptors (no sizes in the local headers)', async () => {
    const message = newsletter();
    const items = await read(streamedZip({ 'a.eml': bytesOf(message), 'b.html': bytesOf('<p>hi</p>') }), {}, 777);
    expect(summary(items)).toEqual(['email a.eml', 'document b.html']);
    expect(items[0]?.kind === 'email' && textOf(items[0].bytes)).toBe(message);
  });

  it('splits an .mbox entry as it inflates (a Gmail Takeout download)', async () => {
    const messages = [newsletter({ subject: 'One' }), email({ subject: 'Lunch' }), newsletter({ subject: 'Two' })];
    const items = await read(
      zipOf({ 'Takeout/Mail/All mail Including Spam and Trash.mbox': bytesOf(mbox(messages)) }),
      {},
      500,
    );
    expect(summary(items)).toEqual([
      'email Takeout/Mail/All mail Including Spam and Trash.mbox #1',
      'email Takeout/Mail/All mail Including Spam and Trash.mbox #2',
      'email Takeout/Mail/All mail Including Spam and Trash.mbox #3',
    ]);
  });

  it('never uses an unsafe entry name as a path: ../, absolute and drive paths are left unread', async () => {
    const items = await read(
      zipOf({
        '../../etc/evil.eml': bytesOf(newsletter()),
        '/abs/evil.eml': bytesOf(newsletter()),
        'C:/Windows/evil.eml': bytesOf(newsletter()),
        'ok/fine.eml': bytesOf(newsletter()),
      }),
    );
    expect(summary(items)).toEqual([
      'ignored ../../etc/evil.eml (unsafe-path)',
      'ignored /abs/evil.eml (unsafe-path)',
      'ignored C:/Windows/evil.eml (unsafe-path)',
      'email ok/fine.eml',
    ]);
    expect(items[0]?.kind === 'ignored' && items[0].detail).toBe('a path that climbs out of the archive (../)');
  });

  it('names what an unsafe path is', () => {
    expect(unsafeEntryPath('a/../../b.eml')).toMatch(/climbs out/);
    expect(unsafeEntryPath('..\\b.eml')).toMatch(/climbs out/);
    expect(unsafeEntryPath('\\server\\b.eml')).toBe('an absolute path');
    expect(unsafeEntryPath('D:b.eml')).toBe('a drive path');
    expect(unsafeEntryPath('a/..b/c.eml')).toBeNull();
  });

  it('leaves out macOS metadata, nested zips and formats it does not read, each with its reason', async () => {
    const items = await read(
      zipOf({
        '__MACOSX/._a.eml': bytesOf('binary resource fork'),
        'a.eml': bytesOf(newsletter()),
        'inner.zip': zipOf({ 'x.eml': bytesOf(newsletter()) }),
        'report.pdf': bytesOf('%PDF-1.7'),
        'Inbox.mbox/table_of_contents': bytesOf('toc'),
      }),
    );
    expect(summary(items)).toEqual([
      'ignored __MACOSX/._a.eml (metadata)',
      'email a.eml',
      'ignored inner.zip (nested-archive)',
      'ignored report.pdf (unsupported-file)',
      'ignored Inbox.mbox/table_of_contents (metadata)',
    ]);
  });

  it('stops at a zip bomb (an entry that expands far beyond its size) and keeps what came before', async () => {
    const items = await read(zipOf({ 'first.eml': bytesOf(newsletter()), 'bomb.eml': new Uint8Array(8 * 1_048_576) }));
    expect(summary(items)).toEqual([
      'email first.eml',
      expect.stringMatching(
        /^problem \(fatal\): export\.zip looks like a zip bomb: "bomb\.eml" expands more than 100 times its compressed size\. Reading stopped there; what came before was kept\.$/,
      ),
    ]);
  });

  it('stops when the entries together expand beyond the total limit', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 10; i++) files[`n${i}.txt`] = bytesOf(`${i} `.repeat(20_000));
    const items = await read(zipOf(files), { maxZipTotalBytes: 200_000, maxZipRatio: 1e9 });
    const fatal = items.filter((item) => item.kind === 'problem');
    expect(fatal).toEqual([
      expect.objectContaining({
        fatal: true,
        problem: expect.stringMatching(/expands to more than 195 kB: reading stopped there/),
      }),
    ]);
    expect(items.filter((item) => item.kind === 'document').length).toBeGreaterThan(0);
  });

  it('stops after too many entries', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 20; i++) files[`n${i}.txt`] = bytesOf(`issue ${i}`);
    const items = await read(zipOf(files), { maxZipEntries: 5 });
    expect(items.filter((item) => item.kind === 'document')).toHaveLength(5);
    expect(items.at(-1)).toMatchObject({
      kind: 'problem',
      fatal: true,
      problem: expect.stringMatching(/has more than 5 entries/),
    });
  });

  it('skips an entry larger than the message limit and reads the next', async () => {
    const items = await read(
      zipOf({ 'huge.html': bytesOf('<p>x</p>'.repeat(10_000)), 'b.eml': bytesOf(newsletter()) }),
      {
        maxMessageBytes: 20_000,
      },
    );
    expect(summary(items)).toEqual(['ignored huge.html (too-large)', 'email b.eml']);
  });

  it('skips an entry with a compression it cannot read and reads the rest', async () => {
    const zip = zipOf({ 'a.eml': bytesOf(newsletter()), 'b.eml': bytesOf(newsletter()) });
    // The first local header's compression method (offset 8) set to LZMA (14).
    zip[8] = 14;
    const items = await read(zip);
    expect(summary(items)).toEqual(['ignored a.eml (unreadable-entry)', 'email b.eml']);
  });

  it('says a cut-off archive is damaged and keeps the entries before the cut', async () => {
    // Words that do not compress away, so the cut lands inside the second entry's data.
    let seed = 7;
    const words = Array.from({ length: 5000 }, () => ((seed = (seed * 48271) % 2147483647) % 100000).toString(36));
    const whole = zipOf({ 'a.eml': bytesOf(newsletter()), 'b.html': bytesOf(`<p>${words.join(' ')}</p>`) });
    const items = await read(whole.subarray(0, whole.length - 2000));
    expect(items[0]).toMatchObject({ kind: 'email', origin: { entry: 'a.eml' } });
    expect(items.at(-1)).toMatchObject({
      kind: 'problem',
      fatal: true,
      problem: expect.stringMatching(/is damaged or cut off/),
    });
  });

  it.each([
    ['a text file', bytesOf('hello, not a zip'), /is not a zip archive/],
    ['an empty file', new Uint8Array(0), /is empty/],
  ])('refuses %s with a sentence', async (_, bytes, sentence) => {
    const items = await read(bytes);
    expect(items).toEqual([
      expect.objectContaining({ kind: 'problem', fatal: true, problem: expect.stringMatching(sentence) }),
    ]);
  });

  it('says so when an archive holds no files', async () => {
    const items = await read(zipOf({}));
    expect(items).toEqual([
      expect.objectContaining({ kind: 'problem', problem: expect.stringMatching(/holds no files/) }),
    ]);
  });
});
