import { afterEach, describe, expect, it } from 'vitest';
import {
  startAirtableServer,
  type AirtableServer,
  type AirtableServerOptions,
} from '../../../tests/servers/airtable-server.ts';
import { EgressGate } from '../egress.ts';
import {
  AIRTABLE_DEFAULTS,
  AirtableConnector,
  airtableIdsFromUrl,
  airtableSettingsProblems,
  type AirtableSettings,
} from './airtable.ts';

const TOKEN = 'patLocalTest.0123456789abcdef';
const BASE = 'appLOCALTEST00001';

const servers: AirtableServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function airtable(options: Partial<AirtableServerOptions> = {}): Promise<AirtableServer> {
  const server = await startAirtableServer({
    token: TOKEN,
    baseId: BASE,
    table: 'Companies',
    fieldNames: ['Name', 'Website', 'Tags'],
    records: [
      {
        id: 'recACME0000000001',
        createdTime: '2026-01-02T03:04:05.000Z',
        fields: { Name: 'Acme Robotics', Website: 'https://www.acme.com', Tags: ['portfolio'] },
      },
      {
        id: 'recBETA0000000002',
        createdTime: '2026-01-02T03:04:05.000Z',
        fields: { Name: 'Beta Labs', Website: 'beta.io' },
      },
    ],
    ...options,
  });
  servers.push(server);
  return server;
}

function connect(server: { url: string }, overrides: Partial<AirtableSettings> = {}, token = TOKEN): AirtableConnector {
  const gate = new EgressGate('http://localhost');
  gate.allow(server.url, 'connector');
  const settings = { ...AIRTABLE_DEFAULTS, apiBase: server.url, baseId: BASE, ...overrides };
  return new AirtableConnector(settings, token, { gate, proxyUrl: null });
}

describe('Airtable connector against a local server speaking Airtable’s documented REST shapes', () => {
  it('test connection says OK with a good token, table and fields', async () => {
    const check = await connect(await airtable()).testConnection();
    expect(check).toMatchObject({ status: 'ok', title: 'OK' });
    expect(check.message).toContain('Companies');
  });

  it('tells bad credentials (401), a wrong base or table (404), unknown fields (422) apart', async () => {
    const server = await airtable();
    const bad = await connect(server, {}, 'patWrong').testConnection();
    expect(bad).toMatchObject({ status: 'bad-credentials', title: 'Bad credentials' });
    expect(bad.nextStep).toContain('personal access token');

    const wrongBase = await connect(server, { baseId: 'appNOSUCHBASE0001' }).testConnection();
    expect(wrongBase).toMatchObject({ status: 'not-found', title: 'Not found' });
    expect(wrongBase.nextStep).toContain('base id');

    const wrongTable = await connect(server, { table: 'Companys' }).testConnection();
    expect(wrongTable.status).toBe('not-found');
    expect(wrongTable.message).toContain('Could not find table Companys');

    const wrongField = await connect(server, { websiteField: 'URL' }).testConnection();
    expect(wrongField.status).toBe('rejected');
    expect(wrongField.message).toContain('Unknown field name: "URL"');
  });

  it('reports a 429 as rate-limited with the Retry-After the server sent', async () => {
    const server = await airtable();
    server.rateLimitNext(1, 7);
    const check = await connect(server).testConnection();
    expect(check).toMatchObject({ status: 'rate-limited', title: 'Rate-limited', retryAfterSeconds: 7 });
    expect(check.nextStep).toContain('Wait 7 s');
  });

  it('falls back to Airtable’s documented 30 s when a 429 has no readable Retry-After', async () => {
    const server = await airtable();
    // No Retry-After is also what a page sees when the CRM does not expose the header to it.
    server.rateLimitNext(1, null);
    const check = await connect(server).testConnection();
    expect(check.status).toBe('rate-limited');
    expect(check.retryAfterSeconds).toBe(30);
  });

  it('says "blocked by CORS or network" when nothing answers, and "held" when the gate refuses', async () => {
    const server = await airtable();
    const url = server.url;
    await server.close();
    servers.pop();
    const blocked = await connect({ url }).testConnection();
    expect(blocked).toMatchObject({ status: 'blocked', title: 'Blocked by CORS or network' });
    expect(blocked.nextStep).toContain('proxy');

    const open = await airtable();
    const ungated = new AirtableConnector({ ...AIRTABLE_DEFAULTS, apiBase: open.url, baseId: BASE }, TOKEN, {
      gate: new EgressGate('http://localhost'),
      proxyUrl: null,
    });
    expect(await ungated.testConnection()).toMatchObject({ status: 'refused' });
    expect(open.requests).toHaveLength(0);
  });

  it('matches by registrable domain (in-crm), subdomain, and name (only possible)', async () => {
    const connector = connect(await airtable());
    const [byDomain, bySubdomain, byName, unknown] = await connector.matchMany([
      { domain: 'acme.com', name: 'Whatever' },
      { domain: 'https://app.acme.com/login' },
      { name: 'Beta Labs Inc.' },
      { domain: 'gamma.dev', name: 'Gamma' },
    ]);
    expect(byDomain).toMatchObject({
      status: 'in-crm',
      company: { id: 'recACME0000000001', name: 'Acme Robotics', domain: 'acme.com', tags: ['portfolio'] },
    });
    expect(byDomain!.evidence).toEqual([{ kind: 'domain', detail: 'domain acme.com' }]);
    expect(bySubdomain!.evidence[0]).toMatchObject({
      kind: 'subdomain of',
      detail: 'app.acme.com is a subdomain of acme.com',
    });
    expect(byName).toMatchObject({ status: 'possible', company: { name: 'Beta Labs' } });
    expect(byName!.evidence[0]!.kind).toBe('name');
    expect(unknown).toEqual({ status: 'not-in-crm', company: null, evidence: [] });
  });

  it('batches ten queries per request and escapes quotes in the formula', async () => {
    const server = await airtable();
    const queries = Array.from({ length: 25 }, (_, i) => ({ domain: `startup${i}.com`, name: `Say "Hi" ${i}` }));
    const results = await connect(server).matchMany(queries);
    expect(results.every((result) => result.status === 'not-in-crm')).toBe(true);
    expect(server.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
  });

  it('stays under 5 requests per second per base, which the server enforces', async () => {
    const server = await airtable({ enforceRateLimit: true });
    const connector = connect(server);
    const queries = Array.from({ length: 80 }, (_, i) => ({ domain: `s${i}.com` }));
    const results = await connector.matchMany(queries);
    expect(results).toHaveLength(80);
    expect(server.requests.filter((request) => request.method === 'GET')).toHaveLength(8);
  });

  it('adds a company with the mapped fields and tags, then finds it by domain', async () => {
    const server = await airtable();
    const connector = connect(server);
    const added = await connector.add({
      name: ' Delta AI ',
      domain: 'delta.ai',
      tags: ['newsletter'],
      source: 'sift:newsletter',
    });
    expect(added).toMatchObject({
      name: 'Delta AI',
      domain: 'delta.ai',
      website: 'https://delta.ai',
      tags: ['newsletter'],
      source: 'airtable',
    });
    expect(server.records.at(-1)!.fields).toEqual({
      Name: 'Delta AI',
      Website: 'https://delta.ai',
      Tags: ['newsletter'],
    });
    const post = server.requests.find((request) => request.method === 'POST')!;
    expect(post.body).toMatchObject({ typecast: true });
    const [found] = await connector.matchMany([{ domain: 'www.delta.ai' }]);
    expect(found).toMatchObject({ status: 'in-crm', company: { id: added.id } });
  });

  it('tags merge with existing tags, as a list or as text', async () => {
    const server = await airtable();
    const tagged = await connect(server).tag('recACME0000000001', ['Portfolio', 'ai']);
    expect(tagged.tags).toEqual(['portfolio', 'ai']);
    await connect(server, { tagsAs: 'text' }).tag('recBETA0000000002', ['seed', 'b2b']);
    expect(server.records[1]!.fields.Tags).toBe('seed, b2b');
    await expect(connect(server, { tagsField: '' }).tag('recACME0000000001', ['x'])).rejects.toThrow(/No tags field/);
  });

  it('lists what to fix before any request is sent', () => {
    expect(airtableSettingsProblems({ ...AIRTABLE_DEFAULTS, baseId: 'appLOCALTEST00001' }, 'pat')).toEqual([]);
    expect(airtableSettingsProblems({ ...AIRTABLE_DEFAULTS, baseId: 'base1', nameField: '{Name}' }, null)).toEqual([
      'Paste a personal access token.',
      'The base id starts with “app” and has 17 characters (see the base’s URL).',
      'Field names with braces cannot be used in a formula: “{Name}”.',
    ]);
  });

  it('takes the base and table ids from a pasted Airtable address', () => {
    expect(
      airtableIdsFromUrl('https://airtable.com/appLOCALTEST00001/tblCOMPANIES00001/viwALL0000000001?blocks=hide'),
    ).toEqual({
      baseId: 'appLOCALTEST00001',
      table: 'tblCOMPANIES00001',
    });
    expect(airtableIdsFromUrl('appLOCALTEST00001')).toEqual({ baseId: 'appLOCALTEST00001', table: null });
    expect(airtableIdsFromUrl('my base')).toBeNull();
  });
});
