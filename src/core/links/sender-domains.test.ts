import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { discoverSenderDomains } from './sender-domains.ts';
import type { SenderEvidenceLink } from './sender-domains.ts';

function link(url: string, text: string, overrides: Partial<SenderEvidenceLink> = {}): SenderEvidenceLink {
  const host = new URL(url).hostname;
  return { url, host, domain: getDomain(host) ?? host, text, context: '', needsNetwork: false, ...overrides };
}

describe('discoverSenderDomains', () => {
  it('takes the registrable domain of each header host', () => {
    expect(discoverSenderDomains(['mail.letterco.com', 'news.example.co.uk'], [])).toEqual([
      'letterco.com',
      'example.co.uk',
    ]);
  });

  it('learns the newsletter’s own domain from its archive page and its "view in browser" link', () => {
    const links = [
      link('https://letterco.com/archive', 'Past issues'),
      link('https://webview.otherletter.com/abc', 'View this email in your browser'),
    ];
    expect(discoverSenderDomains([], links).sort()).toEqual(['letterco.com', 'otherletter.com']);
  });

  it('does not take a startup for the sender because it has a sign-up page', () => {
    const links = [
      link('https://gizmolabs.ai/signup', 'Sign up for Gizmo Labs'),
      link('https://gizmolabs.ai/', 'Gizmo Labs'),
    ];
    expect(discoverSenderDomains([], links)).toEqual([]);
  });

  it("finds the publication's own domain in the mailbox a newsletter platform sends it from", () => {
    const links = [
      link('https://letterco.app/issues/26', 'Letterco.app'),
      link('https://quillmate.co/', 'Quillmate'),
      link('https://hello.dev/', 'Hello'),
    ];
    // The mailbox spells the domain with or without its ending; `+deepdives` names a section.
    expect(discoverSenderDomains([], links, ['letterco@mail.beehiiv.com'])).toEqual(['letterco.app']);
    expect(discoverSenderDomains([], links, ['letterco+deepdives@substack.com'])).toEqual(['letterco.app']);
    expect(discoverSenderDomains([], links, ['quillmateco@substack.com'])).toEqual(['quillmate.co']);
    // A mailbox of the sender's own host, or one every sender has, names no publication.
    expect(discoverSenderDomains([], links, ['quillmate@gmail.com'])).toEqual([]);
    expect(discoverSenderDomains([], links, ['hello@substack.com'])).toEqual([]);
  });

  it('leaves out a domain that also wraps links in an opaque tracker', () => {
    const links = [link('https://elink.letterco.com/ss/c/def', 'Acme', { needsNetwork: true })];
    expect(discoverSenderDomains(['letterco.com'], links)).toEqual([]);
  });
});
