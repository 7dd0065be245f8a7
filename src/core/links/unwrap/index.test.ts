import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { maxUnwrapDepth, unwrapUrl } from './index.ts';

/** Scrubbed fixtures: the real families' shapes with made-up ids, built the way each platform builds them. */
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const bytesB64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('unwrapUrl: Mailgun payloads of any size', () => {
  const mailgunLink = (query: string) =>
    `https://email.mg.example.com/c/${bytesB64url(zlibSync(new TextEncoder().encode(query)))}`;

  it('decodes a payload larger than the inflate scratch buffer, and one after it', () => {
    // Repetitive filler compresses to a short href yet inflates far past 32 kB, with the destination after it.
    const filler = 'abc123'.repeat(10_000);
    expect(unwrapUrl(mailgunLink(`h=${filler}&l=https%3A%2F%2Facme.ai%2Fbig&d=1`)).url).toBe('https://acme.ai/big');
    expect(unwrapUrl(mailgunLink('l=https%3A%2F%2Fgizmo.dev%2F')).url).toBe('https://gizmo.dev/');
  });
});

describe('unwrapUrl: each offline family on a scrubbed fixture', () => {
  const cases: [family: string, wrapped: string, expected: string][] = [
    [
      'substack',
      `https://substack.com/redirect/2/${b64url('{"e":"https://acme.ai/launch","p":1,"s":2}')}.c2lnbmF0dXJl?`,
      'https://acme.ai/launch',
    ],
    [
      'mailgun',
      `https://email.mg.example.com/c/${bytesB64url(zlibSync(new TextEncoder().encode('h=abc&l=https%3A%2F%2Facme.ai%2F%3Fx%3D1&d=9')))}`,
      'https://acme.ai/?x=1',
    ],
    [
      'kit',
      `https://1a2b3c4d.click.kit-mail3.com/abc123/def456/${b64('https://acme.ai/pricing')}`,
      'https://acme.ai/pricing',
    ],
    [
      'amazon-ses',
      'https://tracking.example.com/CL0/https:%2F%2Facme.ai%2Fblog%3Fa=1/1/0100019000000000-aaaa-000000/c2ln=412',
      'https://acme.ai/blog?a=1',
    ],
    [
      'sailthru',
      `https://link.example.com/click/12345.678/${b64url('https://acme.ai/?x=y')}/abcdef0123`,
      'https://acme.ai/?x=y',
    ],
    [
      'customer.io',
      `https://e.customeriomail.com/e/c/${b64url('{"href":"https://acme.ai/","link_id":1}')}/sig`,
      'https://acme.ai/',
    ],
    [
      'every',
      `https://every.to/emails/click/abc123/${b64url('{"url":"https://acme.ai/","position":0}')}`,
      'https://acme.ai/',
    ],
    [
      'beehiiv',
      `https://flight.beehiiv.net/v2/clicks/${b64url('{"alg":"HS256"}')}.${b64url('{"url":"https://acme.ai/","post_id":"p"}')}.sig`,
      'https://acme.ai/',
    ],
    [
      'google',
      `https://www.google.com/url?q=${encodeURIComponent('https://acme.ai/a?b=c')}&sa=D&ust=1`,
      'https://acme.ai/a?b=c',
    ],
    [
      'safelinks',
      `https://eur03.safelinks.protection.outlook.com/?url=${encodeURIComponent('https://acme.ai/')}&data=x&sdata=y&reserved=0`,
      'https://acme.ai/',
    ],
    [
      'proofpoint v2',
      'https://urldefense.proofpoint.com/v2/url?u=https-3A__acme.ai_a-3Fb-3Dc&d=DwMF&c=x',
      'https://acme.ai/a?b=c',
    ],
    ['proofpoint v3 plain', 'https://urldefense.com/v3/__https://acme.ai/page__;!!AbCdEf$', 'https://acme.ai/page'],
    // Proofpoint replaces characters it dislikes with `*` and carries them base64-encoded after `__;`.
    [
      'proofpoint v3 replaced',
      `https://urldefense.com/v3/__https://acme.ai/a*b__;${b64url('?')}!!AbC$`,
      'https://acme.ai/a?b',
    ],
    [
      'proofpoint v3 run',
      `https://urldefense.com/v3/__https://acme.ai/**Bx__;${b64url('%%%')}!!AbC$`,
      'https://acme.ai/%%%x',
    ],
    [
      'buttondown',
      `https://buttondown.com/c/${b64('sub-123|reader@example.com|https://acme.ai/|1')}`,
      'https://acme.ai/',
    ],
    // A tracker no family names, on the publisher's own click domain (Kit writes them this way).
    [
      'base64 in the path',
      `https://click.publisher.example/x1y2z3/a9b8c7/${b64url('https://acme.ai/pricing?utm_source=convertkit')}==`,
      'https://acme.ai/pricing?utm_source=convertkit',
    ],
    ['base64 in a parameter', `https://r.example.net/c?id=7&to=${b64url('http://acme.ai/')}`, 'http://acme.ai/'],
    [
      "an address in a redirect host's parameter",
      `https://l.social.example/l.php?u=${encodeURIComponent('https://acme.ai/jobs?team=ml')}&h=AT0x`,
      'https://acme.ai/jobs?team=ml',
    ],
    [
      "an address in a redirect path's parameter",
      `https://www.video.example/redirect?event=desc&q=${encodeURIComponent('https://acme.ai/')}`,
      'https://acme.ai/',
    ],
    [
      'an address encoded twice',
      `https://links.sender.example/c/1234?redirect=${encodeURIComponent(encodeURIComponent('https://acme.ai/buy'))}`,
      'https://acme.ai/buy',
    ],
  ];
  for (const [family, wrapped, expected] of cases) {
    it(`decodes ${family}`, () => {
      const result = unwrapUrl(wrapped);
      expect(result.url).toBe(expected);
      expect(result.needsNetwork).toBe(false);
      expect(result.chain).toEqual([wrapped, expected]);
    });
  }
});

describe('unwrapUrl: base64 destinations on any host', () => {
  it('leaves a segment alone that only starts like base64 of a web address', () => {
    // `aHR0cA` is base64 for `http` with nothing after it: no address, so the link is taken as it is.
    for (const href of [
      'https://acme.ai/aHR0cA',
      'https://acme.ai/docs/aHR0cnot-base64!',
      'https://acme.ai/?q=aHR0c',
    ]) {
      expect(unwrapUrl(href)).toEqual({ url: href, chain: [href], needsNetwork: false, tracker: null });
    }
  });

  it('reads an address that a record holds after other fields, at any of the three base64 alignments', () => {
    const records = [
      '7|reader@example.org|https://acme.ai/pricing|2026',
      '17|https://acme.ai/pricing',
      '170|https://acme.ai/pricing',
      '{"sid":42,"ref":"weekly","url":"https:\\/\\/acme.ai\\/pricing"}',
      // A record that names its destination is read by that name, not by the first address it holds.
      '{"from":"https://news.example.org/issue/9","target":"https://acme.ai/pricing"}',
    ];
    for (const record of records) {
      for (const href of [
        `https://t.mailer.example/c/${b64url(record)}/9f8e`,
        `https://t.mailer.example/c?d=${encodeURIComponent(b64(record))}`,
      ]) {
        expect(unwrapUrl(href), `${record} in ${href}`).toMatchObject({
          url: 'https://acme.ai/pricing',
          tracker: 'redirect',
          needsNetwork: false,
        });
      }
    }
  });

  it('leaves alone ids and binary payloads that only hold one of the markers', () => {
    const binary = bytesB64url(
      new Uint8Array([0xa1, 0x68, 0x74, 0x74, 0x70, 0x3a, 0x2f, 0x2f, 0x01, 0x02, 0x9a, 0xff, 0xfe, 0x03, 0x04]),
    );
    for (const href of [
      'https://acme.ai/odHRw',
      'https://acme.ai/files/h0dHBabc',
      `https://acme.ai/c/${b64url('no address here, only words')}`,
      `https://acme.ai/c/${binary}`,
    ]) {
      expect(unwrapUrl(href)).toEqual({ url: href, chain: [href], needsNetwork: false, tracker: null });
    }
  });

  it('is asked after the named families, so a known wrapper keeps its name', () => {
    const kitLink = `https://1a2b3c4d.click.kit-mail3.com/abc/def/${b64('https://acme.ai/')}`;
    expect(unwrapUrl(kitLink).tracker).toBe('kit');
    const generic = `https://click.publisher.example/a/b/${b64('https://acme.ai/')}`;
    expect(unwrapUrl(generic).tracker).toBe('redirect');
  });
});

describe('unwrapUrl: addresses in query parameters on any host', () => {
  it('leaves a link alone unless both a parameter and the host or path say it is a redirect', () => {
    const acme = encodeURIComponent('https://acme.ai/');
    for (const href of [
      // Pages that act on an address, even on a redirect service's host: share it, subscribe, sign in.
      `https://l.social.example/sharer/sharer.php?u=${acme}`,
      `https://go.x.example/intent/tweet?url=${acme}&text=hi`,
      `https://links.pro.example/shareArticle?mini=true&url=${acme}`,
      `https://click.news.example/subscribe?redirect=${acme}`,
      `https://go.example.com/login?to=${acme}`,
      // A referrer or a return address is not where the link goes.
      `https://go.acme.ai/?ref=${encodeURIComponent('https://newsletter.example/')}`,
      `https://links.acme.ai/pricing?next=${acme}`,
      // A parameter redirectors use, on a page that names no redirect.
      `https://www.acme.ai/docs/guide?url=${acme}`,
      // A redirect whose parameter holds no address.
      'https://click.example.com/track?u=12ab&id=9',
    ]) {
      expect(unwrapUrl(href)).toEqual({ url: href, chain: [href], needsNetwork: false, tracker: null });
    }
  });
});

describe('unwrapUrl: nesting, opaque wrappers and bad input', () => {
  it('peels nested wrappers and names the outermost family', () => {
    const inner = `https://www.google.com/url?q=${encodeURIComponent('https://acme.ai/')}`;
    const outer = `https://link.example.com/click/1.2/${b64url(inner)}/hash`;
    const result = unwrapUrl(outer);
    expect(result).toEqual({
      url: 'https://acme.ai/',
      chain: [outer, inner, 'https://acme.ai/'],
      needsNetwork: false,
      tracker: 'sailthru',
    });
  });

  it('stops after the depth cap on a wrapper that wraps itself forever', () => {
    let url = 'https://acme.ai/';
    for (let i = 0; i < maxUnwrapDepth + 3; i++) url = `https://www.google.com/url?q=${encodeURIComponent(url)}`;
    const result = unwrapUrl(url);
    expect(result.chain).toHaveLength(maxUnwrapDepth + 1);
    expect(result.url).not.toBe('https://acme.ai/');
  });

  it('flags opaque wrappers with the tracker name, also when reached through an offline family', () => {
    const beehiiv = 'https://link.mail.beehiiv.com/ss/c/u001.AbCdEf/4a1/XyZ/h1/h001.Sig';
    expect(unwrapUrl(beehiiv)).toEqual({ url: beehiiv, chain: [beehiiv], needsNetwork: true, tracker: 'beehiiv' });
    const viaSes = `https://c.example.com/CL0/${encodeURIComponent(beehiiv)}/1/0100019000000000-aaaa-000000/sig=3`;
    expect(unwrapUrl(viaSes)).toMatchObject({ url: beehiiv, needsNetwork: true, tracker: 'beehiiv' });
    expect(unwrapUrl('https://link.mail.beehiiv.com/v1/c/Ab12Cd%2FEf34%0AGh56/x1y2')).toMatchObject({
      needsNetwork: true,
      tracker: 'beehiiv',
    });
    expect(unwrapUrl('https://acme.us6.list-manage.com/track/click?u=1&id=2&e=3')).toMatchObject({
      tracker: 'mailchimp',
    });
    expect(unwrapUrl('https://bit.ly/3abcDEF')).toMatchObject({ needsNetwork: true, tracker: 'short-link' });
    expect(unwrapUrl('https://spgo.io/f/a/AbC12dEf/AQ~~/AgEAQhA~')).toMatchObject({
      needsNetwork: true,
      tracker: 'sparkpost',
    });
  });

  it("reads each link's host rules for that host, however the links follow one another", () => {
    const tracker = (href: string) => unwrapUrl(href).tracker;
    for (let round = 0; round < 2; round++) {
      expect(tracker('https://acme.us6.list-manage.com/track/click?u=1&id=2&e=3')).toBe('mailchimp');
      expect(tracker('https://list-manage.com.acme.ai/track/click?u=1&id=2&e=3')).toBeNull();
      expect(tracker('https://www.bit.ly/3abcDEF')).toBe('short-link');
      expect(tracker('https://www.bit.ly/3abcDEF')).toBe('short-link');
      expect(tracker('https://bit.ly.acme.ai/3abcDEF')).toBeNull();
    }
  });

  it('leaves direct links and look-alikes alone', () => {
    for (const href of [
      'https://acme.ai/',
      'https://bit.ly/',
      'https://example.com/click/1.2/notbase64!/x',
      'https://example.com/c/eJnotzlib',
    ]) {
      expect(unwrapUrl(href)).toEqual({ url: href, chain: [href], needsNetwork: false, tracker: null });
    }
  });

  it('never throws on hrefs that are not web URLs', () => {
    for (const href of [
      '',
      'mailto:a@b.c',
      'javascript:alert(1)',
      'not a url',
      '//acme.ai',
      'https://',
      '\u0000\uffff',
    ]) {
      expect(unwrapUrl(href)).toEqual({ url: href, chain: [href], needsNetwork: false, tracker: null });
    }
  });

  it('does not decode a 100 kB href', () => {
    const huge = `https://link.example.com/click/1.2/${b64url(`https://acme.ai/${'a'.repeat(100_000)}`)}/h`;
    expect(unwrapUrl(huge)).toMatchObject({ url: huge, needsNetwork: false });
  });
});

const examplesPath = fileURLToPath(
  new URL('../../../../../shared/corpus/anchors/unwrap-examples.json', import.meta.url),
);
const haveExamples = existsSync(examplesPath);
if (!haveExamples) console.warn(`unwrap-examples.json not found at ${examplesPath}: skipping the real-example tests`);

describe.skipIf(!haveExamples)(
  'unwrapUrl on real wrapped links (../shared/corpus/anchors/unwrap-examples.json)',
  () => {
    interface Example {
      wrapped: string;
      expected: string | null;
    }
    const examples: Record<string, Example[]> = haveExamples
      ? (JSON.parse(readFileSync(examplesPath, 'utf8')) as { examples: Record<string, Example[]> }).examples
      : {};
    for (const [family, list] of Object.entries(examples)) {
      it(family, () => {
        for (const example of list) {
          const result = unwrapUrl(example.wrapped);
          if (example.expected === null) {
            expect(result.needsNetwork, example.wrapped).toBe(true);
            expect(result.tracker).not.toBeNull();
          } else {
            expect(result.url).toBe(example.expected);
          }
        }
      });
    }
  },
);
