import { describe, expect, it } from 'vitest';
import { classifyLinks } from './classify.ts';
import type { Classification, DocumentContext, UnclassifiedLink } from './classify.ts';

/** A link as the pipeline hands it over; each test states only what matters to it. */
function link(overrides: Partial<UnclassifiedLink> & { url: string }): UnclassifiedLink {
  const url = new URL(overrides.url);
  const host = url.hostname;
  const domain = host.split('.').slice(-2).join('.');
  return {
    host,
    domain,
    text: '',
    context: '',
    heading: '',
    isImage: false,
    needsNetwork: false,
    tracker: null,
    occurrences: 1,
    firstPosition: 0,
    originalHref: overrides.url,
    ...overrides,
  };
}

const doc: DocumentContext = { senderDomains: ['weeklyletter.com'] };
const one = (input: UnclassifiedLink, context: DocumentContext = doc): Classification =>
  classifyLinks([input], context)[0]!;

describe('classifyLinks: startups', () => {
  it('ranks a funding story linking to the company site as a startup and names it', () => {
    const result = one(
      link({
        url: 'https://acmerobotics.com/',
        text: 'Acme Robotics',
        context:
          'Acme Robotics, a San Francisco maker of warehouse robots, raised $12M in a seed round led by Example Ventures.',
      }),
    );
    expect(result.kind).toBe('startup');
    expect(result.name).toBe('Acme Robotics');
    expect(result.score).toBeGreaterThanOrEqual(0.55);
    expect(result.features.join(' ')).toMatch(/names the domain/);
  });

  it('finds the name in the sentence when the anchor says "More here"', () => {
    const result = one(
      link({
        url: 'https://ontaurus.com/blog/raising-our-seed',
        text: 'More here',
        context:
          'Taurus, a recently founded startup that runs consumer brands with agents, raised a $4.3 million seed round. More here.',
      }),
    );
    expect(result).toMatchObject({ kind: 'startup', name: 'Taurus' });
  });

  it('is not fooled by an article about another company', () => {
    const result = one(
      link({
        url: 'https://www.citybiz.example/article/1234/nervonik-raises-52m-to-scale',
        domain: 'citybiz.example',
        text: 'More here',
        context: 'Nervonik raises $52M to scale its neuromodulation platform.',
      }),
    );
    expect(result.kind).toBe('media');
  });

  it('treats a Product Hunt launch page as a startup', () => {
    expect(one(link({ url: 'https://www.producthunt.com/products/widgetly', text: 'Widgetly' }))).toMatchObject({
      kind: 'startup',
      name: 'Widgetly',
    });
  });

  it('does not take a large company’s Product Hunt launch for a startup', () => {
    expect(one(link({ url: 'https://www.producthunt.com/products/gpt-9', text: 'GPT-9 by OpenAI' })).kind).toBe(
      'bigco',
    );
  });

  it('keeps the signal for a link behind an opaque tracker', () => {
    const result = one(
      link({
        url: 'https://link.mail.beehiiv.com/ss/c/u001.x/y',
        domain: 'beehiiv.com',
        needsNetwork: true,
        tracker: 'beehiiv',
        text: 'Gizmo Labs',
        context: 'Gizmo Labs raised a $5M seed round to build better batteries.',
      }),
    );
    expect(result).toMatchObject({ kind: 'startup', name: 'Gizmo Labs' });
    expect(result.features[0]).toMatch(/beehiiv/);
  });

  it('reads a domain stated next to a wrapped link (Hacker Newsletter style)', () => {
    const result = one(
      link({
        url: 'https://acme.us6.list-manage.com/track/click?u=1&id=2&e=3',
        domain: 'list-manage.com',
        needsNetwork: true,
        tracker: 'mailchimp',
        text: 'Gizmodrome Raises $20M Series A',
        context: 'Gizmodrome Raises $20M Series A //gizmodrome comments→',
      }),
    );
    expect(result).toMatchObject({ kind: 'startup', name: 'Gizmodrome' });
  });

  it('recognises a wrapped link to a known outlet, place or person by its anchor', () => {
    const wrapped = (text: string, context: string) =>
      one(link({ url: 'https://bit.ly/x', needsNetwork: true, tracker: 'short-link', text, context }));
    expect(wrapped('Financial Times', 'Acme raised $5M, the Financial Times reports.').kind).toBe('media');
    expect(wrapped('Nevada', 'The startup raised $5M to build in Nevada.').kind).toBe('other');
    expect(wrapped('Jane Doe', 'Jane Doe, the founder, raised $5M.').kind).toBe('other');
  });

  it('does not take a wrapped article title for a company', () => {
    const result = one(
      link({
        url: 'https://bit.ly/x',
        needsNetwork: true,
        tracker: 'short-link',
        text: 'File-Driven Testing in Go',
        context: 'File-Driven Testing in Go — a seed of an idea.',
      }),
    );
    expect(result.kind).toBe('other');
  });

  describe('behind an opaque tracker, the anchor and its sentence name the company', () => {
    const wrapped = (text: string, context: string, heading = '') =>
      one(link({ url: 'https://bit.ly/x', needsNetwork: true, tracker: 'short-link', text, context, heading }));

    it('takes the name from a Show HN item whose stated domain spells it', () => {
      const context = (text: string, domain: string) => `${text} //${domain} comments→`;
      const launch = 'The Glimmer Lens – Holographic Display';
      expect(wrapped(launch, context(launch, 'glimmerlensworks'), '#Show HN')).toMatchObject({
        kind: 'startup',
        name: 'Glimmer Lens Works',
      });
      const browse = 'Browse Every Recipe Cards with Photos';
      expect(wrapped(browse, context(browse, 'cardswithphotos'), '#Show HN')).toMatchObject({
        kind: 'startup',
        name: 'Cards with Photos',
      });
      // A release of existing software, and a topic that only ends the domain, are not launches of a company.
      const release = 'Grapevine 4.0 released';
      expect(wrapped(release, context(release, 'grapevinehq'), '#Show HN').kind).toBe('other');
      const topic = 'Learn and practice modern Rustacean';
      expect(wrapped(topic, context(topic, 'learnrustacean'), '#Show HN').kind).toBe('other');
    });

    it('reads the company from a headline anchor', () => {
      expect(
        wrapped('Quillby raised $30M at a $500M valuation', 'Quillby raised $30M at a $500M valuation.'),
      ).toMatchObject({ kind: 'startup', name: 'Quillby' });
      expect(
        wrapped('acquired Lyon-based, YC-backed Tessel', 'Orbit acquired Lyon-based, YC-backed Tessel.'),
      ).toMatchObject({ kind: 'startup', name: 'Tessel' });
      expect(wrapped('Zap’s smart mode now uses a new model', 'Zap’s smart mode now uses a new model.')).toMatchObject({
        kind: 'startup',
        name: 'Zap',
      });
      expect(
        wrapped('Nimbo (AU) avec sa nouvelle valise', 'La marque Nimbo (AU) avec sa nouvelle valise.'),
      ).toMatchObject({ kind: 'startup', name: 'Nimbo' });
      expect(wrapped('I switched over to Snapcast', 'After years I switched over to Snapcast.')).toMatchObject({
        kind: 'startup',
        name: 'Snapcast',
      });
    });

    it('takes the subject of a funding sentence when the anchor is a fragment', () => {
      const result = wrapped(
        'emerged from stealth with a $40M seed',
        'Cognitra, an agent lab founded by two professors, emerged from stealth with a $40M seed.',
      );
      expect(result).toMatchObject({ kind: 'startup', name: 'Cognitra' });
      // A person in the news with an amount of money is not a company.
      expect(wrapped('$180 billion fight', 'Jon Smithers is an underdog in his $180 billion fight.').kind).toBe(
        'other',
      );
    });

    it('reads a located company, a TL;DR profile and a named ranking', () => {
      expect(
        wrapped('reported', 'What’s new: Bipedix Robotics, based in Ohio, is supplying robots to a maker of parts.'),
      ).toMatchObject({ kind: 'startup', name: 'Bipedix Robotics' });
      expect(wrapped('Fixlane', 'TL;DR: Fixlane automatise le recrutement des experts.').kind).toBe('startup');
      expect(
        wrapped('Open Gauge Intelligence Index', 'It ranks second on the Open Gauge Intelligence Index.'),
      ).toMatchObject({ kind: 'startup', name: 'Open Gauge' });
      // Without the sentence ranking anything, an index is just a title.
      expect(wrapped('Open Gauge Intelligence Index', 'See the Open Gauge Intelligence Index.').kind).toBe('other');
    });

    it('counts a name used as a product, priced, or doing business', () => {
      expect(wrapped('Postbox', 'It bills itself as “sort of like Postbox” but for gRPC.').kind).toBe('startup');
      expect(wrapped('Stickly', 'Stickly: un cube qui imprime des stickers, pour $99.').kind).toBe('startup');
      expect(wrapped('Dentro', 'Both are integrators, but Dentro is attacking the dental supply chain.').kind).toBe(
        'startup',
      );
    });

    it('leaves roundup items, titles, sources and calls to action alone', () => {
      expect(wrapped('Vanno', 'Vanno: Chat with your SQL database.').kind).toBe('other');
      expect(wrapped('The Basics', 'Maybe even more so. Just like The Basics.').kind).toBe('other');
      expect(wrapped('Per Sportico', 'Per Sportico, the total value of teams grew from $190B to $228B.').kind).toBe(
        'other',
      );
      expect(wrapped('Follow on X', 'Follow on X', 'New startups this week').kind).toBe('other');
      expect(wrapped('Is Kotlin Multiplatform (KMP) worth it?', 'Is Kotlin Multiplatform (KMP) worth it?').kind).toBe(
        'other',
      );
    });
  });

  it('does not call a bare wrapped link a startup', () => {
    const result = one(
      link({
        url: 'https://bit.ly/x',
        needsNetwork: true,
        tracker: 'short-link',
        text: 'here',
        context: 'Read it here.',
      }),
    );
    expect(result.kind).toBe('other');
  });
});

describe('classifyLinks: everything else', () => {
  const cases: [string, UnclassifiedLink, Classification['kind']][] = [
    ['social profile', link({ url: 'https://x.com/acme', text: 'Acme on X' }), 'social'],
    ['news outlet', link({ url: 'https://techcrunch.com/2026/01/01/acme-raises/', text: 'TechCrunch' }), 'media'],
    ['large company', link({ url: 'https://blog.google/products/gemini/', text: 'Gemini' }), 'bigco'],
    [
      'app store before its parent company',
      link({ url: 'https://apps.apple.com/app/id1', text: 'Download' }),
      'appstore',
    ],
    ['code host', link({ url: 'https://github.com/acme/widget', text: 'acme/widget' }), 'code'],
    ['image file', link({ url: 'https://cdn.acme.ai/hero.png', isImage: true }), 'image'],
    ['sender domain', link({ url: 'https://weeklyletter.com/p/issue-12', text: 'Read issue 12' }), 'newsletter'],
    ['unsubscribe', link({ url: 'https://mailer.example/u/abc', text: 'Unsubscribe' }), 'newsletter'],
    ['university', link({ url: 'https://cs.stanford.edu/research', text: 'Stanford research' }), 'other'],
    ['government', link({ url: 'https://www.gov.uk/guidance', text: 'guidance' }), 'other'],
    ['investor', link({ url: 'https://www.a16z.com/', text: 'a16z', context: 'led by a16z' }), 'other'],
    ["person's site", link({ url: 'https://jakewharton.com/', text: 'Jake Wharton' }), 'other'],
  ];
  for (const [what, input, kind] of cases) {
    it(`classifies a ${what} as ${kind}`, () => {
      const result = one(input);
      expect(result.kind).toBe(kind);
      expect(result.features.length).toBeGreaterThan(0);
      expect(result.score).toBeLessThan(0.55);
    });
  }

  it('marks a sponsor block as sponsor with the sponsor name', () => {
    const result = one(
      link({
        url: 'https://widgetly.io/try',
        text: 'Widgetly',
        heading: 'Together with Widgetly',
        context: 'Widgetly automates your audits.',
      }),
    );
    expect(result).toMatchObject({ kind: 'sponsor', name: 'Widgetly' });
  });

  it('falls back to the title-cased domain label for the name', () => {
    const result = one(link({ url: 'https://deep-widget.ai/', text: 'https://deep-widget.ai', context: '' }));
    expect(result.name).toBe('Deep Widget');
  });

  it('spreads a sponsor block to the link next to it', () => {
    const results = classifyLinks(
      [
        link({
          url: 'https://widgetly.io/blog/launch',
          text: 'Widgetly Radar: abuse prevention (Sponsor)',
          firstPosition: 4,
        }),
        link({
          url: 'https://widgetkit.com/',
          text: 'WidgetKit',
          context: 'WidgetKit gives you hosted sign-up pages.',
          firstPosition: 5,
        }),
      ],
      doc,
    );
    expect(results.map((r) => r.kind)).toEqual(['sponsor', 'sponsor']);
  });

  it('tells a person’s blog post from a company whose name starts like a given name', () => {
    expect(
      one(
        link({
          url: 'https://patriksvensson.se/posts/2025/07/open-cli',
          domain: 'patriksvensson.se',
          text: 'Introducing OpenCLI',
        }),
      ).kind,
    ).toBe('other');
    expect(
      one(
        link({
          url: 'https://www.raycast.com/',
          domain: 'raycast.com',
          text: 'Raycast',
          context: 'I switched to Raycast, the launcher.',
        }),
      ).kind,
    ).toBe('startup');
  });

  it('calls a domain named like an outlet media', () => {
    expect(
      one(link({ url: 'https://fintechnews.example/a/b', domain: 'fintechnews.example', text: 'Read' })).kind,
    ).toBe('media');
  });

  it('does not take a bare name with no sentence for a startup', () => {
    expect(one(link({ url: 'https://gizmo.dev/', text: 'Gizmo', context: 'Gizmo' })).kind).toBe('other');
  });

  it('stays fast and bounded on a 100 kB anchor and URL', () => {
    const huge = 'A'.repeat(100_000);
    const result = one(link({ url: `https://acme.ai/${'a'.repeat(100_000)}`, text: huge, context: `${huge} raised` }));
    expect(result.kind).toBeDefined();
  });
});
