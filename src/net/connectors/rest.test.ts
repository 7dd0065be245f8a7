import { afterEach, describe, expect, it } from 'vitest';
import { startRestServer, type RestServer } from '../../../tests/servers/rest-server.ts';
import { EgressGate } from '../egress.ts';
import {
  REST_DEFAULTS,
  RestConnector,
  fillBody,
  fillUrl,
  readPath,
  restSettingsProblems,
  type RestSettings,
} from './rest.ts';

const KEY = 'local-rest-key';
const servers: RestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function restServer(): Promise<RestServer> {
  const server = await startRestServer({
    apiKey: KEY,
    companies: [{ id: 'c-acme', name: 'Acme Robotics', site: { url: 'https://acme.com' }, labels: ['portfolio'] }],
  });
  servers.push(server);
  return server;
}

function settingsFor(server: { url: string }): RestSettings {
  return {
    ...REST_DEFAULTS,
    label: 'In-house CRM',
    searchByDomainUrl: `${server.url}/api/companies?domain={domain}`,
    searchByNameUrl: `${server.url}/api/companies?q={name}`,
    headers: 'X-Api-Key: {secret}\nX-Client: sift',
    resultsPath: 'data.items',
    websitePath: 'site.url',
    tagsPath: 'labels',
    createUrl: `${server.url}/api/companies`,
    createBody: '{"name": "{name}", "website": "{website}", "tags": "{tags}"}',
    createdPath: 'company',
    tagUrl: `${server.url}/api/companies/{id}`,
    tagBody: '{"labels": "{tags}"}',
  };
}

function connect(server: { url: string }, secret = KEY): RestConnector {
  const gate = new EgressGate('http://localhost');
  gate.allow(server.url, 'connector');
  return new RestConnector(settingsFor(server), secret, { gate, proxyUrl: null });
}

describe('generic REST connector against a local JSON API', () => {
  it('tests the connection with a search and reads results at the configured path', async () => {
    const server = await restServer();
    expect(await connect(server).testConnection()).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('0 records'),
    });
    expect(server.requests[0]!.headers['x-client']).toBe('sift');
    expect(await connect(server, 'wrong').testConnection()).toMatchObject({ status: 'bad-credentials' });
  });

  it('says where the list should be when the results path is wrong', async () => {
    const server = await restServer();
    const gate = new EgressGate('http://localhost');
    gate.allow(server.url, 'connector');
    const connector = new RestConnector({ ...settingsFor(server), resultsPath: 'items' }, KEY, {
      gate,
      proxyUrl: null,
    });
    const check = await connector.testConnection();
    expect(check).toMatchObject({ status: 'bad-response' });
    expect(check.message).toContain('“items”');
  });

  it('matches, adds with a JSON body built from the template, and tags', async () => {
    const server = await restServer();
    const connector = connect(server);
    const [acme, gamma] = await connector.matchMany([
      { domain: 'acme.com' },
      { domain: 'gamma.dev', name: 'Gamma "G" Inc' },
    ]);
    expect(acme).toMatchObject({ status: 'in-crm', company: { id: 'c-acme', tags: ['portfolio'] } });
    expect(gamma!.status).toBe('not-in-crm');
    const added = await connector.add({ name: 'Gamma "G" Inc', domain: 'gamma.dev', tags: ['seed'], source: 'sift' });
    expect(server.companies.at(-1)).toEqual({
      id: 'c1',
      name: 'Gamma "G" Inc',
      site: { url: 'https://gamma.dev' },
      labels: ['seed'],
    });
    const tagged = await connector.tag(added.id, ['seed', 'ai']);
    expect(tagged.tags).toEqual(['seed', 'ai']);
  });

  it('fills templates without letting values change their shape', () => {
    expect(fillUrl('https://x.test/s?q={name}&d={domain}', { name: 'A&B co', domain: 'a.io' })).toBe(
      'https://x.test/s?q=A%26B%20co&d=a.io',
    );
    expect(
      fillBody(
        '{"n": "{name}", "t": "{tags}", "note": "from {name}"}',
        { name: '"}, "admin": true', tags: ['a'] },
        'Body',
      ),
    ).toEqual({
      n: '"}, "admin": true',
      t: ['a'],
      note: 'from "}, "admin": true',
    });
    expect(() => fillBody('{nope', {}, 'Create body')).toThrow('Create body is not valid JSON.');
    expect(readPath({ data: { items: [{ a: 1 }] } }, 'data.items.0.a')).toBe(1);
    expect(readPath([1], '$')).toEqual([1]);
    expect(readPath({ a: null }, 'a.b')).toBeUndefined();
  });

  it('lists what to fix in the templates', () => {
    expect(restSettingsProblems(settingsFor({ url: 'https://crm.test' }))).toEqual([]);
    expect(
      restSettingsProblems({
        ...REST_DEFAULTS,
        searchByDomainUrl: 'https://crm.test/search',
        tagUrl: 'ftp://x/{id}',
        headers: 'nonsense',
        createUrl: 'https://crm.test/c',
        createBody: '{',
      }),
    ).toEqual([
      'Search by domain URL needs the placeholder {domain}.',
      'Tag URL must start with https://.',
      'Create body is not valid JSON.',
      'Not a header line: “nonsense”.',
    ]);
  });
});
