import fc from 'fast-check';
import { Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { fixtureText } from './fixtures/read.ts';
import { MAX_HREF_LENGTH } from './href.ts';
import { ScanningTokenizer, extractFromHtml } from './html.ts';

const parse = (html: string, base: string | null = null) => extractFromHtml(html, { firstPosition: 0, base });

describe('extractFromHtml', () => {
  const digest = parse(fixtureText('digest.html'));
  const byHref = (href: string) => digest.links.filter((link) => link.href === href);

  it('finds every web link in document order and skips mailto, scripts and unresolvable relative links', () => {
    expect(digest.links.map((link) => link.href)).toEqual([
      'https://digest.example/web?id=1&e=me%40example.org',
      'https://orbitly.example/?utm_source=digest',
      'https://patchwise.example/',
      'https://patchwise.example/',
      'https://first.example/',
      'https://second.example/',
      'https://area.example/',
    ]);
    expect(digest.links.map((link) => link.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(digest.title).toBe('The Digest #7');
  });

  it('gives a generic anchor the sentence before it, so the company it names is kept', () => {
    const [orbitly] = byHref('https://orbitly.example/?utm_source=digest');
    expect(orbitly?.text).toBe('More here');
    expect(orbitly?.context).toBe(
      'Orbitly, a two-year-old startup building satellite insurance, raised a seed round. More here.',
    );
    expect(orbitly?.heading).toBe('Top stories');
  });

  it('joins anchor text across inline tags, stops the sentence at <br>, and reads a bold block as a heading', () => {
    const [text, image] = byHref('https://patchwise.example/');
    expect(text).toMatchObject({
      text: 'Patchwise',
      context: 'Try Patchwise for reviews.',
      heading: 'Developer tools',
    });
    expect(image).toMatchObject({ text: 'Patchwise logo', isImage: true });
  });

  it("keeps Gmail's record of where a link went (data-saferedirecturl) when it differs from the href", () => {
    const gmail = (q: string) => `https://www.google.com/url?q=${q}&amp;source=gmail&amp;ust=1&amp;usg=x`;
    const { links } = parse(
      `<p><a href="https://t.mail.example/c/1" data-saferedirecturl="${gmail('https://gizmo.dev/')}">Gizmo</a> and ` +
        `<a HREF="https://t.mail.example/c/2" DATA-SAFEREDIRECTURL="${gmail('https://t.mail.example/c/2')}">Orbit</a> ` +
        `<a href="https://t.mail.example/c/3" data-saferedirecturl="https://t.mail.example/c/3">Same</a> ` +
        `<a href="https://plain.example/">Plain</a></p>`,
    );
    expect(links.map((link) => [link.text, link.recordedHref])).toEqual([
      ['Gizmo', 'https://www.google.com/url?q=https://gizmo.dev/&source=gmail&ust=1&usg=x'],
      ['Orbit', 'https://www.google.com/url?q=https://t.mail.example/c/2&source=gmail&ust=1&usg=x'],
      ['Same', undefined],
      ['Plain', undefined],
    ]);
  });

  it('ends a section at a rule after its text, but keeps a heading a rule underlines', () => {
    const { links } = parse(
      '<title>Issue 9</title><p><strong>Today’s issue is brought to you by Gizmo</strong></p>' +
        '<p><a href="https://gizmo.dev/">Gizmo</a> maps the oceans.</p><hr>' +
        '<p>Hi friends, read <a href="https://blog.example/part-1">Part I</a> first.</p>' +
        '<h2>Show HN</h2><hr><p><a href="https://orbit.example/">Orbit</a> – a queue</p>',
    );
    expect(links.map((link) => [link.text, link.heading])).toEqual([
      ['Gizmo', 'Today’s issue is brought to you by Gizmo'],
      ['Part I', 'Issue 9'],
      ['Orbit', 'Show HN'],
    ]);
  });

  it('reads tag names in any ASCII case, and only the tags it knows', () => {
    const read = (html: string) =>
      parse(html).links.map(({ href, text, context, heading }) => ({ href, text, context, heading }));
    const source = fixtureText('digest.html');
    const expected = read(source);
    fc.assert(
      fc.property(fc.infiniteStream(fc.boolean()), (upper) => {
        const mixed = source.replace(
          /(<\/?)([a-z][a-z0-9]*)/gi,
          (_, open: string, name: string) =>
            open + [...name].map((char) => (upper.next().value ? char.toUpperCase() : char.toLowerCase())).join(''),
        );
        expect(read(mixed)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
    // Tags one letter off the ones read (a block, a heading, a break, a link) are unknown tags, as a span is.
    const nearMisses =
      '<h7>Deals</h7><ab href="https://a.example/">A</ab><brx><title2>x</title2><p2>Acme <a href="https://acme.example/">site</a></p2>';
    expect(read(nearMisses)).toEqual(read(nearMisses.replace(/<(\/?)(h7|ab|brx|title2|p2)\b/g, '<$1span')));
    expect(read('<H2>Deals</H2><P>Acme raised $5M. <A HREF="https://acme.example/">Acme</A><BR>Next</P>')).toEqual([
      { href: 'https://acme.example/', text: 'Acme', context: 'Acme raised $5M. Acme', heading: 'Deals' },
    ]);
  });

  it('closes an anchor when another opens inside it, as browsers do', () => {
    expect(byHref('https://first.example/')[0]?.text).toBe('first');
    expect(byHref('https://second.example/')[0]?.text).toBe('second');
    expect(byHref('https://area.example/')[0]?.text).toBe('Map area');
  });

  it('resolves relative links against <base href> or the given base', () => {
    expect(parse('<base href="https://site.example/a/"><a href="b">b</a>').links[0]?.href).toBe(
      'https://site.example/a/b',
    );
    expect(parse('<a href="/p/1">one</a>', 'https://site.example/x').links[0]?.href).toBe('https://site.example/p/1');
  });

  it('counts hrefs longer than the limit instead of keeping them', () => {
    const long = `https://long.example/${'a'.repeat(MAX_HREF_LENGTH)}`;
    const part = parse(`<a href="${long}">long</a><a href="https://ok.example/">ok</a>`);
    expect(part.skippedLongHrefs).toBe(1);
    expect(part.links.map((link) => link.href)).toEqual(['https://ok.example/']);
  });

  it('takes the first <title> as the title when a template repeats it', () => {
    const part = parse(
      '<head><title>Issue 72: Prices</title></head><body><title>Issue 72: Prices</title><p><a href="https://acme.example/">Acme</a></p></body>',
    );
    expect(part.title).toBe('Issue 72: Prices');
    expect(part.links[0]?.heading).toBe('Issue 72: Prices');
    expect(part.links[0]?.context).toBe('Acme');
  });

  it('decodes character references as a browser does: legacy ones in text, not before `=` in an address', () => {
    const page = parse(
      '<title>Q&amp;A</title><p>Fish &amp chips&#8217;n&nbsp;more: ' +
        '<a href="https://x.example/?a=1&amp;b=2&copy=3&copy">Tom &amp; Jerry</a> <xmp>&amp;</xmp></p>',
    );
    expect(page.title).toBe('Q&A');
    expect(page.links[0]).toMatchObject({
      href: 'https://x.example/?a=1&b=2&copy=3©',
      text: 'Tom & Jerry',
      context: 'Fish & chips’n more: Tom & Jerry &amp;',
    });
  });

  it('scans as htmlparser2 does: the same events from ScanningTokenizer as from the Tokenizer it speeds up', () => {
    const events = (Kind: typeof Tokenizer, html: string): string[] => {
      const seen: string[] = [];
      const callbacks = new Proxy({} as ConstructorParameters<typeof Tokenizer>[1], {
        get:
          (_, name) =>
          (...args: unknown[]) =>
            seen.push(`${String(name)} ${args.join(',')}`),
      });
      const tokenizer = new Kind({ decodeEntities: false, recognizeSelfClosing: true }, callbacks);
      tokenizer.write(html);
      tokenizer.end();
      return seen;
    };
    for (const html of [
      fixtureText('digest.html'),
      '<p a="1" b=\'2\' c=3>x<!-- c --><script>if (a < b) {}</script><style>p{}</style><title>t</title>',
      'text only',
      '<a href="unclosed',
      '<!-- unclosed',
      '<p>x</p',
    ]) {
      expect(events(ScanningTokenizer, html)).toEqual(events(Tokenizer, html));
    }
  });

  it('reads the links an unclosed <title>, <script> or <style> would swallow', () => {
    for (const opener of ['<title>Issue 3', '<script>var x = 1', '<style>p {}']) {
      const part = parse(`${opener}<p>Acme <a href="https://acme.example/">Acme</a></p>`);
      expect(part.links.map((link) => [link.href, link.text])).toEqual([['https://acme.example/', 'Acme']]);
    }
    expect(parse('<script>document.write("<a href=https://x.example/>x</a>")</script>').links).toEqual([]);
  });

  it('survives unclosed tags, stray closers and deep nesting', () => {
    const deep = '<div>'.repeat(50_000) + '<a href="https://deep.example/">deep</a>' + '</span>'.repeat(10);
    const part = parse(deep);
    expect(part.links).toHaveLength(1);
    expect(part.links[0]).toMatchObject({ href: 'https://deep.example/', text: 'deep' });
  });

  it('keeps the sentence under 300 characters, with the start of a long sentence and the link', () => {
    const filler = 'word '.repeat(60);
    const part = parse(
      `<p>Acme, a Berlin startup, ${filler}<a href="https://acme.example/">here</a> and ${filler}.</p>`,
    );
    const context = part.links[0]?.context ?? '';
    expect(context.length).toBeLessThanOrEqual(310);
    expect(context.startsWith('Acme, a Berlin startup,')).toBe(true);
    expect(context).toContain('here');
  });
  describe('a link alone on its line or in its block is a headline', () => {
    const sentences = (html: string) => parse(html).links.map((link) => [link.text, link.context, link.heading]);

    it('takes the paragraph under it as its sentence, whether the link wraps the heading or sits in it', () => {
      const wrapped =
        '<h6>Programming</h6><a href="https://orbitly.example/"><h3>Orbitly 1.0 (5 minute read)</h3></a>' +
        '<div>Orbitly is a toolkit for satellite telemetry. Version 1.0 is out.</div>' +
        '<a href="https://gizmo.example/"><h3>Gizmo (GitHub Repo)</h3></a><div>Gizmo renders maps in the terminal.</div>';
      expect(sentences(wrapped)).toEqual([
        [
          'Orbitly 1.0 (5 minute read)',
          'Orbitly 1.0 (5 minute read) Orbitly is a toolkit for satellite telemetry.',
          'Programming',
        ],
        ['Gizmo (GitHub Repo)', 'Gizmo (GitHub Repo) Gizmo renders maps in the terminal.', 'Programming'],
      ]);
      const inside =
        '<h2>Launches</h2><h3><a href="https://orbitly.example/">Orbitly</a></h3><p>Orbitly insures satellites.</p>' +
        '<p><a href="https://gizmo.example/"><b>Gizmo raises $4M</b></a></p><p>The seed round was led by Acme Ventures.</p>' +
        '<p>More: <a href="https://third.example/">Third</a></p>';
      expect(sentences(inside)).toEqual([
        ['Orbitly', 'Orbitly Orbitly insures satellites.', 'Launches'],
        ['Gizmo raises $4M', 'Gizmo raises $4M The seed round was led by Acme Ventures.', 'Launches'],
        ['Third', 'More: Third', 'Launches'],
      ]);
    });

    it('takes the line under it when a line break, not a block, ends the headline', () => {
      const item =
        '<div><a href="https://levels.example/"><strong>How Levels scaled to millions (4 minute read)</strong></a>' +
        '\n<br>\n<br><span>Levels, a career site, started without a backend. It used spreadsheets.</span></div>';
      expect(sentences(item)[0]?.[1]).toBe(
        'How Levels scaled to millions (4 minute read) Levels, a career site, started without a backend.',
      );
      const middle =
        '<p>This week:<br><a href="https://a.example/">Orbitly launches</a><br>Orbitly insures satellites.</p>';
      expect(sentences(middle)[0]?.[1]).toBe('Orbitly launches Orbitly insures satellites.');
      const list =
        '<p><a href="https://a.example/">Careers</a><br><a href="https://b.example/">Shop</a><br>We sell fine goods.</p>';
      expect(sentences(list).map(([, context]) => context)).toEqual(['Careers', 'Shop']);
      const linked =
        '<p><a href="https://a.example/">Orbitly launches</a><br>Read <a href="https://b.example/">the post</a>.</p>';
      expect(sentences(linked)[0]?.[1]).toBe('Orbitly launches');
    });

    it('gets no sentence from a list of links, a paragraph with a link of its own, a legal line or a line that is not prose; a button is no headline', () => {
      const menu =
        '<p><a href="https://a.example/">Careers</a></p><p><a href="https://b.example/">Shop</a></p>' +
        '<p>Acme Media, 1 Main Street, Springfield.</p>';
      expect(sentences(menu).map(([, context]) => context)).toEqual(['Careers', 'Shop']);
      const linked =
        '<p><a href="https://a.example/">Orbitly</a></p><p>Read the <a href="https://b.example/">launch post</a>.</p>';
      expect(sentences(linked)[0]?.[1]).toBe('Orbitly');
      const footer =
        '<p><a href="https://a.example/">Community</a></p><p>Copyright © 2025 Acme, all rights reserved.</p>';
      expect(sentences(footer)[0]?.[1]).toBe('Community');
      const button =
        '<p><a href="https://a.example/">READ IN APP</a></p><p>Welcome to the 300 new readers this week!</p>';
      expect(sentences(button)[0]?.[1]).toBe('READ IN APP');
      for (const line of ['— — —', '27,470.00', '↓↓', 'Acme Ventures']) {
        expect(sentences(`<p><a href="https://a.example/">Nasdaq</a></p><p>${line}</p>`)[0]?.[1]).toBe('Nasdaq');
      }
      // An image's alt text is no headline: the paragraph under a picture is the essay going on.
      const image = '<p><a href="https://a.example/"><img alt="chart"></a></p><p>Prices fell again this year.</p>';
      expect(sentences(image)[0]?.[1]).toBe('');
    });

    it('reads an attribution in bold as no heading', () => {
      const quote = '<h2>Quotes</h2><p><b>— Ada Lovelace</b></p><p>Try <a href="https://a.example/">Acme</a>.</p>';
      expect(sentences(quote)[0]?.[2]).toBe('Quotes');
    });
  });
});
