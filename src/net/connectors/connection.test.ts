import { describe, expect, it } from 'vitest';
import { RequestPacer, displayUrl, parseRetryAfter, requestOrigin, viaProxy } from './connection.ts';

describe('connection plumbing', () => {
  it('reads Retry-After as seconds or as an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-11-22T04:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 5 ', now)).toBe(5);
    expect(parseRetryAfter('Sun, 22 Nov 2026 04:00:09 GMT', now)).toBe(9);
    expect(parseRetryAfter('Sun, 22 Nov 2026 03:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('puts the target, encoded, in the proxy’s url parameter and keeps the proxy’s own parameters', () => {
    const target = new URL('https://api.hubapi.com/crm/v3/objects/companies/search?limit=5');
    expect(viaProxy(null, target)).toBe(target);
    const proxied = viaProxy('https://p.example.workers.dev/forward?key=abc', target);
    expect(proxied.href).toBe(
      'https://p.example.workers.dev/forward?key=abc&url=https%3A%2F%2Fapi.hubapi.com%2Fcrm%2Fv3%2Fobjects%2Fcompanies%2Fsearch%3Flimit%3D5',
    );
    expect(requestOrigin('https://p.example.workers.dev/forward', 'https://api.hubapi.com')).toBe(
      'https://p.example.workers.dev',
    );
    expect(requestOrigin(null, 'https://api.airtable.com/v0')).toBe('https://api.airtable.com');
  });

  it('shows a URL without its query, where Pipedrive’s token would be', () => {
    expect(displayUrl(new URL('https://api.pipedrive.com/api/v2/organizations?api_token=secret'))).toBe(
      'https://api.pipedrive.com/api/v2/organizations',
    );
  });

  it('paces requests per key: a burst up to the capacity, then one per interval', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = new RequestPacer(
      2,
      100,
      () => clock,
      async (ms) => void waits.push(ms),
    );
    await pacer.take('base');
    await pacer.take('base');
    await pacer.take('other');
    expect(waits).toEqual([]);
    await pacer.take('base');
    await pacer.take('base');
    expect(waits).toEqual([100, 200]);
    clock = 1000;
    await pacer.take('base');
    expect(waits).toHaveLength(2);
  });
});
