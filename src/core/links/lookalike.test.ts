import { describe, expect, it } from 'vitest';
import { findLookAlikes, lookAlikeOf } from './lookalike.ts';

// `аpple.com` with a Cyrillic а, and `gіzmo.ai` with a Cyrillic і, in the form links carry (punycode).
const cyrillicApple = 'xn--pple-43d.com';
const cyrillicGizmo = 'xn--gzmo-l9d.ai';

describe('lookAlikeOf', () => {
  it('leaves ASCII domains alone', () => {
    expect(lookAlikeOf('gizmo.ai', ['gizmo.ai'])).toBeNull();
  });

  it('flags an IDN domain confusable with a known brand, with both forms', () => {
    expect(lookAlikeOf(cyrillicApple)).toEqual({
      unicode: 'аpple.com',
      punycode: cyrillicApple,
      why: 'looks like apple.com',
      looksLike: 'apple.com',
    });
  });

  it('flags an IDN domain confusable with another link of the newsletter or a CRM domain', () => {
    expect(lookAlikeOf(cyrillicGizmo, ['gizmo.ai'])?.looksLike).toBe('gizmo.ai');
  });

  it('flags a label that mixes scripts even when it imitates nothing known', () => {
    expect(lookAlikeOf(cyrillicGizmo)?.why).toMatch(/mixes Latin and Cyrillic/);
  });

  it('does not flag a domain written wholly in another script that imitates nothing', () => {
    expect(lookAlikeOf('xn--e1afmkfd.xn--p1ai')).toBeNull(); // пример.рф
  });
});

describe('findLookAlikes', () => {
  it('checks each link domain against the others, index-aligned', () => {
    expect(findLookAlikes(['gizmo.ai', cyrillicGizmo]).map((found) => found?.looksLike ?? null)).toEqual([
      null,
      'gizmo.ai',
    ]);
  });
});
