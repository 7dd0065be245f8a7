import { describe, expect, it } from 'vitest';
import { capitalisedPhrases, guessName } from './names.ts';
import type { UnclassifiedLink } from './classify.ts';

describe('capitalisedPhrases', () => {
  it('keeps the joiners of a name as whole words only', () => {
    expect(capitalisedPhrases('Bank of America and Maison de la Radio')).toEqual([
      'Bank of America',
      'Maison de la Radio',
    ]);
    // A verb that starts like a joiner is not part of the name.
    expect(capitalisedPhrases('Driftwell launched its tracker')).toEqual(['Driftwell']);
    expect(capitalisedPhrases('Quillmark offers invoicing')).toEqual(['Quillmark']);
    expect(capitalisedPhrases('Loomwise debuts today')).toEqual(['Loomwise']);
  });
});

describe('guessName', () => {
  it('names a bare URL after its sentence by the word that spells the domain', () => {
    const link = {
      text: '',
      context: 'Driftwell launched its sleep tracker for dogs:',
      domain: 'driftwell.app',
      needsNetwork: false,
    } as UnclassifiedLink;
    expect(guessName(link, 'driftwell')).toEqual({ name: 'Driftwell', matchesDomain: true, from: 'context' });
  });
});
