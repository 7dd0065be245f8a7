import { describe, expect, it } from 'vitest';
import { documentDate } from './document-date.ts';
import { screenItem } from './screen.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const NOW = Date.UTC(2026, 11, 7);

describe('documentDate', () => {
  it('reads the sharing metadata whatever the order of its attributes', () => {
    const page = `<html><head><meta content="2025-03-04T08:00:00Z" property="article:published_time"></head></html>`;
    expect(documentDate(bytes(page), NOW)).toBe('2025-03-04T08:00:00.000Z');
    const named = `<meta name='date' content='2024-11-02'>`;
    expect(documentDate(bytes(named), NOW)).toBe('2024-11-02T00:00:00.000Z');
  });

  it('reads a post dated by its first <time datetime>, JSON-LD, front matter or a Gmail message', () => {
    expect(documentDate(bytes('<p>By Ana</p><time dateTime="2024-09-25T14:10:24.838Z">Sep 25</time>'), NOW)).toBe(
      '2024-09-25T14:10:24.838Z',
    );
    expect(documentDate(bytes('<script type="application/ld+json">{"datePublished":"2023-02-07"}</script>'), NOW)).toBe(
      '2023-02-07T00:00:00.000Z',
    );
    expect(documentDate(bytes('---\ntitle: Issue 12\ndate: 2026-04-21\n---\n# Issue 12'), NOW)).toBe(
      '2026-04-21T00:00:00.000Z',
    );
    expect(documentDate(bytes('{"id":"18c","internalDate":"1714000000000","payload":{}}'), NOW)).toBe(
      new Date(1714000000000).toISOString(),
    );
  });

  it('takes nothing that is not a publication date: none stated, an event far down, nonsense or the future', () => {
    expect(documentDate(bytes('<p>Loomwise raised $4M.</p>'), NOW)).toBeNull();
    const event = `${'Loomwise raised $4M. '.repeat(200)}\nDate: Thursday, March 5, 2026`;
    expect(documentDate(bytes(event), NOW)).toBeNull();
    expect(documentDate(bytes('<time datetime="soon-ish">soon</time>'), NOW)).toBeNull();
    expect(documentDate(bytes('<meta property="article:published_time" content="2099-01-01">'), NOW)).toBeNull();
    expect(documentDate(bytes('<meta property="article:published_time" content="1970-01-01">'), NOW)).toBeNull();
  });
});

describe('a chosen document in a batch', () => {
  const item = (text: string) => ({
    kind: 'document' as const,
    origin: { file: 'issue.html', index: 0 },
    readBytes: 0,
    bytes: bytes(text),
    fileName: 'issue.html',
    lastModified: Date.UTC(2026, 11, 7),
  });

  it("is dated by the date it states, and by the file's date when it states none", async () => {
    const dated = await screenItem(
      item('<time datetime="2024-09-25T14:10:24Z">Sep 25</time><a href="https://x.io">X</a>'),
    );
    expect(dated.kind === 'newsletter' && dated.meta.date).toBe('2024-09-25T14:10:24.000Z');
    const undated = await screenItem(item('<a href="https://x.io">X</a>'));
    expect(undated.kind === 'newsletter' && undated.meta.date).toBe('2026-12-07T00:00:00.000Z');
  });
});
