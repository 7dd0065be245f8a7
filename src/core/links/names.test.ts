import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capitalisedPhrases,
  capitalisedRun,
  capitalisedRunFor,
  domainRun,
  guessName,
  labelAsWritten,
  linkName,
  looksLikeFullName,
  mayNameDomain,
  namesDomain,
  nameInHeadline,
  properName,
  tidyName,
} from './names.ts';
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

  it('reads the same runs with the pattern it picks for a text as with the Unicode pattern', () => {
    const pieces = fc.constantFrom(
      'Acme',
      'Bank',
      'AI',
      'ai',
      '.ai',
      'of',
      'offers',
      'de',
      'la',
      'du',
      '&',
      "'s",
      '’s',
      'O’Neil',
      'Ünï',
      'École',
      'x2',
      '2',
      '-',
      '.',
      ' ',
      '  ',
      '\n',
      ', ',
      '(',
    );
    const runs = (pattern: RegExp, text: string) => [...text.matchAll(pattern)].map((match) => [match.index, match[1]]);
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 3 })), { maxLength: 12 }), (words) => {
        const text = words.join('');
        expect(runs(capitalisedRunFor(text), text)).toEqual(runs(capitalisedRun, text));
      }),
      { numRuns: 20_000 },
    );
    expect(capitalisedPhrases('Ünïcorn raised $5M')).toEqual(['Ünïcorn']);
  });
});

describe('properName', () => {
  it('takes capitalised words for a name, but not a sentence-opening word or a source', () => {
    expect(properName('Ginkgo Bioworks')).toBe(true);
    expect(properName('Bank of America')).toBe(true);
    expect(properName('As')).toBe(false);
    expect(properName('However')).toBe(false);
    expect(properName('Via Reuters')).toBe(false);
  });
});

describe('looksLikeFullName', () => {
  it('reads a given name of many languages followed by a capitalised surname as a person', () => {
    for (const person of ['Priya Raman', 'Jonas Weber', 'Lucia Ferri', 'Kwame Mensah']) {
      expect(looksLikeFullName(person)).toBe(true);
    }
  });
  it('leaves one-word names, longer phrases and non-names alone', () => {
    // A one-word product name is often a given name somewhere: the full-name check never sees it.
    expect(looksLikeFullName('Devin')).toBe(false);
    expect(looksLikeFullName('Tidewater Robotics')).toBe(false);
    expect(looksLikeFullName('Priya Raman and Friends Weekly')).toBe(false);
    expect(looksLikeFullName('Priya RAMAN')).toBe(false);
  });
});

describe('nameInHeadline', () => {
  it('reads the name before the verb in sentence case and in headline case', () => {
    expect(nameInHeadline('Tidewater Robotics raises $12M for harbour drones', '', true)?.name).toBe(
      'Tidewater Robotics',
    );
    expect(nameInHeadline('Tidewater Robotics Secures $12M Partnership With the Navy', '', true)?.name).toBe(
      'Tidewater Robotics',
    );
    expect(nameInHeadline('Gizmo Has Raised $4M', '', true)?.name).toBe('Gizmo');
  });

  it('reads no name where the headline describes the company instead of naming it', () => {
    expect(nameInHeadline('AI Startup Raises Funds at $2 Billion Valuation', '', true)).toBeNull();
    expect(nameInHeadline('Chip Maker Unveils a Faster Accelerator', '', true)).toBeNull();
    expect(nameInHeadline('The Browser Company Raises $50M', '', true)?.name).toBe('The Browser Company');
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

  it('names a known destination after its domain when the anchor is a tagline, and after a name-like anchor', () => {
    const link = (text: string) =>
      ({ text, context: `${text} (Sponsor)`, domain: 'tidewaylabs.com', needsNetwork: false }) as UnclassifiedLink;
    expect(guessName(link('Non-toxic engineering metrics'), 'tidewaylabs').name).toBe('Tidewaylabs');
    expect(guessName(link('Harbour Notes'), 'tidewaylabs')).toEqual({
      name: 'Harbour Notes',
      matchesDomain: false,
      from: 'anchor',
    });
  });
});

describe('namesDomain', () => {
  it('reads a hyphenated label as the name it spells', () => {
    expect(namesDomain('Tideway Labs', 'tideway-labs')).toBe(true);
    expect(namesDomain('Salaire Brut', 'salaire-brut-en-net')).toBe(true);
    expect(namesDomain('Harbour', 'tideway-labs')).toBe(false);
  });
});

describe('mayNameDomain', () => {
  const labels = ['loomwise', 'getloomwise', 'wasp-lang', 'influxdata', 'ai', 'fly', 'bun', 'acme', 'gizmoframework'];
  const pieces = fc.constantFrom(
    'Loom',
    'wise',
    'Loomwise',
    'Get',
    'Wasp',
    'Lang',
    'Influx',
    'InfluxDB',
    'Fly',
    'Bun',
    'Acme',
    'ACME',
    'Gizmo',
    'Framework',
    "'s",
    '.io',
    '-',
    ' ',
    ', ',
    '. ',
    'the',
    'raised',
    'Ünï',
    '2',
  );

  it('is true wherever a phrase of the text names the domain: it may only skip texts that cannot', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), fc.constantFrom(...labels), (words, label) => {
        const text = words.join('');
        if (capitalisedPhrases(text).some((phrase) => namesDomain(phrase, label))) {
          expect(mayNameDomain(text, label)).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('skips a sentence that holds neither end of the label', () => {
    expect(mayNameDomain('Acme raised $5M to map oceans.', 'getloomwise')).toBe(false);
    expect(mayNameDomain('The team behind Loom Wise shipped it.', 'getloomwise')).toBe(true);
  });
});

describe('domainRun', () => {
  it('keeps the words that spell the domain and drops the product, possessive or verb after them', () => {
    expect(domainRun("Driftwell's AI", 'driftwell', 'driftwell.app')).toBe('Driftwell');
    expect(domainRun('Quillmark AuthKit', 'quillmark', 'quillmark.com')).toBe('Quillmark');
    expect(domainRun('Loomwise Code Officially', 'loomwise', 'loomwise.dev')).toBe('Loomwise');
    expect(domainRun('Tideway Labs', 'tidewaylabs', 'tidewaylabs.com')).toBe('Tideway Labs');
    // A label's hyphens stand for the name's spaces.
    expect(domainRun('Tideway Labs Raises', 'tideway-labs', 'tideway-labs.dev')).toBe('Tideway Labs');
  });

  it("keeps the domain's ending where the text writes it as a word, and finds the name inside a longer phrase", () => {
    expect(domainRun('Oban Pro', 'oban', 'oban.pro')).toBe('Oban Pro');
    expect(domainRun('Kt. Academy', 'kt', 'kt.academy')).toBe('Kt. Academy');
    expect(domainRun('Priya Raman’s Crewline Ai', 'crewline', 'crewline.ai')).toBe('Crewline Ai');
    // A lower-case joiner is not the ending written out.
    expect(domainRun('Maison de', 'maison', 'maison.de')).toBe('Maison');
  });

  it('finds nothing where no run of words spells the domain', () => {
    expect(domainRun('Getting Started', 'getloomwise', 'getloomwise.com')).toBeNull();
    expect(domainRun('Loomwise', 'getloomwise', 'getloomwise.com')).toBeNull();
  });
});

describe('labelAsWritten', () => {
  it("spells a domain's name as the newsletter writes it, never from inside an address", () => {
    expect(labelAsWritten('jquery', 'jquery.com', ['https://jquery.com/', '• jQuery: https://jquery.com/'])).toBe(
      'jQuery',
    );
    expect(labelAsWritten('fly', 'fly.io', ['• Fly.io: https://fly.io/'])).toBe('Fly.io');
    // Only the address, or only lower case: the label in title case.
    expect(labelAsWritten('penname', 'penname.co', ['Production by https://penname.co/.'])).toBe('Penname');
    expect(labelAsWritten('bun', 'bun.sh', ['try bun today'])).toBe('Bun');
    // The ending written as a capitalised word of its own is part of the name; a lower-case word is not.
    expect(labelAsWritten('crewline', 'crewline.ai', ['• Priya Raman’s Crewline Ai: https://www.crewline.ai/'])).toBe(
      'Crewline Ai',
    );
    expect(labelAsWritten('tideway', 'tideway.so', ['Tideway so good'])).toBe('Tideway');
    // A label this short keeps its ending rather than read as a word.
    expect(labelAsWritten('yo', 'yo.com', ['https://yo.com/'])).toBe('Yo.com');
  });
});

describe('tidyName', () => {
  it('drops describing words before a name and a role or headline verb after it', () => {
    expect(tidyName('Tideway Co-Founder & CEO Priya Raman')).toBe('Tideway');
    expect(tidyName('YC-backed Loomwise')).toBe('Loomwise');
    expect(tidyName('Memecoin Platform Loomwise.fun')).toBe('Loomwise.fun');
    expect(tidyName('Tideway Partner Priya Raman')).toBe('Tideway');
    // A describing noun that is the name's last word is part of it.
    expect(tidyName('Browser Startup')).toBe('Browser Startup');
    expect(tidyName('Quillmark 2.6 launched')).toBe('Quillmark 2.6');
    expect(tidyName('Bank of America')).toBe('Bank of America');
    expect(tidyName('Tideway’s Harbour Brothers')).toBe('Tideway');
    // Nothing but a description: nothing is left, and the caller keeps what it had.
    expect(tidyName('Paris-based')).toBe('');
  });
});

describe('linkName', () => {
  it('names a wrapped link whose anchor is a sentence by the first name in it, not by the whole sentence', () => {
    const reading = { guess: { name: '', matchesDomain: false, from: 'none' as const }, presented: null };
    const link = (text: string) =>
      ({ text, context: '', domain: 'substack.com', needsNetwork: true }) as UnclassifiedLink;
    expect(linkName(link('I switched over to Driftwell'), reading)).toBe('Driftwell');
    expect(linkName(link('Loomwise’s smart mode now uses a bigger model'), reading)).toBe('Loomwise');
    // A location or backer describes the company; the name comes after them.
    expect(linkName(link('acquired Paris-based, YC-backed Loomwise'), reading)).toBe('Loomwise');
    expect(linkName(link('Today (AU) we tried Crewline for a week'), reading)).toBe('Crewline');
    // Nothing named: the anchor as it is.
    expect(linkName(link('how we built our first product'), reading)).toBe('how we built our first product');
  });
});
