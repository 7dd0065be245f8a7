import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { markdownDigest, markdownText, mergedToCsv, mergedToJson, themeOf } from './digest.ts';
import { linkCandidate } from '../bench/sandbox.ts';
import { mentionOf } from './batch-judge.ts';
import { markNew, type Mention, mergeMentions, sponsoredIn } from './merge.ts';

const mention = (
  name: string,
  newsletterName: string,
  context: string,
  date = '2025-01-06T09:00:00.000Z',
): Mention => ({
  name,
  url: `https://${name.toLowerCase().replace(/\W+/g, '')}.io/`,
  domain: `${name.toLowerCase().replace(/\W+/g, '')}.io`,
  context,
  newsletterId: `${newsletterName}:${date}`,
  newsletterName,
  date,
});

const table = markNew(
  mergeMentions([
    mention('Quillmate', 'Example Weekly', 'Quillmate, an AI agent for release notes, raised $4M.'),
    mention(
      'Quillmate',
      'Deal Digest',
      'Quillmate closed its seed round for its LLM agents.',
      '2025-01-08T09:00:00.000Z',
    ),
    mention('Tidewell', 'Deal Digest', 'Tidewell builds batteries for grid storage.'),
    mention('=HYPERLINK("x")', 'Example Weekly', 'A name that is a spreadsheet formula.'),
  ]),
  { seenKeys: new Set(['domain:tidewell.io']) },
);

describe('mergedToCsv', () => {
  it('writes one row per startup with counts, dates and sources, formulas defused', () => {
    const rows = Papa.parse<string[]>(mergedToCsv(table), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([
      'name',
      'website',
      'link',
      'domain',
      'mentions',
      'newsletters',
      'first_seen',
      'last_seen',
      'new',
      'sponsored',
      'sentence',
      'sources',
    ]);
    expect(rows[1]).toEqual([
      'Quillmate',
      'https://quillmate.io/',
      'https://quillmate.io/',
      'quillmate.io',
      '2',
      '2',
      '2025-01-06',
      '2025-01-08',
      'yes',
      'no',
      'Quillmate closed its seed round for its LLM agents.',
      'Example Weekly (2025-01-06); Deal Digest (2025-01-08)',
    ]);
    expect(rows.find((row) => row[0]?.includes('HYPERLINK'))?.[0]).toBe(`'=HYPERLINK("x")`);
  });
});

describe('a startup seen only behind a tracker', () => {
  const tracked = markNew(
    mergeMentions([
      {
        ...mention('Loomwise', 'Example Weekly', 'Loomwise raised $2M.'),
        url: 'https://u1.ct.sendgrid.net/ls/click?upn=reader-42',
        domain: null,
      },
    ]),
    {},
  );

  it("has no website in the exports (the redirect is not the company's site) and keeps the link in its own column", () => {
    const [row] = Papa.parse<Record<string, string>>(mergedToCsv(tracked), { header: true }).data;
    expect(row).toMatchObject({ website: '', link: 'https://u1.ct.sendgrid.net/ls/click?upn=reader-42', domain: '' });
    expect(JSON.parse(mergedToJson(tracked))).toEqual([
      expect.objectContaining({ website: null, link: 'https://u1.ct.sendgrid.net/ls/click?upn=reader-42' }),
    ]);
  });

  it("is not linked in a digest: the tracker's link would share the reader's own id with whoever clicks it", () => {
    expect(markdownDigest(tracked)).toContain('- **Loomwise** — Loomwise raised $2M.');
  });
});

describe('a startup a newsletter ran as a sponsor', () => {
  const newsletter = { newsletterId: 'mid:1@deal-digest', newsletterName: 'Deal Digest', date: '2025-01-06' };
  const brightdesk = linkCandidate({ id: 'L4', domain: 'brightdesk.io', kind: 'sponsor', name: 'Brightdesk' });
  const sponsored = markNew(
    mergeMentions([
      mentionOf(brightdesk, newsletter),
      mentionOf({ ...brightdesk, kind: 'startup' }, { ...newsletter, newsletterId: 'mid:2@other-weekly' }),
    ]),
    {},
  );

  it('says in how many issues it was paid placement; the exports carry it per row and per source, the digest per line', () => {
    expect(sponsoredIn(sponsored[0]!)).toBe(1);
    const [row] = Papa.parse<Record<string, string>>(mergedToCsv(sponsored), { header: true }).data;
    expect(row).toMatchObject({ name: 'Brightdesk', sponsored: 'yes' });
    const [json] = JSON.parse(mergedToJson(sponsored)) as Array<{
      sponsored: boolean;
      sources: { sponsored: boolean }[];
    }>;
    expect(json?.sponsored).toBe(true);
    expect(json?.sources.map((source) => source.sponsored)).toEqual([true, false]);
    expect(markdownDigest(sponsored)).toContain('_(Deal Digest; 2 mentions; sponsor)_');
  });
});

describe('mergedToJson', () => {
  it('keeps every source with its sentence', () => {
    const [quillmate] = JSON.parse(mergedToJson(table)) as Array<{ sources: unknown[]; isNew: boolean }>;
    expect(quillmate).toMatchObject({
      isNew: true,
      sources: [expect.objectContaining({ newsletter: 'Example Weekly' }), expect.anything()],
    });
  });
});

describe('markdownDigest', () => {
  it('counts the new startups in its heading and groups them by the newsletter that first mentioned them', () => {
    expect(markdownDigest(table)).toBe(
      [
        '# This week: 2 new startups',
        '',
        '## Example Weekly (2)',
        '',
        '- **[Quillmate](https://quillmate.io/)** — Quillmate closed its seed round for its LLM agents. _(Example Weekly, Deal Digest; 2 mentions)_',
        '- **[=HYPERLINK\\("x"\\)](https://hyperlinkx.io/)** — A name that is a spreadsheet formula. _(Example Weekly; 1 mention)_',
        '',
      ].join('\n'),
    );
  });

  it('groups by theme words when asked, all startups included', () => {
    const digest = markdownDigest(table, { groupBy: 'theme', onlyNew: false, title: 'January' });
    expect(digest).toMatch(/^# January: 3 startups\n/);
    expect(digest).toContain('## AI (1)\n\n- **[Quillmate]');
    expect(digest).toContain('## Climate & energy (1)\n\n- **[Tidewell]');
    expect(digest).toContain('## Other (1)');
  });

  it('says so when nothing is new', () => {
    expect(markdownDigest(markNew(table, { since: '2030-01-01' }))).toBe('# This week: 0 new startups\n');
  });

  it('shows untrusted text literally: no links, emphasis or HTML from a newsletter', () => {
    expect(markdownText('[click](https://evil.example) *now* <img src=x>')).toBe(
      '\\[click\\]\\(https://evil.example\\) \\*now\\* &lt;img src=x\\>',
    );
  });

  it('puts a startup under the theme its sentences name most', () => {
    const [row] = mergeMentions([
      mention('Vaultline', 'X', 'Vaultline stops payment fraud with identity checks and security audits.'),
    ]);
    expect(themeOf(row!)).toBe('Security');
    expect(themeOf(row!, { Mine: ['vaultline'] })).toBe('Mine');
  });
});
