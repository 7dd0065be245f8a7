import { describe, expect, it } from 'vitest';
import { dropInvisible } from './invisible.ts';

describe('dropInvisible', () => {
  it('drops zero-width spaces, word joiners, byte-order marks and soft hyphens, and keeps emoji joiners', () => {
    expect(dropInvisible('\ufeff\u200bGrip\u00adline Ro\u2060bots')).toBe('Gripline Robots');
    expect(dropInvisible('🤷🏻\u200d♂️ and \u200c')).toBe('🤷🏻\u200d♂️ and \u200c');
  });
});
