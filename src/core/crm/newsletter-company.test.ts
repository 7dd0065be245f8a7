import { describe, expect, it } from 'vitest';
import { addSeenCompany, newsletterDraft, newsletterNote } from './newsletter-company.ts';
import type { Company, CompanyDraft } from './types.ts';

describe('adding a company seen in a newsletter', () => {
  it('writes the link, its domain, the tags and one note format', () => {
    expect(
      newsletterDraft({
        name: 'Quillmate',
        url: 'https://quillmate.dev/?ref=news',
        domain: 'quillmate.dev',
        sentence: ' Quillmate, a Lisbon startup,\n raised $4M. ',
        tags: ['newsletter-nov'],
      }),
    ).toEqual({
      name: 'Quillmate',
      website: 'https://quillmate.dev/?ref=news',
      domain: 'quillmate.dev',
      tags: ['newsletter-nov'],
      source: 'sift:newsletter',
      notes: 'Seen in a newsletter: “Quillmate, a Lisbon startup, raised $4M.”',
    });
  });

  it("stores no website for a link behind a tracker: its address is the tracker's, often with the reader's id", () => {
    const draft = newsletterDraft({
      name: 'Driftwell',
      url: 'https://u1.ct.sendgrid.net/ls/click?upn=reader-7f3a',
      domain: null,
      sentence: 'Driftwell raised $3M.',
    });
    expect(draft).toMatchObject({ name: 'Driftwell', website: null, domain: null });
  });

  it('cuts a runaway sentence and says so when there is none', () => {
    const note = newsletterNote('word '.repeat(200));
    expect(note.length).toBeLessThan(330);
    expect(note.endsWith('…”')).toBe(true);
    expect(newsletterNote('  ')).toBe('Seen in a newsletter.');
  });

  it('adds through whichever CRM it is given', async () => {
    const written: CompanyDraft[] = [];
    const crm = {
      add: async (draft: CompanyDraft) => {
        written.push(draft);
        return { id: 'c1', name: draft.name } as Company;
      },
    };
    const company = await addSeenCompany(crm, { name: 'Acme', url: 'https://acme.com', domain: '', sentence: 'Acme.' });
    expect(company.id).toBe('c1');
    expect(written).toEqual([
      expect.objectContaining({ domain: null, tags: [], notes: 'Seen in a newsletter: “Acme.”' }),
    ]);
  });
});
