import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, firstPathSegment, pathSegments } from './encoding.ts';

describe('firstPathSegment', () => {
  it('is the first of pathSegments, through doubled, leading and trailing slashes', () => {
    const paths = ['', '/', '//', '/c', '/c/', '//c//eJx', '/click/1.2/aHR0cA/sig', '/e/c/x', '///', '/a%2Fb/c'];
    for (const path of paths) {
      const url = new URL(`https://links.example.com${path}`);
      expect(firstPathSegment(url), path).toBe(pathSegments(url)[0] ?? '');
    }
  });
});

/** base64ToBytes the plain way: both alphabets made one, then `atob`. */
function byAtob(text: string): Uint8Array | null {
  let clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]+$/.test(clean) || clean.length % 4 === 1) return null;
  clean += '='.repeat((4 - (clean.length % 4)) % 4);
  return Uint8Array.from(atob(clean), (char) => char.charCodeAt(0));
}

describe('base64ToBytes', () => {
  it('reads what atob reads, in both alphabets, with or without padding', () => {
    const text = fc.oneof(
      // Up to the size of a real payload, a few hundred bytes.
      fc.uint8Array({ maxLength: 700 }).map((bytes) => btoa(String.fromCharCode(...bytes))),
      fc.uint8Array({ maxLength: 700 }).map((bytes) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, '')),
      fc.uint8Array({ maxLength: 700 }).map((bytes) =>
        btoa(String.fromCharCode(...bytes))
          .replaceAll('+', '-')
          .replaceAll('/', '_'),
      ),
      fc.string({ unit: fc.constantFrom(...'AZaz09+/-_=é.\n '), maxLength: 30 }),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (input) => {
        expect(base64ToBytes(input)).toEqual(byAtob(input));
      }),
      { numRuns: 5000 },
    );
  });

  it('drops the bits past the last whole byte and refuses a lone last character', () => {
    expect(base64ToBytes('QR')).toEqual(Uint8Array.of(0x41));
    expect(base64ToBytes('QUJDR')).toBeNull();
    expect(base64ToBytes('==')).toBeNull();
    expect(base64ToBytes('QU=J')).toBeNull();
  });
});
