import { afterEach, describe, expect, it } from 'vitest';
import { startAirtableServer } from '../../../../tests/servers/airtable-server.ts';
import type { LocalApiServer } from '../../../../tests/servers/http-server.ts';
import { startProxyHost, type ProxyHost } from '../../../../tests/servers/proxy-host.ts';
import { EgressGate } from '../../egress.ts';
import { AIRTABLE_DEFAULTS, AirtableConnector } from '../airtable.ts';
import type { Transport } from '../connection.ts';

const APP = 'http://localhost:4403';
const TOKEN = 'patProxyTest';
const BASE = 'appPROXYTEST00001';
const running: (LocalApiServer | ProxyHost)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** Airtable without CORS headers, as HubSpot or Notion answer, behind the proxy script. */
async function setUp(allowed?: string): Promise<{ crm: LocalApiServer; proxy: ProxyHost }> {
  const crm = await startAirtableServer({
    token: TOKEN,
    baseId: BASE,
    table: 'Companies',
    fieldNames: ['Name', 'Website'],
    cors: false,
  });
  const proxy = await startProxyHost({ ALLOWED_HOSTS: allowed ?? new URL(crm.url).host, APP_ORIGIN: APP });
  running.push(crm, proxy);
  return { crm, proxy };
}

/** The egress gate, plus the Origin header a browser page would add. */
function transportVia(proxyUrl: string, origin = APP): Transport {
  const gate = new EgressGate(APP);
  gate.allow(proxyUrl, 'connector');
  return {
    proxyUrl,
    gate: {
      fetch: (url, init = {}) =>
        gate.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: origin } }),
    },
  };
}

describe('the proxy Worker script, run behind a local server, in front of a CRM that sends no CORS headers', () => {
  it('forwards the request with its Authorization header and answers with the app’s origin', async () => {
    const { crm, proxy } = await setUp();
    const connector = new AirtableConnector(
      { ...AIRTABLE_DEFAULTS, apiBase: crm.url, baseId: BASE, tagsField: '' },
      TOKEN,
      transportVia(proxy.url),
    );
    expect(await connector.testConnection()).toMatchObject({ status: 'ok' });
    const [seen] = crm.requests;
    expect(seen!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen!.headers.origin).toBeUndefined();
    expect(seen!.url.pathname).toBe(`/v0/${BASE}/Companies`);

    const direct = await fetch(`${proxy.url}?url=${encodeURIComponent(`${crm.url}/v0/${BASE}/Companies`)}`, {
      headers: { Origin: APP, Authorization: `Bearer ${TOKEN}` },
    });
    expect(direct.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers the preflight itself', async () => {
    const { crm, proxy } = await setUp();
    const preflight = await fetch(`${proxy.url}?url=${encodeURIComponent(`${crm.url}/v0/x`)}`, {
      method: 'OPTIONS',
      headers: {
        Origin: APP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(crm.requests).toHaveLength(0);
  });

  it('refuses hosts outside its list and pages from other origins', async () => {
    const { crm, proxy } = await setUp('api.hubapi.com');
    const connector = new AirtableConnector(
      { ...AIRTABLE_DEFAULTS, apiBase: crm.url, baseId: BASE },
      TOKEN,
      transportVia(proxy.url),
    );
    const check = await connector.testConnection();
    expect(check.status).toBe('bad-credentials');
    expect(check.message).toContain('This proxy does not forward to 127.0.0.1');

    const other = await fetch(`${proxy.url}?url=${encodeURIComponent('https://api.hubapi.com/')}`, {
      headers: { Origin: 'https://evil.test' },
    });
    expect(other.status).toBe(403);
    expect(crm.requests).toHaveLength(0);
  });
});
