import { describe, expect, it } from 'vitest';
import { fixtureText } from './fixtures/read.ts';
import { MAX_HREF_LENGTH } from './href.ts';
import { extractFromHtml } from './html.ts';

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
});
