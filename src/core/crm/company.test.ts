import { describe, expect, it } from 'vitest';
import { applyPatch, companyFromDraft, InvalidCompanyError } from './company.ts';
import type { Company, CompanyDraft } from './types.ts';

let nextId = 0;
function company(draft: Partial<CompanyDraft> & { name: string }): Company {
  return companyFromDraft({ source: 'test', ...draft }, { id: `c${++nextId}`, now: 1_700_000_000_000 });
}

describe('companyFromDraft', () => {
  it('derives the registrable domain from the website and normalises the rest', () => {
    const made = companyFromDraft(
      {
        name: '  Acme   Robotics ',
        website: 'https://app.acme.com/x',
        aliasDomains: ['www.acme.io', 'acme.com', ''],
        tags: ['a', 'A'],
        source: '',
      },
      { id: 'x', now: 5 },
    );
    expect(made).toEqual({
      id: 'x',
      name: 'Acme Robotics',
      domain: 'acme.com',
      aliasDomains: ['acme.io'],
      website: 'https://app.acme.com/x',
      tags: ['a'],
      source: 'manual',
      notes: '',
      externalId: null,
      createdAt: 5,
      updatedAt: 5,
    });
  });

  it('refuses a missing name or a domain that is not one, with a message', () => {
    expect(() => companyFromDraft({ name: ' ', source: 'manual' }, { id: 'x', now: 1 })).toThrow(InvalidCompanyError);
    expect(() => companyFromDraft({ name: 'A', domain: 'nope', source: 'manual' }, { id: 'x', now: 1 })).toThrow(
      /“nope” is not a web domain/,
    );
  });

  it('keeps id, source and creation date when patched', () => {
    const original = company({ name: 'A', domain: 'a.com' });
    const patched = applyPatch(original, { notes: 'hello', tags: ['x'] }, 99);
    expect(patched).toMatchObject({ id: original.id, source: 'test', createdAt: original.createdAt, updatedAt: 99 });
    expect(patched.notes).toBe('hello');
  });
});
