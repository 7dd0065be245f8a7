import { describe, expect, it } from 'vitest';
import { applyPatch, companyFromDraft, companyFromRecord } from './company.ts';
import { CrmIndex, matchAmong, POSSIBLE_NAME_SCORE } from './crm-index.ts';
import type { Company, CompanyDraft } from './types.ts';

let nextId = 0;
function company(draft: Partial<CompanyDraft> & { name: string }): Company {
  return companyFromDraft({ source: 'test', ...draft }, { id: `c${++nextId}`, now: 1_700_000_000_000 });
}

describe('CrmIndex.matchCompany', () => {
  const acme = company({
    name: 'Acme Robotics, Inc.',
    website: 'https://www.acmerobotics.com',
    aliasDomains: ['acme.ai'],
  });
  const pages = company({ name: 'Pages Co', domain: 'pages.github.io' });
  const stripe = company({ name: 'Stripe', domain: 'stripe.com' });
  const index = new CrmIndex([acme, pages, stripe]);

  it('finds a company by its domain, with domain evidence', () => {
    const result = index.matchCompany({ domain: 'acmerobotics.com' });
    expect(result.status).toBe('in-crm');
    expect(result.company?.id).toBe(acme.id);
    expect(result.evidence).toEqual([{ kind: 'domain', detail: 'domain acmerobotics.com' }]);
  });

  it('finds a company from a subdomain or a full URL', () => {
    const result = index.matchCompany({ domain: 'https://app.acmerobotics.com/signup' });
    expect(result.status).toBe('in-crm');
    expect(result.evidence[0]).toEqual({
      kind: 'subdomain of',
      detail: 'app.acmerobotics.com is a subdomain of acmerobotics.com',
    });
  });

  it('finds a company by an alias domain', () => {
    const result = index.matchCompany({ domain: 'acme.ai', name: 'Acme Robotics' });
    expect(result.status).toBe('in-crm');
    expect(result.company?.id).toBe(acme.id);
    expect(result.evidence.map((item) => item.kind)).toEqual(['alias domain', 'name']);
  });

  it('keeps private suffixes whole: another github.io site is not the same company', () => {
    expect(index.matchCompany({ domain: 'pages.github.io' }).status).toBe('in-crm');
    expect(index.matchCompany({ domain: 'other.github.io' }).status).toBe('not-in-crm');
  });

  it('never says in-crm from a name alone, even an exact one', () => {
    const result = index.matchCompany({ name: 'ACME Robotics GmbH', domain: 'acme-robotics.de' });
    expect(result.status).toBe('possible');
    expect(result.company?.id).toBe(acme.id);
    expect(result.evidence).toEqual([{ kind: 'name', detail: 'name ≈ 1.00 (Acme Robotics, Inc.)', score: 1 }]);
  });

  it('reports a close name as possible with its score', () => {
    const result = index.matchCompany({ name: 'Stripes' });
    expect(result.status).toBe('possible');
    expect(result.evidence[0]?.score).toBeGreaterThanOrEqual(POSSIBLE_NAME_SCORE);
    expect(result.evidence[0]?.detail).toMatch(/^name ≈ 0\.\d\d \(Stripe\)$/);
  });

  it('says not-in-crm for an unrelated company, a bad domain or an empty query', () => {
    expect(index.matchCompany({ domain: 'globex.com', name: 'Globex' })).toEqual({
      status: 'not-in-crm',
      company: null,
      evidence: [],
    });
    expect(index.matchCompany({ domain: 'not a domain', name: '' }).status).toBe('not-in-crm');
    expect(index.matchCompany({}).status).toBe('not-in-crm');
    expect(index.matchCompany({ name: 'Acm' }).status).toBe('not-in-crm');
  });

  it('calls a name with words added or dropped at the end a possible match only where no domain can decide', () => {
    const okapi = company({ name: 'Okapi', domain: null });
    const linear = company({ name: 'Linear Capital', domain: 'linearvc.com' });
    const crm = new CrmIndex([okapi, linear]);
    // The CRM keeps the short name and no domain; the newsletter names the brand and links its site.
    expect(crm.matchCompany({ name: 'Okapi Health', domain: 'okapihealth.com' })).toEqual({
      status: 'possible',
      company: okapi,
      evidence: [{ kind: 'name', detail: 'first words match (Okapi)' }],
    });
    // Behind a tracker the link has no domain, so the longer CRM name is the only lead.
    expect(crm.matchCompany({ name: 'Linear' }).company?.id).toBe(linear.id);
    // Two domains say two companies: linear.app is not Linear Capital.
    expect(crm.matchCompany({ name: 'Linear', domain: 'linear.app' }).status).toBe('not-in-crm');
    // Words in the middle or a different start do not count.
    expect(crm.matchCompany({ name: 'Health Okapi' }).status).toBe('not-in-crm');
  });

  it('leaves a short or shared leading name unmatched rather than guess between companies', () => {
    const crm = new CrmIndex([
      company({ name: 'Open Sauce', domain: null }),
      company({ name: 'Open Harbor', domain: null }),
      company({ name: 'Box Robotics', domain: null }),
    ]);
    expect(crm.matchCompany({ name: 'Open' }).status).toBe('not-in-crm');
    expect(crm.matchCompany({ name: 'Box' }).status).toBe('not-in-crm');
    expect(crm.matchCompany({ name: 'Open Sauce Kitchens' }).company?.name).toBe('Open Sauce');
  });

  it('matches many queries in order', () => {
    expect(index.matchMany([{ domain: 'stripe.com' }, { domain: 'nope.com' }]).map((r) => r.status)).toEqual([
      'in-crm',
      'not-in-crm',
    ]);
  });
});

describe('CrmIndex updates', () => {
  it('re-indexes a company when its domain and name change, and forgets a deleted one', () => {
    const original = company({ name: 'Old Name', domain: 'old.com' });
    const index = new CrmIndex([original]);
    const renamed = applyPatch(original, { name: 'New Name', domain: 'new.com' }, 2);
    index.put(renamed);
    expect(index.size).toBe(1);
    expect(index.matchCompany({ domain: 'old.com' }).status).toBe('not-in-crm');
    expect(index.matchCompany({ domain: 'new.com' }).company?.name).toBe('New Name');
    expect(index.matchCompany({ name: 'Old Name' }).status).toBe('not-in-crm');
    expect(index.delete(original.id)).toBe(true);
    expect(index.matchCompany({ domain: 'new.com' }).status).toBe('not-in-crm');
    expect(index.delete(original.id)).toBe(false);
  });

  it('hands a shared domain to the other owner when the indexed one is deleted', () => {
    const first = company({ name: 'First', domain: 'shared.com' });
    const second = company({ name: 'Second', domain: 'shared.com' });
    const index = new CrmIndex([first, second]);
    index.delete(first.id);
    expect(index.matchCompany({ domain: 'shared.com' }).company?.id).toBe(second.id);
  });

  it('finds a name among 20,000 others through its buckets (no scan)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => company({ name: `Company ${i} Data`, domain: `c${i}.com` }));
    const target = company({ name: 'Zyphra Quantum', domain: 'zyphra.com' });
    const index = new CrmIndex([...many, target]);
    expect(index.matchCompany({ name: 'Zyphra Quantum Labs' }).company?.id).toBe(target.id);
    expect(index.matchCompany({ name: 'Zyphra Quantun' }).status).toBe('possible');
  });
});

describe('CrmIndex.search', () => {
  const index = new CrmIndex([
    company({ name: 'beta', domain: 'beta.io', tags: ['fintech'] }),
    company({ name: 'Alpha', domain: 'alpha.com' }),
    company({ name: 'Gamma', domain: 'gamma.dev', tags: ['fintech', 'seed'] }),
  ]);

  it('lists everything sorted by name when the search is empty, paged', () => {
    expect(index.search('').companies.map((c) => c.name)).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(index.search('', 1, 1)).toMatchObject({ total: 3, companies: [{ name: 'beta' }] });
  });

  it('matches every word against name, domain and tags', () => {
    expect(index.search('fintech').companies.map((c) => c.name)).toEqual(['beta', 'Gamma']);
    expect(index.search('FINTECH seed').total).toBe(1);
    expect(index.search('alpha.com').total).toBe(1);
    expect(index.search('nothing').total).toBe(0);
  });
});

describe('matchAmong (the records a remote CRM returned)', () => {
  const acme = companyFromRecord({
    externalId: 'r1',
    name: 'Acme Robotics, Inc.',
    website: 'https://www.acme.com/about',
    aliasWebsites: ['acme.co.uk', 'not a site'],
    tags: [],
    source: 'test',
  });

  it('reads a record leniently: registrable domains, no error for a website that is not one', () => {
    expect(acme).toMatchObject({ id: 'r1', externalId: 'r1', domain: 'acme.com', aliasDomains: ['acme.co.uk'] });
    const odd = companyFromRecord({ externalId: 'r2', name: 'Odd', website: 'acme', tags: [], source: 'test' });
    expect(odd.domain).toBeNull();
  });

  it('gives the local index’s verdicts and evidence', () => {
    const [byDomain, byWww, byAliasHost, byName, otherName, empty] = matchAmong(
      [
        { domain: 'acme.com' },
        { domain: 'www.acme.com' },
        { domain: 'shop.acme.co.uk' },
        { domain: 'acme.io', name: 'Acme Robotics' },
        { domain: 'acme.io', name: 'Acme Rockets' },
        {},
      ],
      [acme],
    );
    expect(byDomain).toMatchObject({ status: 'in-crm', evidence: [{ kind: 'domain' }] });
    expect(byWww!.evidence).toEqual([{ kind: 'domain', detail: 'domain acme.com' }]);
    expect(byAliasHost!.evidence).toEqual([
      { kind: 'subdomain of', detail: 'shop.acme.co.uk is a subdomain of acme.co.uk' },
      { kind: 'alias domain', detail: 'alias domain acme.co.uk' },
    ]);
    expect(byName).toMatchObject({
      status: 'possible',
      evidence: [{ kind: 'name', detail: 'name ≈ 1.00 (Acme Robotics, Inc.)', score: 1 }],
    });
    expect(otherName!.status).toBe('not-in-crm');
    expect(empty!.status).toBe('not-in-crm');
  });

  it('drops legal words only at the end of a name, as the local CRM does', () => {
    const capital = companyFromRecord({ externalId: 'c', name: 'Co Capital', website: null, tags: [], source: 't' });
    const [result] = matchAmong([{ name: 'Capital' }], [capital]);
    expect(result!.evidence).toEqual([{ kind: 'name', detail: 'name ≈ 0.85 (Co Capital)', score: 0.85 }]);
  });
});
