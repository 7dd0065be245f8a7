import { describe, expect, it } from 'vitest';
import { fixtureText } from './fixtures/read.ts';
import { extractFromText } from './text.ts';

const markdown = (source: string) => extractFromText(source, { firstPosition: 0, base: null, markdown: true });
const text = (source: string) => extractFromText(source, { firstPosition: 0, base: null, markdown: false });

describe('extractFromText (Markdown)', () => {
  const issue = markdown(fixtureText('issue.md'));
  const find = (host: string) => issue.links.find((link) => link.href.includes(host));

  it('finds inline, image, autolink, reference and bare links, with balanced parentheses and trimmed punctuation', () => {
    expect(issue.links.map((link) => link.href)).toEqual([
      'https://www.gripline.example/news?utm_source=brief',
      'https://sponsor.example/',
      'https://arxiv.example/abs/1234',
      'https://autolink.example/page',
      'https://en.wikipedia.example/wiki/Robot_(disambiguation)',
      'https://reference.example/doc',
      'https://bare.example/path',
      'https://paren.example/x',
    ]);
    expect(issue.title).toBe('Issue 9: robots');
  });

  it('reads the heading above each link and the sentence around it, without Markdown syntax', () => {
    expect(find('gripline')).toMatchObject({
      text: 'More here',
      heading: 'Fundings',
      context: 'Gripline, a Detroit startup that makes warehouse robots, raised $12 million. More here.',
      part: 'markdown',
    });
    expect(find('sponsor')).toMatchObject({ text: 'Sponsor logo', isImage: true });
    expect(find('reference')?.text).toBe('a reference');
    expect(find('arxiv')?.context).toBe('Check the paper and.');
  });
});

describe('extractFromText (plain text)', () => {
  it('takes the words before a bracketed URL as its anchor, as text/plain parts print them', () => {
    const part = text(
      'Listen on YouTube [ https://yt.example/v ], Spotify [ https://sp.example/s ], and Apple Podcasts [ https://ap.example/p ]\n\n' +
        'Scratch 3.0 (https://scratch.example/)\n',
    );
    expect(part.links.map((link) => [link.href, link.text])).toEqual([
      ['https://yt.example/v', 'Listen on YouTube'],
      ['https://sp.example/s', 'Spotify'],
      ['https://ap.example/p', 'Apple Podcasts'],
      ['https://scratch.example/', 'Scratch 3.0'],
    ]);
    expect(part.links[3]?.context).toBe('Scratch 3.0');
  });

  it('reads a long anchor before a bracket once in its sentence, wherever its first word recurs', () => {
    // The first of the eight words kept, "on", is also the end of "common".
    const source =
      'Prices for the most wanted seats on the best screens are  becoming increasingly common [ https://news.example/seats ] as cinemas copy airlines.';
    const [link] = text(source).links;
    expect(link?.text).toBe('on the best screens are becoming increasingly common');
    expect(link?.context).toBe(
      'Prices for the most wanted seats on the best screens are becoming increasingly common as cinemas copy airlines.',
    );
  });

  it('keeps the joiner a second anchor drops in its sentence ("Dandy and Flock", "YouTube, Spotify")', () => {
    const links = text(
      'Dandy [ https://d.example/ ] and Flock [ https://f.example/ ], for example, are integrators. ' +
        'Listen on YouTube [ https://y.example/ ], Spotify [ https://s.example/ ]',
    ).links;
    expect(links.map((link) => link.text)).toEqual(['Dandy', 'Flock', 'Listen on YouTube', 'Spotify']);
    expect(links[1]?.context).toBe('Dandy and Flock, for example, are integrators.');
    expect(links[3]?.context).toBe('Dandy and Flock, for example, are integrators. Listen on YouTube, Spotify');
  });

  it('keeps the words a bracketed URL parted apart ("valuation [ … ]with JPMorgan")', () => {
    const [link] = text('Prometheus closed a round at a $38B valuation [ https://news.example/p ]with JPMorgan.').links;
    expect(link?.context).toBe('Prometheus closed a round at a $38B valuation with JPMorgan.');
  });

  it('reads the sentence past long tracking URLs, which can fill the window around a link', () => {
    const tracker = (id: string) => `https://t.example/c/${id}${'Q'.repeat(400)}`;
    const source = `Pilots such as tests of robots at Amazon (${tracker('a')} ) and GXO Logistics (${tracker('b')} ) and more.`;
    const [, gxo] = text(source).links;
    expect(gxo?.text).toBe('GXO Logistics');
    expect(gxo?.context).toBe('Pilots such as tests of robots at Amazon and GXO Logistics and more.');
  });

  it('does not open an anchor cut at eight words with a dash', () => {
    const [link] = text('Video: Ted Lasso — Season 4 Official Teaser | Apple TV (https://video.example/x)').links;
    expect(link?.text).toBe('Season 4 Official Teaser | Apple TV');
    expect(link?.context).toBe('Video: Ted Lasso — Season 4 Official Teaser | Apple TV');
  });

  it('reads the anchor from the line above when a wrapped text part puts the bracket on its own line', () => {
    const part = text(
      'Node Now Has Worker Threads \n( https://blog.example/threads )\n — With Node 11.7\n\n( https://alone.example/ )',
    );
    expect(part.links.map((link) => [link.href, link.text])).toEqual([
      ['https://blog.example/threads', 'Node Now Has Worker Threads'],
      ['https://alone.example/', ''],
    ]);
  });

  it('leaves a bare URL without anchor text and finds www. addresses', () => {
    const part = text('Our site: www.example.com. Docs at https://docs.example/guide?a=1&b=2!');
    expect(part.links.map((link) => [link.href, link.text])).toEqual([
      ['https://www.example.com', ''],
      ['https://docs.example/guide?a=1&b=2', ''],
    ]);
  });

  it('treats a short line in capitals as the heading of the links below it', () => {
    const part = text('FUNDINGS\n\nAcme raised money: https://acme.example/\n');
    expect(part.links[0]).toMatchObject({ heading: 'FUNDINGS', part: 'text' });
  });

  it('scans a long run of brackets and a single huge line in linear time', () => {
    const brackets = '[a]('.repeat(50_000) + ' https://end.example/';
    const started = performance.now();
    const part = text(brackets);
    expect(part.links.map((link) => link.href)).toEqual(['https://end.example/']);
    // Not a timing assertion on speed, a guard against a catastrophic-backtracking hang.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('extractFromText: character references', () => {
  it('reads &nbsp;, &amp; and &#39; as a reader sees them, in anchors and sentences, and leaves AT&T alone', () => {
    const [link] = markdown(
      'Read [Ben &amp; Jerry&#39;s](https://bj.example/) and some&nbsp;notes on AT&T and &copy2024 today.',
    ).links;
    expect(link?.text).toBe("Ben & Jerry's");
    expect(link?.context).toBe("Read Ben & Jerry's and some notes on AT&T and &copy2024 today.");
  });

  it('does not end an anchor read before a bracket at the semicolon of a reference', () => {
    const [link] = text('We use Johnson &amp; Johnson [ https://jnj.example/ ] for bandages.').links;
    expect(link?.text).toBe('We use Johnson & Johnson');
  });
});

describe('extractFromText: list items', () => {
  it('never runs a sentence across the line break between numbered or bulleted items', () => {
    const source = [
      'Fundings this week',
      '1) Gripline raised $12M https://gripline.example/',
      '2) Tessel raised $3M https://tessel.example/',
      '• Quillby launched https://quillby.example/',
    ].join('\n');
    const contexts = text(source).links.map((link) => link.context);
    expect(contexts).toEqual(['Gripline raised $12M', 'Tessel raised $3M', 'Quillby launched']);
  });

  it('keeps the numbering out of an anchor read before a bracketed URL', () => {
    const source =
      '3) Gripline [ https://gripline.example/ ]\n12. Tessel Labs [ https://tessel.example/ ]\n- Quillby ( https://quillby.example/ )';
    expect(text(source).links.map((link) => link.text)).toEqual(['Gripline', 'Tessel Labs', 'Quillby']);
  });

  it('ends a sentence between lines that each end with a link, as items of a list', () => {
    const source = [
      'Gripline raised $12M https://gripline.example/',
      'Tessel hired a CFO <https://tessel.example/>',
      'Quillby launched [its app](https://quillby.example/)',
      '',
      'More next week.',
    ].join('\n');
    expect(text(source).links.map((link) => link.context)).toEqual([
      'Gripline raised $12M',
      'Tessel hired a CFO',
      'Quillby launched its app',
    ]);
  });

  it('keeps the description under a title line and the caption under a URL alone on its line', () => {
    const titled = 'Kore (https://code.example/kore)\nKore is a design foundation for Compose apps.';
    expect(text(titled).links[0]?.context).toContain('Kore is a design foundation for Compose apps.');
    const source = 'Photos\n<https://news.example/gripline>\nGripline co-founder Ana Ruiz has raised $4M.';
    expect(text(source).links[0]?.context).toContain('Gripline co-founder Ana Ruiz has raised $4M.');
  });

  it('ends a link line before a label line (a title, a heading), which starts the next item', () => {
    const source = [
      'Links to Ana & Gripline',
      'Company Website: https://gripline.example/',
      'Full Episode on YouTube',
      'Timestamps',
      '00:00:00 Introduction',
    ].join('\n');
    expect(text(source).links[0]?.context).toBe('Company Website:');
    // A line of prose under the link line is still its description.
    const described = 'Company Website: https://gripline.example/\nGripline makes climbing holds.';
    expect(text(described).links[0]?.context).toContain('Gripline makes climbing holds.');
  });

  it('still joins a sentence that a hard wrap breaks right after a link', () => {
    const source = 'Gripline spent years building an arsenal <https://gripline.example/a>\n, while Tessel waited.';
    expect(text(source).links[0]?.context).toBe('Gripline spent years building an arsenal, while Tessel waited.');
  });

  it('leaves no bare list marker as the sentence of an item that holds only a URL', () => {
    const source = 'Links:\n- https://gripline.example/a\n- https://tessel.example/b';
    expect(markdown(source).links.map((link) => link.context)).toEqual(['', '']);
  });

  it('splits Markdown list items the same way', () => {
    const source =
      '- [Gripline](https://gripline.example/) raised $12M\n- [Tessel](https://tessel.example/) raised $3M';
    expect(markdown(source).links.map((link) => link.context)).toEqual(['Gripline raised $12M', 'Tessel raised $3M']);
  });
  it('reads a quoted forward as the text it quotes: no quote marker breaks a sentence or hides a heading', () => {
    const forward =
      '---------- Forwarded message ---------\n\n> ## Funding\n>\n> Orbitly, a Berlin startup building satellite\n' +
      '> insurance, raised a seed round https://orbitly.example/ led by Acme.\n>\n>> More at https://digest.example/';
    for (const read of [text, markdown]) {
      expect(read(forward).links.map((link) => [link.context, link.heading])).toEqual([
        ['Orbitly, a Berlin startup building satellite insurance, raised a seed round led by Acme.', 'Funding'],
        ['More at', 'Funding'],
      ]);
    }
  });
});
