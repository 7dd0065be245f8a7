import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropInvisible } from '../../text/invisible.ts';
import {
  CONTEXT_WINDOW,
  MAX_CONTEXT,
  PARAGRAPH_BREAK,
  collapseWhitespace,
  isWhitespace,
  sentenceAround,
  windowAfter,
  windowBefore,
} from './context.ts';

describe('sentenceAround', () => {
  it('cuts at sentence ends on both sides', () => {
    const long = 'Then the team behind ';
    const tail = ' shipped a faster build system for monorepos that nobody asked for.';
    expect(sentenceAround(`First one. ${long}`, 'Acme', `${tail} Next one.`, false)).toBe(`${long}Acme${tail}`);
  });

  it('lets a short sentence borrow the sentences before it in the same paragraph', () => {
    expect(sentenceAround('Acme, a Paris startup, raised $3M. ', 'More here', '.', false)).toBe(
      'Acme, a Paris startup, raised $3M. More here.',
    );
  });

  it('does not end a sentence at abbreviations or dotted initials', () => {
    expect(sentenceAround('The U.S. startup Acme Inc. and ', 'Beta', ' merged.', false)).toBe(
      'The U.S. startup Acme Inc. and Beta merged.',
    );
    // The longest abbreviation, with enough after it that a sentence end there would be cut at.
    const long = 'Its rival Acme Corp. spent the whole of last year and most of its money building the same thing as ';
    expect(sentenceAround(`It rained. ${long}`, 'Beta', ', then merged.', false)).toBe(`${long}Beta, then merged.`);
  });

  it('never crosses a paragraph: a <br> in HTML, a blank line or a list item in text', () => {
    expect(sentenceAround(`Above${PARAGRAPH_BREAK}Below `, 'x', '', true)).toBe('Below x');
    expect(sentenceAround('Above\n\nBelow ', 'x', '', false)).toBe('Below x');
    expect(sentenceAround('Above\n- item ', 'x', '', false)).toBe('item x');
    expect(sentenceAround('Above\n3) item ', 'x', '\n4) next', false)).toBe('item x');
    expect(sentenceAround('soft\nwrap ', 'x', '', false)).toBe('soft wrap x');
  });

  it("ends the sentence at a <br> inside the link's own text, and starts it at one that opens it", () => {
    expect(sentenceAround('', `Introducing Retrieval${PARAGRAPH_BREAK}`, '10 minutes, by Ana Ruiz', true)).toBe(
      'Introducing Retrieval',
    );
    expect(sentenceAround('Read by Ana Ruiz ', `${PARAGRAPH_BREAK}Gripline`, ' raised $4M.', true)).toBe(
      'Gripline raised $4M.',
    );
    expect(sentenceAround('', `Title${PARAGRAPH_BREAK}Subtitle`, '', true)).toBe('Title Subtitle');
  });

  it('tidies a long sentence as it tidies a short one: no space before a comma, no list marker', () => {
    const long = 'word '.repeat(60);
    const sentence = sentenceAround(`- Listen on YouTube , Spotify and ${long}`, 'Acme', ` and ${long}.`, false);
    expect(sentence.length).toBeLessThanOrEqual(MAX_CONTEXT + 2);
    expect(sentence.startsWith('Listen on YouTube, Spotify')).toBe(true);
  });

  it("drops a template's arrow or bullet before an item, and a cut URL's bracket, in HTML as in text", () => {
    expect(sentenceAround('> ', 'Youtube', '', true)).toBe('Youtube');
    expect(sentenceAround('• ', 'Figma', ': https://figma.example', true)).toBe('Figma: https://figma.example');
    expect(sentenceAround('»» ', 'Acme', ' raised $5M.', false)).toBe('Acme raised $5M.');
    expect(sentenceAround('Revenue grew 5 > 3 at ', 'Acme', '.', true)).toBe('Revenue grew 5 > 3 at Acme.');
    // What a cut URL leaves behind: its closing bracket.
    expect(sentenceAround(') and ', 'GXO Logistics', '.', false)).toBe('and GXO Logistics.');
  });

  it('treats newlines in HTML source as spaces', () => {
    expect(sentenceAround('Source:\n      ', 'Acme', '', true)).toBe('Source: Acme');
  });
});

describe('collapseWhitespace', () => {
  it('drops the characters a reader never sees, and keeps the joiners emoji and scripts need', () => {
    expect(collapseWhitespace('\u200b\u200bFern Creek\u00ad Soft\u2060ware\ufeff')).toBe('Fern Creek Software');
    expect(collapseWhitespace('🤷🏻\u200d♂️ Meh')).toBe('🤷🏻\u200d♂️ Meh');
    expect(collapseWhitespace('  a \n b ')).toBe('a b');
  });

  it('turns every run of whitespace into one space, though it rewrites only the runs that are not one already', () => {
    const unit = fc.constantFrom('a', ' ', '\t', '\n', '\u00a0', PARAGRAPH_BREAK, '\u200b', '\u00ad');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(collapseWhitespace(text)).toBe(dropInvisible(text).replace(/\s+/g, ' ').trim());
      }),
    );
  });
});

describe('the windows either side of a link', () => {
  it('start and end at whole words: no piece of a word or of a URL opens or closes a sentence', () => {
    const before = `see substack.com/redirect/abc?j=eyJ1Ijo ${'y'.repeat(CONTEXT_WINDOW - 20)} Acme`;
    const left = windowBefore(before, before.length - 'Acme'.length);
    expect(left).toMatch(/^ y+ $/);
    expect(windowBefore('short text Acme', 11)).toBe('short text ');
    const after = `Acme ${'x'.repeat(CONTEXT_WINDOW - 10)} distribution is the moat`;
    expect(windowAfter(after, 4)).toMatch(/^ x+ $/);
    expect(windowAfter('Acme raised $5M.', 4)).toBe(' raised $5M.');
  });
});

describe('isWhitespace', () => {
  it('is what \\s matches, for every UTF-16 code unit', () => {
    const differing: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isWhitespace(code) !== /\s/.test(String.fromCharCode(code))) differing.push(code);
    }
    expect(differing).toEqual([]);
  });
});
