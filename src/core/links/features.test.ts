import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnclassifiedLink } from './classify.ts';
import { readDocument } from './classify.ts';
import { documentFacts, featureCount, namedSignals, priorMeans, readLink } from './features.ts';

const linkArbitrary = fc.record({
  url: fc.webUrl(),
  host: fc.domain(),
  domain: fc.domain(),
  text: fc.string({ maxLength: 200 }),
  context: fc.string({ maxLength: 400 }),
  heading: fc.string({ maxLength: 80 }),
  isImage: fc.boolean(),
  needsNetwork: fc.boolean(),
  tracker: fc.option(fc.constantFrom('beehiiv', 'mailchimp', 'substack')),
  occurrences: fc.integer({ min: 1, max: 5 }),
  firstPosition: fc.nat(1000),
  originalHref: fc.webUrl(),
}) satisfies fc.Arbitrary<UnclassifiedLink>;

/** A link whose destination is known (no tracker), found once at `https://domain` + `path`. */
function directLink(
  domain: string,
  path: string,
  words: Pick<UnclassifiedLink, 'text' | 'context' | 'heading'>,
): UnclassifiedLink {
  const url = `https://${domain}${path}`;
  return {
    url,
    host: domain,
    domain,
    ...words,
    isImage: false,
    needsNetwork: false,
    tracker: null,
    occurrences: 1,
    firstPosition: 0,
    originalHref: url,
  };
}

/** Whether `readLink` sets the named signal `id` for a link read on its own. */
function signalFires(link: UnclassifiedLink, id: string): boolean {
  const signal = namedSignals.findIndex(([name]) => name === id);
  return readLink(link, new URL(link.url).pathname, documentFacts([link], new Set())).vector.indices.includes(signal);
}

describe('readLink (feature extraction)', () => {
  it('never throws and stays inside the feature space', () => {
    fc.assert(
      fc.property(linkArbitrary, fc.string({ maxLength: 40 }), (link, path) => {
        const reading = readLink(link, `/${path}`, documentFacts([link], new Set(['letter'])));
        for (const index of reading.vector.indices) {
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThan(featureCount);
        }
        expect(reading.vector.values.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same features for the same input', () => {
    fc.assert(
      fc.property(linkArbitrary, (link) => {
        const facts = documentFacts([link], new Set());
        expect(readLink(link, '/', facts)).toEqual(readLink({ ...link }, '/', facts));
      }),
      { numRuns: 200 },
    );
  });
});

describe('pooled signals', () => {
  it("pools a person's own site, an outlet and a legal page into one signal: the site is of another kind", () => {
    const fires = (domain: string) =>
      signalFires(
        directLink(domain, '/posts/2024/notes', {
          text: 'Notes on release trains',
          context: 'Notes on release trains, a long read.',
          heading: 'Reading',
        }),
        'otherKindOfSite',
      );
    expect(fires('jakewharton.com')).toBe(true);
    expect(fires('quillmate.dev')).toBe(false);
  });

  it("draws each pooled shape's weight towards its pool's sign, and nothing else", () => {
    const means = priorMeans(1);
    const mean = (name: string) => means[namedSignals.findIndex(([id]) => id === name)];
    expect(means).toHaveLength(featureCount);
    expect(mean('builtBy')).toBe(1);
    expect(mean('anchorGivenName')).toBe(-1);
    expect(mean('podcastTld')).toBe(-1);
    // The pools themselves, shapes outside every pool and the group copies are pulled towards 0.
    expect(mean('presentedAsCompany')).toBe(0);
    expect(mean('homePage')).toBe(0);
    expect(means.slice(namedSignals.length).every((value) => value === 0)).toBe(true);
    expect(priorMeans(0).every((value) => value === 0)).toBe(true);
  });
});

describe('where the sentence names the link', () => {
  it('finds a headline anchor by the company it names, so "Gizmo, a Lisbon startup" describes the link', () => {
    const describes = (text: string) =>
      signalFires(
        directLink('gizmo.example', '/', {
          text,
          context: 'Gizmo, a Lisbon startup, raises $5M to map the oceans.',
          heading: 'Funding',
        }),
        'appositive',
      );
    expect(describes('Gizmo raises $5M to map the oceans')).toBe(true);
    expect(describes('Gizmo')).toBe(true);
    // A headline that does not name the site is not looked for by a name it does not hold.
    expect(describes('Oceans get mapped for $5M')).toBe(false);
  });

  it("reads a post on the site its anchor names as the company's own writing", () => {
    const post = (path: string, text: string) =>
      signalFires(
        directLink('quillmate.dev', path, { text, context: `${text} (4 minute read)`, heading: '' }),
        'ownSitePost',
      );
    expect(post('/blog/scaling-to-millions', 'How Quillmate scaled to millions of users')).toBe(true);
    expect(post('/2024/06/17/notes.html', 'Quillmate 2.0 is out')).toBe(true);
    // Its home page is `ownSiteInSentence`'s; a post whose anchor does not name the site is anyone's article.
    expect(post('/', 'How Quillmate scaled to millions of users')).toBe(false);
    expect(post('/blog/scaling-to-millions', 'Scaling to millions of users')).toBe(false);
  });

  it('reads a "more here" link to a site the sentence names as a source, unless the sentence is about that site', () => {
    const cited = (domain: string, context: string) =>
      signalFires(directLink(domain, '/', { text: 'More here', context, heading: 'Deals' }), 'sourceCited');
    expect(cited('pulsewire.example', 'Gizmo raised $5M to map oceans. Pulsewire has more here.')).toBe(true);
    expect(cited('gizmo.example', 'Gizmo, a Lisbon startup, raised $5M to map oceans. More here.')).toBe(false);
  });
});

describe('what the other links under a heading are doing', () => {
  const wrapped = (text: string, context: string, heading: string): UnclassifiedLink => ({
    url: 'https://t.example/r/1',
    host: 't.example',
    domain: 't.example',
    text,
    context,
    heading,
    isImage: false,
    needsNetwork: true,
    tracker: 'substack',
    occurrences: 1,
    firstPosition: 0,
    originalHref: 'https://t.example/r/1',
  });
  /** The value of signal `id` for each link as the document pass reads them (null: the signal is absent). */
  const signalIn = (links: UnclassifiedLink[], id: string) =>
    readDocument(links, { senderDomains: [] }).map(({ reading }) => {
      const at = reading?.vector.indices.indexOf(namedSignals.findIndex(([name]) => name === id)) ?? -1;
      return at < 0 ? null : reading!.vector.values[at];
    });
  const essay = [
    wrapped('Ada Lovelace', 'Machines may compose, as Ada Lovelace wrote.', 'On craft'),
    wrapped('Babbage', 'The engine that Babbage never finished.', 'On craft'),
  ];

  it('gives each link the share of its neighbours presented as companies, once the whole document is read', () => {
    const deals = [
      wrapped('Quillmate', 'Quillmate, a Lisbon startup, builds release notes.', 'New this week'),
      wrapped('Tidewell', 'Tidewell is building grid batteries.', 'New this week'),
      wrapped('Parcelbird', 'We liked what we saw at Parcelbird on Friday.', 'New this week'),
    ];
    // Parcelbird's two neighbours are both presented as companies; each of the others has one of two.
    expect(signalIn([...deals, ...essay], 'sectionPresentsCompanies')).toEqual([0.5, 0.5, 1, null, null]);
  });

  it('counts the share of the other links told as company news, never the link itself', () => {
    const deals = [
      wrapped('Quillmate', 'Quillmate raised $4M for release notes.', 'Deals'),
      wrapped('Tidewell', 'Tidewell launched its grid battery.', 'Deals'),
      wrapped('Parcelbird', 'Parcelbird helps couriers plan routes.', 'Deals'),
    ];
    expect(signalIn([...deals, ...essay], 'sectionNewsShare')).toEqual([0.5, 0.5, 1, null, null]);
    // Alone under its heading, a link has no neighbours to go by.
    expect(signalIn([wrapped('Solo', 'Solo raised $1M.', 'Other')], 'sectionNewsShare')).toEqual([null]);
  });

  it("reads a sentence's funding words as the company's, not those of a person the sentence introduces", () => {
    const sentence = 'Ada Byron, cofounder of Quillmate, said Quillmate raised $4M for release notes.';
    const links = [wrapped('Ada Byron', sentence, 'Talks'), wrapped('Quillmate', sentence, 'Talks')];
    expect(signalIn(links, 'personAppositive')).toEqual([1, null]);
    expect(signalIn(links, 'sentenceFunding')).toEqual([null, 1]);
    expect(signalIn(links, 'sentenceMoney')).toEqual([null, 1]);
  });

  it('reads what a list holds by the noun it opens with', () => {
    const listOf = (anchor: string, sentence: string) => {
      const { namespaces, words } = readDocument([wrapped(anchor, sentence, 'Notes')], { senderDomains: [] })[0]!
        .reading!.vector;
      return words.filter((_, k) => namespaces[k] === 'listOf').map((word) => `listOf:${word}`);
    };
    expect(listOf('Quillbench', 'Benchmarks that test long tasks, such as Quillbench, are still rare.')).toEqual([
      'listOf:benchmarks',
    ]);
    expect(listOf('Tidewell', 'We met startups like Parcelbird and Tidewell.')).toEqual(['listOf:startups']);
    expect(listOf('Tidewell', 'Tidewell makes batteries.')).toEqual([]);
  });

  // One link in a one-link document, the sentence it sits in, and whether the signal fires on it.
  const shapes: Array<[signal: string, anchor: string, sentence: string, fires: boolean]> = [
    ['anchorGivenName', 'Surya', 'Thanks to Surya for the bug reports.', true],
    ['anchorGivenName', 'Quillmate', 'Quillmate sells release notes.', false],
    ['personAppositive', 'Ada Byron', 'It was started by Ada Byron, formerly an engineer at Tidewell.', true],
    ['personAppositive', 'Ada Byron', 'Ada Byron, one of the founders of Tidewell, spoke first.', true],
    ['personAppositive', 'Ada Byron', 'Ada Byron and Alan Turing, cofounders of Tidewell, spoke first.', true],
    ['personAppositive', 'Tidewell', 'Tidewell and Quillmate, two startups from Berlin, spoke first.', false],
    // "One of the most popular…" describes a product; only "one of the founders…" describes a person.
    [
      'personAppositive',
      'Quillmate',
      'On Quillmate, one of the most popular note apps, half the users write daily.',
      false,
    ],
    ['calledCompany', 'Quillmate', 'She took a job at a company called Quillmate.', true],
    ['calledCompany', 'Tidewell', 'A Berlin startup named Tidewell builds grid batteries.', true],
    ['calledCompany', 'Ada Byron', 'A woman called Ada Byron wrote the first program.', false],
    ['anchorVersion', 'Quillmate 1.0 is out', 'Quillmate 1.0 is out today.', true],
    ['anchorVersion', 'Node 18.11.0 (LTS)', 'Node 18.11.0 (LTS) adds a watch mode.', true],
    ['anchorVersion', 'Quillmate raises $1.4B', 'Quillmate raises $1.4B for release notes.', false],
    ['anchorVersion', 'Tidewell grew 2.5% a week', 'Tidewell grew 2.5% a week.', false],
    ['anchorVersion', 'Tidewell has 1.2 million users', 'Tidewell has 1.2 million users.', false],
    ['ownedBefore', 'Quillbot', 'Tidewell scaled production via its Quillbot assembly line.', true],
    ['ownedBefore', 'Quillmate', 'Tidewell switched to Quillmate last year.', false],
    ['locatedAfter', 'Quillmate', 'Quillmate (USA) sells notebooks to schools.', true],
    ['locatedAfter', 'Quillmate', 'Quillmate (FR) sells notebooks to schools.', true],
    ['locatedAfter', 'multiparty computation', 'Proofs use multiparty computation (MPC) to hide inputs.', false],
    ['locatedAfter', 'Quillmate 4', 'Quillmate 4 (LTS) ships today.', false],
    ['investedIn', 'Quillmate (YC W24)', 'Quillmate (YC W24) is hiring a founding engineer.', true],
    ['investedIn', 'Quillmate', 'Launch HN: Quillmate (YC S23) – release notes for teams', true],
    ['investedIn', 'Quillmate', 'Quillmate (Y Combinator S23) writes release notes for teams.', true],
    ['investedIn', 'Quillmate', 'Quillmate (2023) is a film about a quill.', false],
    ['relationBefore', 'Tomasz', 'My friend Tomasz built a tiny compiler.', true],
    ['relationBefore', 'Ada Byron', 'A question for my co-founder, Ada Byron, who knows.', true],
    ['relationBefore', 'Tidewell', 'Our portfolio company Tidewell raised $4M.', false],
    ['investorNamed', 'Kindred Ventures', 'Quillmate raised $5.5M from Kindred Ventures.', true],
    ['investorNamed', 'Acme Capital', 'The seed round was led by Acme Capital.', true],
    [
      'investorNamed',
      'Tidewell Partners',
      'Quillmate, with participation from Tidewell Partners, closed its round.',
      true,
    ],
    ['investorNamed', 'Acme Capital', 'Acme Capital led the $20M Series A round in Quillmate.', true],
    ['investorNamed', 'Tidewell', 'Quillmate a levé 3 M€ auprès de Tidewell.', true],
    ['investorNamed', 'Quillmate', 'A new note-taking tool from Quillmate writes release notes.', false],
    ['investorNamed', 'Quillmate', 'Quillmate raised $5M from angels.', false],
    // The funding words are about the company it invested in, not about the investor.
    ['sentenceFunding', 'Kindred Ventures', 'Quillmate raised $5.5M from Kindred Ventures.', false],
    ['sentenceFunding', 'Quillmate', 'Quillmate raised $5.5M from Kindred Ventures.', true],
    ['eventNamed', 'QuillConf', 'QuillConf takes place in Lisbon on 3 June; tickets are on sale now.', true],
    ['eventNamed', 'Tidewell Summit', 'Plus que 2 mois avant le Tidewell Summit !', true],
    ['eventNamed', 'Quillmate', 'Quillmate routes support tickets to the right engineer.', false],
    ['creditedAfter', 'The Craft of Notes', 'The Craft of Notes (Ada Byron)', true],
    ['creditedAfter', 'Why batteries got cheap', 'Why batteries got cheap (The Economist)', true],
    ['creditedAfter', 'Tidewell Grid Batteries', 'Tidewell Grid Batteries (Berlin) raised $4M.', false],
    ['creditedAfter', 'Model Context Protocol', 'It speaks the Model Context Protocol (MCP) to its tools.', false],
    ['creditedAfter', 'Quillmate', 'Quillmate (Ada Byron) writes release notes.', false],
    ['anchorIsSubject', 'Quillmate', 'Quillmate recently announced a $4M seed round.', true],
    ['anchorIsSubject', 'Quillmate', 'Quillmate just raised a seed round.', true],
    ['anchorIsSubject', 'Quillmate', 'Quillmate quietly tops the charts.', false],
    ['locatedAfter', 'Quillmate', 'Quillmate (USA, $8M raised) sells release notes.', true],
    ['locatedAfter', 'Tidewell', 'Tidewell (Berlin) builds grid batteries.', true],
    ['locatedAfter', 'Model Context Protocol', 'It speaks the Model Context Protocol (MCP) to its tools.', false],
    ['locatedAfter', 'Ada Byron', 'Ada Byron (Tidewell) spoke about batteries.', false],
    ['listedAmong', 'Quillmate', 'Des acteurs comme Quillmate vendent des notes de version.', true],
    ['appositive', 'Tidewell', 'Tidewell, une start-up lyonnaise, construit des batteries.', true],
    ['appositive', 'sumcheck protocol', 'It uses the sumcheck protocol, which Quillmate is also based on.', false],
    ['roleNearby', 'Parcelbird', 'Ada Byron, fondatrice de Parcelbird, parle de livraison.', true],
    ['roleNearby', 'Parcelbird', 'We met the cofounders of Parcelbird last week.', true],
    ['roleNearby', 'Tidewell', 'Ada Byron, research scientist at Tidewell, spoke about grids.', true],
    ['roleNearby', 'Tidewell', 'A paper written with Ada Byron (Tidewell) on grid storage.', true],
    ['roleNearby', 'Tidewell', 'A scheme for fair transaction ordering (Tidewell) on grids.', false],
    ['roleNearby', 'Parcelbird', 'Parcelbird cofounders Ada and Alan met us last week.', true],
    ['writingBefore', 'The Oatmeal', 'I read the blogs The Oatmeal and Wait But Why.', true],
    ['sourceBefore', 'Quillmate', 'Growth slowed, per Quillmate, in the spring.', true],
    ['sourceBefore', 'Tidewell', 'Demand rose in Tidewell markets.', false],
    ['writingBefore', 'Decentralization', 'It runs through essays like Hard Things, Decentralization, and more.', true],
    ['presentedAsCompany', 'Quillmate', 'Ada Byron founded Quillmate to write release notes.', true],
    ['presentedAsCompany', 'Tidewell', 'Tidewell makes batteries.', false],
    ['presentedAsPerson', 'Surya', 'Thanks to Surya for the bug reports.', true],
    [
      'presentedAsOther',
      'Decentralization',
      'It runs through essays like Hard Things, Decentralization, and more.',
      true,
    ],
    ['newsAboutIt', 'Quillmate raises $4M', 'Quillmate raises $4M for release notes.', true],
    ['newsAboutIt', 'Tidewell', 'Tidewell makes batteries.', false],
  ];
  it.each(shapes)('%s on "%s" in "%s": %s', (signal, anchor, sentence, fires) => {
    expect(signalIn([wrapped(anchor, sentence, 'Notes')], signal)).toEqual([fires ? 1 : null]);
  });
});
