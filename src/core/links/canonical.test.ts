import { describe, expect, it } from 'vitest';
import { canonicalKey, canonicalizeUrl } from './canonical.ts';

describe('canonicalizeUrl', () => {
  it('strips tracking and personal parameters but keeps the ones a page needs', () => {
    const result = canonicalizeUrl(
      'https://Acme.AI:443/product?utm_source=newsletter&utm_medium=email&id=42&email=reader%40example.com&_hsenc=x&_hsmi=y&mc_eid=z&e=abc',
    );
    expect(result).toEqual({ url: 'https://acme.ai/product?id=42', host: 'acme.ai', domain: 'acme.ai' });
  });

  it('strips host-specific parameters only on that host', () => {
    expect(canonicalizeUrl('https://www.linkedin.com/company/acme?trk=public_post&trackingId=abc')?.url).toBe(
      'https://www.linkedin.com/company/acme',
    );
    expect(canonicalizeUrl('https://acme.ai/search?trk=keep')?.url).toBe('https://acme.ai/search?trk=keep');
    expect(canonicalizeUrl('https://pub.substack.com/p/post?r=1abc&triggerShare=true')?.url).toBe(
      'https://pub.substack.com/p/post',
    );
  });

  it('drops tracking fragments and keeps real anchors', () => {
    expect(canonicalizeUrl('https://acme.ai/docs#:~:text=hello')?.url).toBe('https://acme.ai/docs');
    expect(canonicalizeUrl('https://acme.ai/docs#install')?.url).toBe('https://acme.ai/docs#install');
  });

  it('keeps private suffixes whole for the registrable domain', () => {
    expect(canonicalizeUrl('https://acme.vercel.app/')?.domain).toBe('acme.vercel.app');
    expect(canonicalizeUrl('https://blog.acme.co.uk/post')?.domain).toBe('acme.co.uk');
    expect(canonicalizeUrl('https://www.acme.com/')?.domain).toBe('acme.com');
    expect(canonicalizeUrl('http://192.168.1.10:8080/x')?.domain).toBe('192.168.1.10');
  });

  it('drops credentials and the default port', () => {
    expect(canonicalizeUrl('http://user:pass@acme.ai:80/')?.url).toBe('http://acme.ai/');
  });

  it('returns null for anything that is not an absolute web URL', () => {
    for (const href of [
      '',
      'mailto:a@acme.ai',
      'javascript:void(0)',
      'tel:+1',
      '/relative',
      'acme.ai',
      'https://',
      'ftp://acme.ai/',
    ]) {
      expect(canonicalizeUrl(href)).toBeNull();
    }
  });

  it('handles a 100 kB URL without stripping its huge query', () => {
    const huge = `https://acme.ai/?q=${'a'.repeat(100_000)}&utm_source=x`;
    const result = canonicalizeUrl(huge);
    expect(result?.domain).toBe('acme.ai');
    expect(result?.url.length).toBeGreaterThan(100_000);
  });
});

describe('canonicalKey', () => {
  it('treats www, scheme, a trailing slash and parameter order as the same destination', () => {
    const key = (href: string) => canonicalKey(canonicalizeUrl(href)!);
    expect(key('https://www.acme.ai/pricing/?b=2&a=1')).toBe(key('http://acme.ai/pricing?a=1&b=2&utm_source=x'));
    expect(key('https://acme.ai/pricing')).not.toBe(key('https://acme.ai/about'));
  });
});
