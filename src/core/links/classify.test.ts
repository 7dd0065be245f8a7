import { describe, expect, it } from 'vitest';
import { classifyLinks } from './classify.ts';
import { featureCount } from './features.ts';
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

const wrapped = (text: string, context: string, heading = ''): Classification =>
  one(link({ url: 'https://bit.ly/x', needsNetwork: true, tracker: 'short-link', text, context, heading }));

describe('classifyLinks: the learned scorer ranks what knowledge does not decide', () => {
  it('ranks a funding story linking to the company site as a startup and names it', () => {
    const result = one(
      link({
        url: 'https://acmerobotics.com/',
        text: 'Acme Robotics',
        context:
          'Acme Robotics, a San Francisco maker of warehouse robots, raised $12M in a seed round led by Example Ventures.',
      }),
    );
    expect(result).toMatchObject({ kind: 'startup', name: 'Acme Robotics' });
    expect(result.score).toBeGreaterThanOrEqual(0.5);
    expect(result.features.join(' ')).toMatch(/names the domain|links its own site/);
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
    expect(result.name).toBe('Taurus');
  });

  it('ranks the company’s own site above an article about it', () => {
    const company = one(
      link({
        url: 'https://nervonik.com/',
        text: 'Nervonik',
        context: 'Nervonik raises $52M to scale its neuromodulation platform.',
      }),
    );
    const article = one(
      link({
        url: 'https://www.citybiz.example/article/1234/nervonik-raises-52m-to-scale',
        domain: 'citybiz.example',
        text: 'More here',
        context: 'Nervonik raises $52M to scale its neuromodulation platform.',
      }),
    );
    expect(company.score).toBeGreaterThan(article.score);
    expect(article.kind).not.toBe('startup');
  });

  it('behind an opaque tracker, ranks a named company in funding news above a person, a place or a bare link', () => {
    const company = wrapped('Gizmo Labs', 'Gizmo Labs raised a $5M seed round to build better batteries.');
    expect(company).toMatchObject({ kind: 'startup', name: 'Gizmo Labs' });
    expect(company.features.join(' ')).toMatch(/proper name|funding/);
    for (const other of [
      wrapped('Jane Doe', 'Jane Doe, co-founder of Gizmo Labs, talked about batteries.'),
      wrapped('here', 'Read it here.'),
      wrapped('03:53', '03:53 The interview starts.'),
    ]) {
      expect(other.kind).not.toBe('startup');
      expect(other.score).toBeLessThan(company.score);
    }
  });

  it('gives a wrapped link named for a known company to that company, whatever its score', () => {
    const headline = "Apple's Latest Attempt to Launch New Siri Runs Into Trouble";
    expect(wrapped(headline, `${headline} (6 minute read)`)).toMatchObject({ kind: 'bigco', name: 'Apple' });
    expect(wrapped('Gizmo raises $4M', 'Gizmo raises $4M to map the oceans.').kind).toBe('startup');
  });

  it('recognises a wrapped link to a known outlet by its anchor', () => {
    expect(wrapped('Financial Times', 'Acme raised $5M, the Financial Times reports.').kind).toBe('media');
  });

  it('keeps every link it turns down, with its score and a reason in words', () => {
    const result = wrapped('Vanno', 'Vanno: Chat with your SQL database.');
    expect(result.reason).toMatch(/^(A startup|Probably a startup|Maybe a startup|Not a startup) \(\d\.\d\d\): /);
    expect(result.reason).toContain(result.score.toFixed(2));
    expect(result.features.length).toBeGreaterThan(0);
  });

  it('reads the company a headline anchor is about', () => {
    expect(wrapped('Quillby raised $30M at a $500M valuation', 'Quillby raised $30M at a $500M valuation.').name).toBe(
      'Quillby',
    );
    expect(
      wrapped(
        'emerged from stealth with a $40M seed',
        'Cognitra, an agent lab founded by two professors, emerged from stealth with a $40M seed.',
      ).name,
    ).toBe('Cognitra');
  });

  it('takes the name from a Show HN item whose stated domain spells it', () => {
    const launch = 'The Glimmer Lens – Holographic Display';
    const result = wrapped(launch, `${launch} //glimmerlensworks comments→`, '#Show HN');
    expect(result.name).toBe('Glimmer Lens Works');
    expect(result.features.join(' ')).toMatch(/states its domain/);
  });

  it('scores with the model it is given, deterministically', () => {
    const input = link({ url: 'https://gizmo.dev/', text: 'Gizmo', context: 'Gizmo raised $3M.' });
    const sure = { bias: 10, weights: new Float64Array(featureCount) };
    const never = { bias: -10, weights: new Float64Array(featureCount) };
    expect(classifyLinks([input], doc, sure)[0]).toMatchObject({ kind: 'startup', score: 1 });
    expect(classifyLinks([input], doc, never)[0]).toMatchObject({ kind: 'other', score: 0 });
    expect(classifyLinks([input], doc)).toEqual(classifyLinks([input], doc));
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

  it('reads a sentence that opens with a sponsor label as a sponsor, and one that only mentions sponsors as not', () => {
    const kindOf = (text: string, context: string) => one(link({ url: 'https://paperlane.dev/', text, context })).kind;
    expect(kindOf('Paperlane', 'Our sponsor: Paperlane helps teams ship docs.')).toBe('sponsor');
    expect(kindOf('Start a free trial', 'Sponsored by Paperlane — docs your team ships. Start a free trial.')).toBe(
      'sponsor',
    );
    expect(kindOf('Paperlane', 'Paperlane, which sponsors open-source docs tools, raised $4M.')).not.toBe('sponsor');
  });

  it('ranks a logo linked to a company’s site, and fixes a photo as an image', () => {
    const logo = one(
      link({
        url: 'https://www.saltmarsh.dev/',
        text: 'Saltmarsh logo',
        isImage: true,
        context: 'Saltmarsh is building open-source feature flags.',
      }),
    );
    expect(logo.kind).not.toBe('image');
    const photo = one(link({ url: 'https://janedoe.example/', text: 'Photo of Jane Doe', isImage: true }));
    expect(photo.kind).toBe('image');
  });

  it('takes a wrapped link named exactly as the newsletter for its own, and one only sharing a word for a judgement', () => {
    const letter: DocumentContext = { senderDomains: ['deeplearning.ai', 'hackernewsletter.com'] };
    const tracked = (text: string, context: string) =>
      link({ url: 'https://bit.ly/x', needsNetwork: true, tracker: 'short-link', text, context });
    const own = one(tracked('DeepLearning.AI', 'Check out job openings at DeepLearning.AI.'), letter);
    expect(own).toMatchObject({ kind: 'newsletter', features: ["the anchor is the newsletter's own name"] });
    const partOfIt = one(tracked('Letter', 'A Letter from the editors.'), letter);
    expect(partOfIt.features).not.toContain("the anchor is the newsletter's own name");
  });

  it("reads a Product Hunt launch page as the product's, whatever the anchor says of the platform", () => {
    const launch = (text: string) => one(link({ url: 'https://www.producthunt.com/posts/gizmo-2', text }));
    expect(launch('Gizmo on Product Hunt')).toMatchObject({ kind: 'startup', name: 'Gizmo' });
    expect(launch('Gizmo')).toMatchObject({ kind: 'startup', name: 'Gizmo' });
    expect(launch('')).toMatchObject({ kind: 'startup', name: 'Gizmo 2' });
    expect(launch('GPT-5.5 by OpenAI on Product Hunt')).toMatchObject({ kind: 'bigco' });
  });

  it('falls back to the title-cased domain label for the name', () => {
    const result = one(link({ url: 'https://deep-widget.ai/', text: 'https://deep-widget.ai', context: '' }));
    expect(result.name).toBe('Deep Widget');
  });

  it('spreads a sponsor block to the sponsor’s other links next to it, and to nothing else', () => {
    const results = classifyLinks(
      [
        link({
          url: 'https://widgetly.io/blog/launch',
          text: 'Widgetly Radar: abuse prevention (Sponsor)',
          firstPosition: 4,
        }),
        link({
          url: 'https://widgetly.io/signup',
          text: 'Start free',
          context: 'Widgetly gives you hosted sign-up pages.',
          firstPosition: 5,
        }),
        // The next story in the digest is someone else's, however close it sits.
        link({
          url: 'https://quillmark.io/',
          text: 'Quillmark',
          context: 'Quillmark raised $4M to build invoicing for plumbers.',
          firstPosition: 6,
        }),
      ],
      doc,
    );
    expect(results.map((r) => r.kind)).toEqual(['sponsor', 'sponsor', 'startup']);
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

  it('stays fast and bounded on a 100 kB anchor and URL', () => {
    const huge = 'A'.repeat(100_000);
    const result = one(link({ url: `https://acme.ai/${'a'.repeat(100_000)}`, text: huge, context: `${huge} raised` }));
    expect(result.kind).toBeDefined();
  });
});

describe('classifyLinks: names', () => {
  it("names every link to a site as the newsletter writes that site's name once", () => {
    const [named, tagline] = classifyLinks(
      [
        link({
          url: 'https://getloomwise.com/',
          text: 'Loomwise',
          context: 'Loomwise raised $4M for invoicing.',
          firstPosition: 0,
        }),
        link({
          url: 'https://getloomwise.com/pricing',
          text: 'Stop chasing invoices (Sponsor)',
          context: 'Stop chasing invoices (Sponsor)',
          firstPosition: 1,
        }),
      ],
      doc,
    );
    expect(named!.name).toBe('Loomwise');
    expect(tagline!.name).toBe('Loomwise');
  });
});
