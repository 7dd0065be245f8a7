import { describe, expect, it } from 'vitest';
import { leadingNames, nameKey, nameSimilarity, nameTokens, nameWords } from './names.ts';
import { normaliseDomain, normaliseTags, registrableDomain } from './normalise.ts';

describe('normaliseDomain', () => {
  it.each([
    ['acme.com', 'acme.com', 'acme.com'],
    ['https://app.acme.com/login?x=1', 'app.acme.com', 'acme.com'],
    ['WWW.Acme.CO.UK', 'acme.co.uk', 'acme.co.uk'],
    ['acme.com.', 'acme.com', 'acme.com'],
    ['acme.com:8443/path', 'acme.com', 'acme.com'],
    ['founders@acme.io', 'acme.io', 'acme.io'],
    ['mailto:hi@acme.io', 'acme.io', 'acme.io'],
    ['bücher.de', 'xn--bcher-kva.de', 'xn--bcher-kva.de'],
    // Private suffixes stay whole: two GitHub Pages sites are two companies.
    ['https://acme.github.io/docs', 'acme.github.io', 'acme.github.io'],
    ['docs.acme.notion.site', 'docs.acme.notion.site', 'acme.notion.site'],
  ])('%s → host %s, domain %s', (input, host, domain) => {
    expect(normaliseDomain(input)).toEqual({ host, domain });
  });

  it.each(['', '   ', 'acme', 'localhost', 'http://192.168.1.4/', 'not a domain.com', 'http://', null, undefined])(
    'rejects %j',
    (input) => {
      expect(normaliseDomain(input)).toBeNull();
    },
  );

  it('gives the registrable domain alone', () => {
    expect(registrableDomain('https://eu.api.acme.com')).toBe('acme.com');
  });
});

describe('nameKey', () => {
  it.each([
    ['Acme Robotics, Inc.', 'acmerobotics'],
    ['ACME ROBOTICS LTD', 'acmerobotics'],
    ['AcmeRobotics GmbH', 'acmerobotics'],
    ['Acmé Robotics S.A.S.', 'acmerobotics'],
    ['Acme Robotics SAS', 'acmerobotics'],
    ['Acme AI', 'acme'],
    ['Acme Labs', 'acme'],
    ['Acme HQ', 'acme'],
    ['Acme Labs Inc', 'acme'],
    ['Acme.io', 'acme'],
    ['The Acme Company', 'acme'],
    ['Søren & Brøndum ApS', 'sorenandbrondum'],
    ['Zürich Straße AG', 'zurichstrasse'],
    ['Rock’n’Roll Labs', 'rocknroll'],
  ])('%s → %s', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  it('keeps a name that is only a noise word', () => {
    expect(nameTokens('Labs')).toEqual(['labs']);
    expect(nameKey('AI')).toBe('ai');
  });

  it('drops noise words only at the end', () => {
    expect(nameTokens('AI Fund Partners')).toEqual(['ai', 'fund', 'partners']);
  });

  it('gives the compared words as search text for a remote CRM', () => {
    expect(nameWords('Acmé Robotics, Inc.')).toBe('acme robotics');
    expect(nameWords('The Labs')).toBe('labs');
    expect(nameWords(null)).toBe('');
    expect(nameWords('Grip\u00adline Ro\u200bbotics')).toBe('gripline robotics');
  });

  it('gives the leading names a CRM may keep instead of the whole one, shortest first and none too short', () => {
    expect(leadingNames('Okapi Health')).toEqual(['okapi']);
    expect(leadingNames('The Linear Capital Partners Fund, Inc.')).toEqual(['linear', 'linear capital']);
    // "AI" and "Go" alone would match half a CRM; a one-word name has no shorter form.
    expect(leadingNames('AI Fund Partners')).toEqual(['ai fund']);
    expect(leadingNames('Go Robotics')).toEqual([]);
    expect(leadingNames('Stripe, Inc.')).toEqual([]);
    expect(leadingNames(undefined)).toEqual([]);
  });
});

describe('nameSimilarity', () => {
  it('forgives a typo but not a different word', () => {
    expect(nameSimilarity('stripe', 'stripes')).toBeGreaterThan(0.9);
    expect(nameSimilarity('acmerobotics', 'acmerobotcs')).toBeGreaterThanOrEqual(0.85);
    expect(nameSimilarity('acme', 'acmerobotics')).toBeLessThan(0.5);
    expect(nameSimilarity('notion', 'motion')).toBeLessThan(0.85);
  });

  it('is 1 only for equal keys and symmetric', () => {
    expect(nameSimilarity('acme', 'acme')).toBe(1);
    expect(nameSimilarity('', '')).toBe(0);
    expect(nameSimilarity('ab', 'abc')).toBe(nameSimilarity('abc', 'ab'));
  });
});

describe('normaliseTags', () => {
  it('trims, removes list separators and duplicates (case-insensitively)', () => {
    expect(normaliseTags([' AI infra ', 'ai infra', 'seed; series a', '', 'b,c'])).toEqual([
      'AI infra',
      'seed series a',
      'b c',
    ]);
  });
});
