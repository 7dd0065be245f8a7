import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFirstName, isPlace, lookUpHost, lookUpName, squashAscii } from './index.ts';

const folder = fileURLToPath(new URL('.', import.meta.url));
const lists = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, data: JSON.parse(readFileSync(`${folder}/${file}`, 'utf8')) as Record<string, unknown> }));

describe('knowledge lists', () => {
  it('every list names its sources', () => {
    for (const { file, data } of lists) expect(typeof data._about, file).toBe('string');
  });

  it('every domain is a lower-case host name, without scheme or path', () => {
    for (const { file, data } of lists) {
      for (const domain of (data.domains as string[] | undefined) ?? []) {
        expect(domain, `${file}: ${domain}`).toMatch(
          /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
        );
      }
    }
  });

  it('looks up the most specific host first', () => {
    expect(lookUpHost('apps.apple.com')?.kind).toBe('appstore');
    expect(lookUpHost('www.apple.com')?.kind).toBe('bigco');
    // A game's store page is the store's, even on the store owner's own domain.
    expect(lookUpHost('store.epicgames.com')?.kind).toBe('appstore');
    expect(lookUpHost('www.epicgames.com')?.kind).toBe('bigco');
    expect(lookUpHost('studio.itch.io')?.kind).toBe('appstore');
    expect(lookUpHost('cs.stanford.edu')?.kind).toBe('other');
    expect(lookUpHost('acme.ai')).toBeNull();
  });

  it('reads a suffix for every host under it, at a dot boundary only', () => {
    expect(lookUpHost('harbourline.vc')?.feature).toMatch(/investor/);
    expect(lookUpHost('www.tidewater.ventures')?.feature).toMatch(/investor/);
    expect(lookUpHost('northgate.capital')?.kind).toBe('other');
    expect(lookUpHost('lab.example.ac.uk')?.feature).toMatch(/university/);
    // A label that merely ends in a suffix's letters is not under it.
    expect(lookUpHost('gizmovc.com')).toBeNull();
    expect(lookUpHost('acmefund.io')).toBeNull();
  });

  it('recognises names, places and given names written in text', () => {
    expect(lookUpName('The Wall Street Journal')?.kind).toBe('media');
    expect(lookUpName('Wall Street Journal')?.kind).toBe('media');
    expect(lookUpName('TechCrunch')?.kind).toBe('media');
    expect(lookUpName('Acme Robotics')).toBeNull();
    expect(isPlace('San Francisco')).toBe(true);
    expect(isFirstName('Jake')).toBe(true);
    expect(isFirstName('Acme')).toBe(false);
  });
});

describe('squashAscii', () => {
  it('lower-cases plain ASCII and keeps only its letters and digits, as the replace it stands for does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (text) => {
        expect(squashAscii(text)).toBe(text.toLowerCase().replace(/[^a-z0-9]/g, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves any other text to the Unicode path', () => {
    for (const text of ['Série A', 'Kelvin \u212a', 'İstanbul', 'emoji 🚀']) expect(squashAscii(text)).toBeNull();
  });
});
