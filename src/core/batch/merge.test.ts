import { describe, expect, it } from 'vitest';
import { markNew, type Mention, mergeMentions, StartupMerger } from './merge.ts';

let issue = 0;
function mention(parts: Partial<Mention> & Pick<Mention, 'name'>): Mention {
  return {
    url: `https://${parts.name.toLowerCase().replace(/\W+/g, '')}.io/`,
    domain: `${parts.name.toLowerCase().replace(/\W+/g, '')}.io`,
    context: `${parts.name} raised a seed round.`,
    newsletterId: `mid:${++issue}@example-news.com`,
    newsletterName: 'Example Weekly',
    date: '2025-01-06T09:00:00.000Z',
    ...parts,
  };
}

describe('mergeMentions', () => {
  it('merges mentions across newsletters by registrable domain, with counts, dates and every source', () => {
    const table = mergeMentions([
      mention({
        name: 'Quillmate',
        url: 'https://www.quillmate.io/',
        domain: 'quillmate.io',
        newsletterName: 'A',
        date: '2025-01-13T00:00:00.000Z',
      }),
      mention({
        name: 'Quillmate',
        url: 'https://app.quillmate.io/signup',
        domain: 'app.quillmate.io',
        newsletterName: 'B',
        date: '2025-01-06T00:00:00.000Z',
      }),
      mention({
        name: 'Quillmate',
        url: 'https://www.quillmate.io/',
        domain: 'quillmate.io',
        newsletterName: 'A',
        date: '2025-01-20T00:00:00.000Z',
      }),
      mention({ name: 'Tidewell', newsletterName: 'B' }),
    ]);
    expect(table.map((row) => [row.key, row.name, row.mentions, row.newsletters])).toEqual([
      ['domain:quillmate.io', 'Quillmate', 3, 2],
      ['domain:tidewell.io', 'Tidewell', 1, 1],
    ]);
    const [quillmate] = table;
    expect(quillmate).toMatchObject({
      url: 'https://www.quillmate.io/',
      domain: 'quillmate.io',
      firstSeen: '2025-01-06T00:00:00.000Z',
      lastSeen: '2025-01-20T00:00:00.000Z',
      isNew: true,
    });
    expect(quillmate?.sources.map((source) => [source.newsletterName, source.date?.slice(0, 10)])).toEqual([
      ['B', '2025-01-06'],
      ['A', '2025-01-13'],
      ['A', '2025-01-20'],
    ]);
  });

  it('counts a newsletter that mentions a startup twice once', () => {
    const twice = { newsletterId: 'mid:same@example-news.com' };
    const [row] = mergeMentions([mention({ name: 'Quillmate', ...twice }), mention({ name: 'Quillmate', ...twice })]);
    expect(row?.mentions).toBe(1);
  });

  it('keeps private-suffix sites apart (acme.vercel.app is not other.vercel.app)', () => {
    const table = mergeMentions([
      mention({ name: 'Acme', url: 'https://acme.vercel.app/', domain: 'acme.vercel.app' }),
      mention({ name: 'Other', url: 'https://other.vercel.app/', domain: 'other.vercel.app' }),
    ]);
    expect(table.map((row) => row.key).sort()).toEqual(['domain:acme.vercel.app', 'domain:other.vercel.app']);
  });

  it('merges tracker-hidden mentions by normalised name, and into the domain row the name spells', () => {
    const hidden = (name: string, newsletterName: string) =>
      mention({ name, url: `https://click.example-esp.com/${name}`, domain: null, newsletterName });
    const table = mergeMentions([
      hidden('Lumen Robotics, Inc.', 'A'),
      hidden('Lumen Robotics', 'B'),
      hidden('Quillmate', 'C'),
      mention({ name: 'Quillmate', url: 'https://quillmate.io/', domain: 'quillmate.io', newsletterName: 'D' }),
      mention({ name: 'Acme', url: 'https://acme.co.uk/', domain: 'acme.co.uk', newsletterName: 'E' }),
      hidden('ACME', 'F'),
    ]);
    // Equal counts and dates: by name.
    expect(table.map((row) => [row.key, row.mentions, row.url])).toEqual([
      ['domain:acme.co.uk', 2, 'https://acme.co.uk/'],
      ['name:lumenrobotics', 2, 'https://click.example-esp.com/Lumen Robotics'],
      ['domain:quillmate.io', 2, 'https://quillmate.io/'],
    ]);
    expect(table[1]?.domain).toBeNull();
  });

  it('gives the same table whether mentions arrive at once or newsletter by newsletter', () => {
    const mentions = [
      mention({ name: 'Quillmate', domain: null, url: 'https://t.example/1' }),
      mention({ name: 'Tidewell' }),
      mention({ name: 'Quillmate' }),
    ];
    const merger = new StartupMerger();
    for (const one of mentions) {
      merger.add(one);
      merger.table();
    }
    expect(merger.table()).toEqual(mergeMentions(mentions));
  });

  it('leaves out a mention with neither domain nor name', () => {
    expect(mergeMentions([mention({ name: '', domain: null })])).toEqual([]);
  });
});

describe('markNew', () => {
  const table = mergeMentions([
    mention({ name: 'Quillmate', date: '2025-01-02T00:00:00.000Z' }),
    mention({ name: 'Tidewell', date: '2025-01-09T00:00:00.000Z' }),
    mention({ name: 'Lumen', date: null }),
  ]);
  const isNew = (rows: typeof table) => Object.fromEntries(rows.map((row) => [row.name, row.isNew]));

  it('marks startups first seen since a date as new', () => {
    expect(isNew(markNew(table, { since: '2025-01-06' }))).toEqual({ Quillmate: false, Tidewell: true, Lumen: false });
  });

  it('marks startups not among the keys seen before (the last batch) as new', () => {
    expect(isNew(markNew(table, { seenKeys: new Set(['domain:quillmate.io']) }))).toEqual({
      Quillmate: false,
      Tidewell: true,
      Lumen: true,
    });
  });
});
