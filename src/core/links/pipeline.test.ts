import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CONTEXT } from './parse/context.ts';
import { fixtureBytes, fixtureText } from './parse/fixtures/read.ts';
import { extractLinks, pipelineStages } from './pipeline.ts';
import type { ExtractLinksOptions } from './pipeline.ts';
import type { LinkReport } from './types.ts';

const byHost = (report: LinkReport, host: string) => report.links.filter((link) => link.host === host);

/** What every report must satisfy, whatever the input. */
function expectWellFormed(report: LinkReport): void {
  report.links.forEach((link, index) => {
    expect(link.id).toBe(`L${index + 1}`);
    expect(link.url).toMatch(/^https?:\/\//);
    expect(link.occurrences).toBeGreaterThanOrEqual(1);
    expect(link.context.length).toBeLessThanOrEqual(MAX_CONTEXT + 10);
    if (index > 0) expect(link.firstPosition).toBeGreaterThan(report.links[index - 1]?.firstPosition ?? -1);
  });
  const merged = report.links.reduce((sum, link) => sum + link.occurrences, 0);
  expect(merged).toBeLessThanOrEqual(report.stats.occurrences);
}

describe('extractLinks', () => {
  it('reads both parts of an email and gives an opaque HTML link the direct URL its text part prints', async () => {
    const report = await extractLinks(fixtureBytes('weekly.eml'), { fileName: 'weekly.eml' });
    expect(report.format).toBe('eml');
    expect(report.warnings).toEqual([]);
    expectWellFormed(report);
    const [quillmate] = byHost(report, 'quillmate.io');
    expect(quillmate).toMatchObject({
      url: 'https://quillmate.io/',
      domain: 'quillmate.io',
      text: 'Quillmate',
      needsNetwork: false,
      occurrences: 2,
      heading: 'Fundings',
    });
    expect(quillmate?.context).toContain('Quillmate, a Lisbon startup that writes release notes, raised $4M.');
    expect(quillmate?.originalHref).toMatch(/^https:\/\/link\.mail\.beehiiv\.com\//);
    expect(report.links.some((link) => link.host === 'link.mail.beehiiv.com')).toBe(false);
    expect(byHost(report, 'www.newsoutlet.example')[0]).toMatchObject({ occurrences: 2, text: 'café story' });
  });

  it('times each stage when asked, and gives the same report either way', async () => {
    const stageTimes: NonNullable<ExtractLinksOptions['stageTimes']> = {};
    const timed = await extractLinks(fixtureBytes('weekly.eml'), { fileName: 'weekly.eml', stageTimes });
    const plain = await extractLinks(fixtureBytes('weekly.eml'), { fileName: 'weekly.eml' });
    expect(Object.keys(stageTimes).sort()).toEqual([...pipelineStages].sort());
    for (const stage of pipelineStages) expect(stageTimes[stage]).toBeGreaterThanOrEqual(0);
    expect(timed.links).toEqual(plain.links);
    const html: NonNullable<ExtractLinksOptions['stageTimes']> = {};
    await extractLinks('<p><a href="https://gizmo.dev/">Gizmo</a> raised $4M.</p>', { stageTimes: html });
    expect(Object.keys(html)).not.toContain('mime');
  });

  it('pairs links a tracker wraps in both parts of an email by their text, repeated anchors in order', async () => {
    const report = await extractLinks(fixtureBytes('both-wrapped.eml'));
    expectWellFormed(report);
    expect(report.links.map((link) => [link.text, link.occurrences, link.needsNetwork])).toEqual([
      ['Shipping a Tiny Compiler in a Weekend, a Story About Parsers and Patience', 2, true],
      ['comments->', 2, true],
      ['Why Typewriters Came Back', 2, true],
      ['comments->', 2, true],
    ]);
    expect(report.links[1]?.context).toBe('//blog comments->');
  });

  it('keeps links behind an opaque tracker apart unless their hrefs are the same', async () => {
    // AlphaSignal's click links differ only in `lid`, a parameter the canonical form strips as tracking noise.
    const href = (id: string) => `https://app.alphasignal.ai/c?uid=u1&amp;cid=c1&amp;lid=${id}&amp;mid=m1`;
    const report = await extractLinks(
      `<p><a href="${href('1')}">Acme</a> <a href="${href('2')}">Beta</a> <a href="${href('1')}">Acme again</a></p>`,
    );
    expect(report.links.map((link) => [link.text, link.occurrences, link.needsNetwork])).toEqual([
      ['Acme', 2, true],
      ['Beta', 1, true],
    ]);
  });

  it("takes an opaque tracker's link to where Gmail recorded it going, and leaves a record of the tracker itself alone", async () => {
    // A newsletter written in Gmail and sent through a mailing service: the service wraps each href in its opaque
    // tracker and keeps Gmail's data-saferedirecturl, whose q= is where the link went before it was wrapped.
    const tracked = (id: string) => `https://app.alphasignal.ai/c?uid=u1&amp;lid=${id}`;
    const gmail = (q: string) => `https://www.google.com/url?q=${encodeURIComponent(q)}&amp;source=gmail&amp;ust=1`;
    const report = await extractLinks(
      `<p><a href="${tracked('1')}" data-saferedirecturl="${gmail('https://gizmo.dev/')}">Gizmo</a> raised $4M.</p>` +
        `<p>Read <a href="${tracked('2')}" data-saferedirecturl="${gmail('https://app.alphasignal.ai/c?uid=u1&lid=2')}">the report</a>.</p>` +
        `<p>See <a href="https://www.google.com/url?q=https://orbit.example/" data-saferedirecturl="${gmail('https://elsewhere.example/')}">Orbit</a>.</p>` +
        `<p>And <a href="https://gizmo.dev">Gizmo's site</a>.</p>`,
    );
    expect(
      report.links.map((link) => [link.text, link.domain, link.needsNetwork, link.tracker, link.occurrences]),
    ).toEqual([
      ['Gizmo', 'gizmo.dev', false, 'alphasignal', 2],
      ['the report', 'alphasignal.ai', true, 'alphasignal', 1],
      ['Orbit', 'orbit.example', false, 'google', 1],
    ]);
    expect(report.links[0]!.originalHref).toBe('https://app.alphasignal.ai/c?uid=u1&lid=1');
  });

  it("reads links that carry the reader's id on the sender's own host as redirects, judged by their words", async () => {
    const reader = 'NDEwOUBleGFtcGxlLm9yZzEy';
    const report = await extractLinks(
      ['Gizmo raised $4M to map the oceans', 'Orbit launches a queue', 'A post on Elixir releases']
        .map((title, index) => `<p><a href="https://weekly.example/i/${reader}/${index + 1}">${title}</a></p>`)
        .join('') + '<p><a href="https://weekly.example/issues/134">View in your browser</a></p>',
    );
    expect(report.links.map((link) => [link.text, link.needsNetwork, link.tracker])).toEqual([
      ['Gizmo raised $4M to map the oceans', true, 'personal-redirect'],
      ['Orbit launches a queue', true, 'personal-redirect'],
      ['A post on Elixir releases', true, 'personal-redirect'],
      ['View in your browser', false, null],
    ]);
  });

  it('takes a tracked link whose anchor is a web address to that address, and merges it with a link already there', async () => {
    const tracked = (id: string) => `https://app.alphasignal.ai/c?uid=u1&amp;lid=${id}`;
    const report = await extractLinks(
      `<p>Try <a href="https://glean.com/">Glean</a>. Its site: <a href="${tracked('1')}">https://www.glean.com</a>.</p>` +
        `<p>Docs at <a href="${tracked('2')}">www.quillmark.dev/docs</a>, and <a href="${tracked('3')}">https://acme.ai/a/long/pa…</a></p>`,
    );
    expect(report.links.map((link) => [link.domain, link.needsNetwork, link.occurrences, link.tracker])).toEqual([
      ['glean.com', false, 2, null],
      ['quillmark.dev', false, 1, 'alphasignal'],
      ['alphasignal.ai', true, 1, 'alphasignal'],
    ]);
    expect(report.links[1]!.url).toBe('https://www.quillmark.dev/docs');
  });

  it("counts the sender's own pages as the newsletter's", async () => {
    const report = await extractLinks(fixtureBytes('weekly.eml'));
    expect(byHost(report, 'examplenews.com')[0]?.kind).toBe('newsletter');
  });

  it('learns the sender from a text version\'s "View this post on the web at" line', async () => {
    const report = await extractLinks(
      'View this post on the web at https://www.quietpub.example/p/issue-3\n\n' +
        'Our friends at [Brightloom](https://www.quietpub.example/about) and [Brightloom](https://brightloom.example/) raised money.\n',
      { fileName: 'issue.txt' },
    );
    expect(report.links.map((link) => [link.url, link.kind])).toEqual([
      ['https://www.quietpub.example/p/issue-3', 'newsletter'],
      ['https://www.quietpub.example/about', 'newsletter'],
      ['https://brightloom.example/', 'startup'],
    ]);
  });

  it('merges duplicates by canonical URL, keeps the best text, and numbers links in document order', async () => {
    const report = await extractLinks(fixtureText('digest.html'), { fileName: 'digest.html' });
    expect(report.format).toBe('html');
    expectWellFormed(report);
    const patchwise = byHost(report, 'patchwise.example');
    expect(patchwise).toHaveLength(1);
    expect(patchwise[0]).toMatchObject({ text: 'Patchwise', occurrences: 2, isImage: false });
    expect(byHost(report, 'orbitly.example')[0]?.url).toBe('https://orbitly.example/');
    expect(report.links.map((link) => link.host)).toEqual([
      'digest.example',
      'orbitly.example',
      'patchwise.example',
      'first.example',
      'second.example',
      'area.example',
    ]);
  });

  it('reads a message exported as JSON like the email it is', async () => {
    const json = JSON.stringify({
      from: 'Example Weekly <hello@examplenews.com>',
      htmlBody: '<p>Acme, a startup, raised money. <a href="https://acme.example/?utm_source=x">Acme</a></p>',
      body: 'Acme [ https://acme.example/ ]',
    });
    const report = await extractLinks(json, { fileName: 'message.json' });
    expect(report.format).toBe('eml');
    expect(report.links.map((link) => [link.url, link.text, link.occurrences])).toEqual([
      ['https://acme.example/', 'Acme', 2],
    ]);
  });

  it('accepts an ArrayBuffer, as a worker receives a transferred file', async () => {
    const bytes = fixtureBytes('issue.md');
    const buffer = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buffer).set(bytes);
    const report = await extractLinks(buffer, { fileName: 'issue.md' });
    expect(report.format).toBe('markdown');
    expect(byHost(report, 'www.gripline.example')[0]).toMatchObject({ heading: 'Fundings', text: 'More here' });
  });
});

describe('extractLinks with the format the page knows', () => {
  // Headers first and an anchor after: sniffed, this reads as an email with no body.
  const pastedHtml =
    'From: Weekly <news@weekly.example>\nSubject: Issue 3\n\n<p><a href="https://quillmark.example/">Quillmark</a> raised.</p>';

  it('takes a told format as is instead of detecting it again', async () => {
    const sniffed = await extractLinks(pastedHtml);
    expect(sniffed.format).toBe('eml');
    const told = await extractLinks(pastedHtml, { format: 'html' });
    expect(told.format).toBe('html');
    expect(told.links.map((link) => [link.host, link.text])).toEqual([['quillmark.example', 'Quillmark']]);
  });

  it('takes it for bytes too, and a file without a known type is still detected', async () => {
    const bytes = new TextEncoder().encode(pastedHtml);
    expect((await extractLinks(bytes, { format: 'html' })).format).toBe('html');
    expect((await extractLinks(bytes, { fileName: 'issue.dat' })).format).toBe('eml');
  });
});

describe('extractLinks on bad input', () => {
  it('cuts a 20 MB paste at the limit, says so, and keeps the links before the cut', async () => {
    const paragraph = '<p>Acme raised money. <a href="https://acme.example/">Acme</a></p>\n';
    const paste = paragraph.repeat(Math.ceil((20 * 1_048_576) / paragraph.length));
    const report = await extractLinks(paste);
    expect(report.warnings).toEqual([expect.stringMatching(/only the first 16\.0 MB were read/)]);
    expect(report.links).toHaveLength(1);
    expect(report.links[0]?.occurrences).toBeGreaterThan(200_000);
  });

  it('reads binary data for what URLs it holds, with a warning', async () => {
    const bytes = new Uint8Array(50_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    bytes.set(new TextEncoder().encode(' https://inside.example/page '), 1_000);
    const report = await extractLinks(bytes);
    expect(report.warnings[0]).toMatch(/binary data/);
    expect(report.links.map((link) => link.host)).toContain('inside.example');
  });

  it('reads invalid UTF-8 as Windows-1252 and says so', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<a href="https://cafe.example/">Caf'),
      0xe9,
      ...new TextEncoder().encode('</a>'),
    ]);
    const report = await extractLinks(bytes);
    expect(report.warnings).toEqual([expect.stringMatching(/not valid UTF-8/)]);
    expect(report.links[0]?.text).toBe('Café');
  });

  it('survives 100,000 nested elements', async () => {
    const html = '<div><span>'.repeat(100_000) + '<a href="https://deep.example/">deep</a>';
    const report = await extractLinks(html);
    expect(report.links.map((link) => link.host)).toEqual(['deep.example']);
  });

  it('handles 100,000 distinct links', async () => {
    const html = Array.from(
      { length: 100_000 },
      (_, i) => `<p><a href="https://s${i}.example/">Site ${i}</a></p>`,
    ).join('');
    const report = await extractLinks(html);
    expect(report.links).toHaveLength(100_000);
    expect(report.links[99_999]?.id).toBe('L100000');
  });

  it('skips a 100 kB URL with a warning and keeps the rest', async () => {
    const long = `https://long.example/${'x'.repeat(100_000)}`;
    const report = await extractLinks(`See ${long} and https://ok.example/ too.`);
    expect(report.links.map((link) => link.host)).toEqual(['ok.example']);
    expect(report.warnings).toEqual([expect.stringMatching(/1 link was longer than 16 kB and skipped/)]);
  });

  it('reads an email whose MIME structure is broken as far as it goes', async () => {
    const email =
      'From: a@b.example\nSubject: x\nContent-Type: multipart/alternative; boundary="zz"\n\n--zz\nContent-Type: text/html\n\n<a href="https://partial.example/">partial</a>';
    const report = await extractLinks(email);
    expect(report.format).toBe('eml');
    expect(report.links.map((link) => link.host)).toEqual(['partial.example']);
  });

  it('gives an empty report, not an error, for empty input', async () => {
    const report = await extractLinks('');
    expect(report).toMatchObject({ format: 'text', links: [], warnings: [] });
  });
});

describe('extractLinks properties', () => {
  const fixtures = ['weekly.eml', 'digest.html', 'issue.md'].map((name) => ({ name, text: fixtureText(name) }));

  it('never throws and always returns a well-formed report for random text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2_000 }), async (text) => {
        expectWellFormed(await extractLinks(text));
      }),
      { numRuns: 200, seed: 20251122 },
    );
  });

  it('never throws on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4_000 }),
        fc.constantFrom('x.eml', 'x.html', 'x.md', undefined),
        async (bytes, fileName) => {
          expectWellFormed(await extractLinks(bytes, fileName ? { fileName } : {}));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('never throws on mutated newsletters: cut, spliced and with markup characters inserted', async () => {
    const mutation = fc.record({
      fixture: fc.constantFrom(...fixtures),
      cuts: fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 200 }),
          fc.constantFrom(
            '',
            '<',
            '>',
            '"',
            '[',
            ']',
            '(',
            ')',
            '=\n',
            '<a href="',
            '</a>',
            '\u0000',
            '\uFFFD',
            '%',
            '&amp;',
          ),
        ),
        { maxLength: 12 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ fixture, cuts }) => {
        let text = fixture.text;
        for (const [at, length, insert] of cuts) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(start + length);
        }
        expectWellFormed(await extractLinks(text, { fileName: fixture.name }));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
