import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSources, totalBytes } from './sources.ts';
import { extractLinks } from '../links/pipeline.ts';
import { screenItem } from './screen.ts';
import {
  batchFile,
  bytesOf,
  collect,
  email,
  gmailJson,
  gmailRawJson,
  mbox,
  newsletter,
  textOf,
} from './test-messages.ts';
import type { SourceItem } from './types.ts';

const summary = (items: SourceItem[]) =>
  items.map((item) => {
    const where = [item.origin.file, item.origin.entry, item.origin.index]
      .filter((part) => part !== undefined)
      .join(' › ');
    if (item.kind === 'ignored') return `ignored ${where} (${item.reason}${item.detail ? `: ${item.detail}` : ''})`;
    if (item.kind === 'problem') return `problem ${where}`;
    return `${item.kind} ${where}`;
  });

describe('readSources', () => {
  it('turns many files of every kind into one stream of items, in the order given', async () => {
    const files = [
      batchFile('Inbox.mbox', mbox([newsletter(), email()])),
      batchFile('issue.eml', newsletter()),
      batchFile('issue.html', '<p>hi</p>', { lastModified: Date.UTC(2025, 0, 6) }),
      batchFile('export.zip', zipSync({ 'a.md': bytesOf('# A') })),
      batchFile('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff])),
    ];
    const counter = { bytes: 0 };
    const items = await collect(readSources(files, { counter }));
    expect(summary(items)).toEqual([
      'email Inbox.mbox › 1',
      'email Inbox.mbox › 2',
      'email issue.eml',
      'document issue.html',
      'document export.zip › a.md',
      'ignored photo.jpg (unsupported-file: .jpg)',
    ]);
    expect(items[3]).toMatchObject({ kind: 'document', fileName: 'issue.html', lastModified: Date.UTC(2025, 0, 6) });
    expect(counter.bytes).toBe(totalBytes(files));
    expect(items.at(-1)?.readBytes).toBe(totalBytes(files));
  });

  it("reads a dropped Apple Mail export folder: the extensionless 'mbox' file, not its bookkeeping", async () => {
    const files = [
      batchFile('mbox', mbox([newsletter()]), { path: 'Newsletters.mbox/mbox' }),
      batchFile('Info.plist', '<plist/>', { path: 'Newsletters.mbox/Info.plist' }),
      batchFile('table_of_contents', 'toc', { path: 'Newsletters.mbox/table_of_contents' }),
      batchFile('.DS_Store', new Uint8Array([0, 0, 0, 1]), { path: 'Newsletters.mbox/.DS_Store' }),
    ];
    expect(summary(await collect(readSources(files)))).toEqual([
      'email Newsletters.mbox/mbox › 1',
      'ignored Newsletters.mbox/Info.plist (metadata)',
      'ignored Newsletters.mbox/table_of_contents (metadata)',
      'ignored Newsletters.mbox/.DS_Store (metadata)',
    ]);
  });

  it('reads a Thunderbird folder (an mbox without extension) and skips its .msf index', async () => {
    const files = [
      batchFile('Inbox', mbox([newsletter()], { separator: () => 'From - Mon Jul 11 12:08:34 2011' }), {
        path: 'Local Folders/Inbox',
      }),
      batchFile('Inbox.msf', '// <!-- <mdb:mork:z v="1.4"/> -->', { path: 'Local Folders/Inbox.msf' }),
      batchFile('README', 'just words'),
    ];
    expect(summary(await collect(readSources(files)))).toEqual([
      'email Local Folders/Inbox › 1',
      'ignored Local Folders/Inbox.msf (metadata)',
      'ignored README (unsupported-file: no extension, and not mail)',
    ]);
  });

  it('reads the message out of an Apple Mail .emlx file', async () => {
    const message = newsletter();
    const emlx = `${bytesOf(message).length}\n${message}<?xml version="1.0"?><plist><dict/></plist>`;
    const [item] = await collect(readSources([batchFile('1234.emlx', emlx)]));
    expect(item?.kind === 'email' && textOf(item.bytes)).toBe(message);
  });

  it('reads email exported as JSON: a Gmail API message as the email it stands for, screened by its headers', async () => {
    const rawMessage = newsletter({ messageId: 'raw-1@example-news.com' });
    const listHeaders: Array<[string, string]> = [
      ['From', 'Example Weekly <hello@example-news.com>'],
      ['Subject', 'Example Weekly #2'],
      ['Date', 'Mon, 13 Jan 2025 09:00:00 +0000'],
      ['Message-ID', '<json-1@example-news.com>'],
      ['List-Unsubscribe', '<https://example-news.com/unsubscribe?u=1>'],
      ['List-Id', 'Example Weekly <weekly.example-news.com>'],
    ];
    const files = [
      batchFile(
        'issue.json',
        gmailJson({ headers: listHeaders, html: '<a href="https://quillmate.io">Quillmate</a>' }),
      ),
      batchFile(
        'lunch.json',
        gmailJson({
          headers: [
            ['From', 'Ada <ada@example.org>'],
            ['To', 'me@example.net'],
          ],
          text: 'Lunch?',
        }),
      ),
      batchFile('raw.json', gmailRawJson(rawMessage)),
      batchFile(
        'flat.json',
        JSON.stringify({ from: 'News <n@news.example>', htmlBody: '<a href="https://x.io">X</a>' }),
      ),
      batchFile('package.json', JSON.stringify({ name: 'not-mail', version: '1.0.0' })),
    ];
    const items = await collect(readSources(files, { counter: { bytes: 0 } }));
    expect(summary(items)).toEqual([
      'email issue.json',
      'email lunch.json',
      'email raw.json',
      'document flat.json',
      'ignored package.json (not-a-message)',
    ]);
    const screened = await Promise.all(
      items.slice(0, 3).map((item) => screenItem(item as Extract<SourceItem, { kind: 'email' }>)),
    );
    expect(screened.map((result) => result.kind)).toEqual(['newsletter', 'skipped', 'newsletter']);
    expect(screened[0]).toMatchObject({ meta: { key: 'mid:json-1@example-news.com', subject: 'Example Weekly #2' } });
    expect(screened[1]).toMatchObject({ reason: 'personal' });
    expect(items[2]?.kind === 'email' && textOf(items[2].bytes)).toBe(rawMessage);
    // The rebuilt message is read by the same pipeline as an .eml.
    const report = await extractLinks((items[0] as Extract<SourceItem, { kind: 'email' }>).bytes, {
      fileName: 'message.eml',
    });
    expect(report.links.map((link) => link.domain)).toContain('quillmate.io');
  });

  it('reads JSON mail exports inside a zip the same way', async () => {
    const zip = zipSync({
      'export/issue.json': bytesOf(gmailRawJson(newsletter({ messageId: 'zipped-1@example-news.com' }))),
      'export/flat.json': bytesOf(JSON.stringify({ from: 'n@news.example', htmlBody: '<a href="https://x.io">X</a>' })),
      'export/package.json': bytesOf(JSON.stringify({ name: 'export-script' })),
    });
    expect(summary(await collect(readSources([batchFile('gmail.zip', zip)])))).toEqual([
      'email gmail.zip › export/issue.json',
      'document gmail.zip › export/flat.json',
      'ignored gmail.zip › export/package.json (not-a-message)',
    ]);
  });

  it('says why it leaves out Outlook files and files too large to be a newsletter', async () => {
    const items = await collect(
      readSources([batchFile('a.msg', new Uint8Array([0xd0, 0xcf])), batchFile('big.eml', 'x'.repeat(2000))], {
        limits: { maxMessageBytes: 1000 },
      }),
    );
    expect(summary(items)).toEqual([
      'ignored a.msg (unsupported-file: Outlook .msg (save messages as .eml instead))',
      'ignored big.eml (too-large: 2 kB, over 1000 bytes)',
    ]);
  });

  it('turns a file that cannot be read into a problem and reads the files after it', async () => {
    const broken = {
      name: 'gone.eml',
      blob: {
        size: 10,
        arrayBuffer: () => Promise.reject(new Error('The file was moved')),
        slice: () => new Blob([]),
        stream: () => new ReadableStream(),
      } as unknown as Blob,
    };
    const items = await collect(readSources([broken, batchFile('ok.eml', newsletter())]));
    expect(summary(items)).toEqual(['problem gone.eml', 'email ok.eml']);
    expect(items[0]).toMatchObject({
      problem:
        'gone.eml could not be read (The file was moved): it may have been moved or changed since you chose it. The other files were read.',
    });
  });

  it('reads nothing more once the signal aborts', async () => {
    const controller = new AbortController();
    const files = Array.from({ length: 10 }, (_, i) => batchFile(`${i}.eml`, newsletter()));
    const seen: SourceItem[] = [];
    for await (const item of readSources(files, { signal: controller.signal })) {
      seen.push(item);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toHaveLength(2);
  });
});
