import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EgressGate } from '../egress.ts';
import {
  ConnectorError,
  RequestPacer,
  displayUrl,
  parseRetryAfter,
  requestOrigin,
  sendJson,
  viaProxy,
  type CrmHints,
  type Transport,
} from './connection.ts';

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

  it('paces per key by when answers came back: at most `limit` in any window', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = new RequestPacer(
      2,
      1000,
      () => clock,
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    );
    /** A request whose answer takes `latency` ms. */
    const request = (latency: number) => async () => {
      clock += latency;
    };
    await pacer.run('base', request(300)); // answered at 300
    await pacer.run('base', request(100)); // answered at 400
    await pacer.run('other', request(0)); // another key is not held back
    expect(waits).toEqual([]);
    await pacer.run('base', request(50)); // must wait until 300 + 1000
    expect(waits).toEqual([900]);
    expect(clock).toBe(1350);
    await pacer.run('base', request(0)); // the one answered at 400 frees its place at 1400
    expect(waits).toEqual([900, 50]);
  });

  it('counts a request in flight against the limit', async () => {
    let clock = 0;
    let finishFirst = () => {};
    const waits: number[] = [];
    const pacer = new RequestPacer(
      1,
      1000,
      () => clock,
      async (ms) => {
        waits.push(ms);
        clock += ms;
        finishFirst();
      },
    );
    const first = pacer.run('base', () => new Promise<void>((resolve) => (finishFirst = resolve)));
    await pacer.run('base', async () => undefined);
    await first;
    // It waited while the first was in flight, then a full window after the first answered.
    expect(waits).toEqual([1000, 1000]);
  });
});

describe('diagnosing answers that are not an API’s', () => {
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => void }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    };
  }

  async function failure(request: Promise<unknown>): Promise<ConnectorError> {
    const error = await request.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!(error instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
    return error;
  }

  const hints: CrmHints = {
    crm: 'Airtable',
    credentials: 'c',
    notFound: 'n',
    badAnswer: 'b',
    defaultBackoffSeconds: 30,
  };

  function transportFor(url: string, timeoutMs?: number): Transport {
    const gate = new EgressGate('http://localhost');
    gate.allow(url, 'connector');
    return timeoutMs === undefined ? { gate, proxyUrl: null } : { gate, proxyUrl: null, timeoutMs };
  }

  it('says so when the address serves a web page instead of JSON (the web app, not the API)', async () => {
    const site = await serve((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Airtable</title>');
    });
    try {
      const error = await failure(sendJson(transportFor(site.url), hints, new URL(`${site.url}/v0/app/t`)));
      expect(error.toCheck()).toMatchObject({ status: 'bad-response', title: 'Unexpected answer' });
      expect(error.message).toContain('not with JSON (it starts "<!doctype html>');
    } finally {
      site.close();
    }
  });

  it('reports a server that never answers as "No answer", not as CORS', async () => {
    const silent = await serve(() => undefined);
    try {
      const error = await failure(sendJson(transportFor(silent.url, 300), hints, new URL(silent.url)));
      expect(error.toCheck()).toMatchObject({ status: 'timeout', title: 'No answer' });
    } finally {
      silent.close();
    }
  });

  it('maps 500s to a server error and other 4xx to a rejected request, quoting the CRM’s message', async () => {
    let status = 503;
    const crm = await serve((_, response) => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'down' }));
    });
    try {
      const down = await failure(sendJson(transportFor(crm.url), hints, new URL(crm.url)));
      expect(down.toCheck()).toMatchObject({ status: 'server-error', message: expect.stringContaining('“down”') });
      status = 422;
      const rejected = await failure(sendJson(transportFor(crm.url), hints, new URL(crm.url)));
      expect(rejected.problem).toBe('rejected');
    } finally {
      crm.close();
    }
  });
});
