import { describe, expect, it } from 'vitest';
import { applyPatch, companyFromDraft, InvalidCompanyError, unionTags, withAddedTags } from './company.ts';
import { splitList } from './list-field.ts';
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

describe('companyFromDraft under a CSV row’s rules', () => {
  const shared = new Set(['linkedin.com']);
  const rules = { ignoreDomain: (domain: string) => shared.has(domain), nameFromDomain: true };
  const fromRow = (draft: Partial<CompanyDraft>) =>
    companyFromDraft({ name: '', source: 'csv', ...draft }, { id: 'r', now: 1 }, rules);

  it('names a company after its domain, and ignores a shared host as domain, website or alias', () => {
    expect(fromRow({ website: 'https://www.acme.com/about' })).toMatchObject({ name: 'acme.com', domain: 'acme.com' });
    expect(fromRow({ name: 'Globex', website: 'https://linkedin.com/company/globex' })).toMatchObject({
      domain: null,
      website: null,
    });
    expect(fromRow({ name: 'Initech', domain: 'linkedin.com', website: 'initech.io' })).toMatchObject({
      domain: 'initech.io',
    });
    expect(fromRow({ name: 'Hooli', domain: 'hooli.xyz', aliasDomains: ['linkedin.com', 'hooli.com'] })).toMatchObject({
      aliasDomains: ['hooli.com'],
    });
  });

  it('says why a row cannot be a company', () => {
    expect(() => fromRow({ domain: 'linkedin.com' })).toThrow('no company name, and no web domain of its own');
    expect(() => fromRow({ name: 'Acme', domain: 'not a domain' })).toThrow(/“not a domain” is not a web domain/);
  });
});

describe('tags and lists', () => {
  it('unites tags without case duplicates, keeping the first spelling', () => {
    expect(unionTags(['AI', 'seed'], ['ai', ' Series  A ', ''])).toEqual(['AI', 'seed', 'Series A']);
    const tagged = withAddedTags(company({ name: 'A', tags: ['x'] }), ['y', 'X'], 7);
    expect(tagged).toMatchObject({ tags: ['x', 'y'], updatedAt: 7 });
  });

  it('splits a list typed in one cell or field', () => {
    expect(splitList('acme.com; acme.io,\nacme.ai')).toEqual(['acme.com', 'acme.io', 'acme.ai']);
    expect(splitList(' seed ')).toEqual(['seed']);
    expect(splitList('')).toEqual([]);
    expect(splitList(' , ;')).toEqual([]);
  });
});
