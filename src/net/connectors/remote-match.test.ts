import { describe, expect, it } from 'vitest';
import {
  draftWebsite,
  matchRemoteRecords,
  mergeTags,
  nameSimilarity,
  normaliseName,
  readTags,
  registrableDomain,
  remoteCompany,
} from './remote-match.ts';

const acme = remoteCompany({
  externalId: 'r1',
  name: 'Acme Robotics, Inc.',
  website: 'https://www.acme.com/about',
  aliasWebsites: ['acme.co.uk'],
  tags: [],
  source: 'test',
});

describe('deciding which remote record is the company', () => {
  it('reduces hosts and URLs to the registrable domain, keeping private suffixes whole', () => {
    expect(registrableDomain('https://app.acme.co.uk/x?y')).toBe('acme.co.uk');
    expect(registrableDomain('acme.github.io')).toBe('acme.github.io');
    expect(registrableDomain('WWW.Acme.COM')).toBe('acme.com');
    expect(registrableDomain('not a domain')).toBeNull();
    expect(registrableDomain('')).toBeNull();
  });

  it('normalises names: legal suffixes, filler words, punctuation, diacritics', () => {
    expect(normaliseName('Acmé Robotics, Inc.')).toBe('acme robotics');
    expect(normaliseName('Mistral AI')).toBe('mistral');
    expect(normaliseName('The Labs')).toBe('the labs');
    expect(nameSimilarity('Acme Robotics GmbH', 'ACME robotics')).toBe(1);
    expect(nameSimilarity('Acme Robotic', 'Acme Robotics')).toBeGreaterThan(0.9);
    expect(nameSimilarity('Acme', 'Zenith')).toBe(0);
  });

  it('domain, alias domain and subdomain give in-crm; a name gives at most possible', () => {
    expect(matchRemoteRecords({ domain: 'acme.com' }, [acme])).toMatchObject({
      status: 'in-crm',
      evidence: [{ kind: 'domain' }],
    });
    expect(matchRemoteRecords({ domain: 'www.acme.com' }, [acme]).evidence[0]!.kind).toBe('domain');
    expect(matchRemoteRecords({ domain: 'shop.acme.co.uk' }, [acme]).evidence[0]).toEqual({
      kind: 'alias domain',
      detail: 'alias domain acme.co.uk',
    });
    expect(matchRemoteRecords({ domain: 'docs.acme.com' }, [acme]).evidence[0]!.kind).toBe('subdomain of');
    expect(matchRemoteRecords({ domain: 'acme.io', name: 'Acme Robotics' }, [acme])).toMatchObject({
      status: 'possible',
      evidence: [{ kind: 'name', detail: 'name ≈ 1.00 (Acme Robotics, Inc.)', score: 1 }],
    });
    expect(matchRemoteRecords({ domain: 'acme.io', name: 'Acme Rockets' }, [acme]).status).toBe('not-in-crm');
    expect(matchRemoteRecords({}, [acme]).status).toBe('not-in-crm');
  });

  it('reads and merges tags in either storage form, and builds a website for a draft', () => {
    expect(readTags(['a', '', 3, 'b'])).toEqual(['a', 'b']);
    expect(readTags('a, b;c')).toEqual(['a', 'b', 'c']);
    expect(readTags(null)).toEqual([]);
    expect(mergeTags(['AI'], ['ai', ' seed ', ''])).toEqual(['AI', 'seed']);
    expect(draftWebsite({ website: 'acme.com/x' })).toBe('https://acme.com/x');
    expect(draftWebsite({ domain: 'https://app.acme.com' })).toBe('https://acme.com');
    expect(draftWebsite({})).toBeNull();
  });
});
