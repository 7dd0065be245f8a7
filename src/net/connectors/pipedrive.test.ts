import { afterEach, describe, expect, it } from 'vitest';
import {
  pipedriveOrganization,
  startPipedriveServer,
  type PipedriveServer,
} from '../../../tests/servers/pipedrive-server.ts';
import { EgressGate } from '../egress.ts';
import { PIPEDRIVE_DEFAULTS, PipedriveConnector, type PipedriveSettings } from './pipedrive.ts';

const TOKEN = 'local0pipedrive0token0000000000000000000';
const WEBSITE = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
const TAGS = 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3b2a1f6e5';

const servers: PipedriveServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function pipedrive(): Promise<PipedriveServer> {
  const server = await startPipedriveServer({
    apiToken: TOKEN,
    customFieldKeys: [WEBSITE, TAGS],
    organizations: [
      pipedriveOrganization(1, 'Acme Robotics', { [WEBSITE]: 'https://acme.com', [TAGS]: 'portfolio' }),
      pipedriveOrganization(2, 'Beta Labs', { [WEBSITE]: null, [TAGS]: null }),
    ],
  });
  servers.push(server);
  return server;
}

function connect(
  server: { url: string },
  settings: Partial<PipedriveSettings> = {},
  token = TOKEN,
): PipedriveConnector {
  const gate = new EgressGate('http://localhost');
  gate.allow(server.url, 'connector');
  const merged = { ...PIPEDRIVE_DEFAULTS, baseUrl: server.url, websiteField: WEBSITE, tagsField: TAGS, ...settings };
  return new PipedriveConnector(merged, token, { gate, proxyUrl: null });
}

describe('Pipedrive connector against a local server speaking Pipedrive’s documented API v2 shapes', () => {
  it('sends the token as the api_token query parameter, so a GET needs no preflight', async () => {
    const server = await pipedrive();
    expect(await connect(server).testConnection()).toMatchObject({ status: 'ok' });
    const [request] = server.requests;
    expect(request!.url.searchParams.get('api_token')).toBe(TOKEN);
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.headers['content-type']).toBeUndefined();
  });

  it('keeps the token out of the egress log, which records only host, method and size', async () => {
    const server = await pipedrive();
    const gate = new EgressGate('http://localhost');
    gate.allow(server.url, 'connector');
    const seen: unknown[] = [];
    gate.onRecord((record) => seen.push(record));
    const connector = new PipedriveConnector({ ...PIPEDRIVE_DEFAULTS, baseUrl: server.url }, TOKEN, {
      gate,
      proxyUrl: null,
    });
    await connector.matchMany([{ name: 'Acme Robotics' }]);
    await connector.add({ name: 'Gamma', source: 'manual' });
    expect(seen).toHaveLength(2);
    expect(JSON.stringify([seen, gate.log])).not.toContain(TOKEN);
  });

  it('never puts the token into a diagnosis, whatever goes wrong', async () => {
    const server = await pipedrive();
    const checks = [await connect(server, {}, `${TOKEN}x`).testConnection()];
    server.rateLimitNext(1, 3);
    checks.push(await connect(server).testConnection());
    checks.push(await connect({ url: 'http://127.0.0.1:9' }).testConnection());
    expect(checks.map((check) => check.status)).toEqual(['bad-credentials', 'rate-limited', 'blocked']);
    for (const check of checks) expect(JSON.stringify(check)).not.toContain(TOKEN);
  });

  it('searches the website custom field by domain, and names only when the domain misses', async () => {
    const server = await pipedrive();
    const [acme, beta, none] = await connect(server).matchMany([
      { domain: 'acme.com', name: 'Acme Robotics' },
      { domain: 'beta.io', name: 'Beta Labs' },
      { name: 'x' },
    ]);
    expect(acme).toMatchObject({ status: 'in-crm', company: { id: '1', website: 'https://acme.com' } });
    expect(beta).toMatchObject({ status: 'possible', company: { id: '2' } });
    expect(none!.status).toBe('not-in-crm');
    const searches = server.requests.map(
      (request) => `${request.url.searchParams.get('fields')}:${request.url.searchParams.get('term')}`,
    );
    // Acme: domain hit, no name search. Beta: domain miss, then name. "x": too short to search.
    expect(searches).toEqual(['custom_fields:acme.com', 'custom_fields:beta.io', 'name:beta']);
  });

  it('asks for a name by its first words, which finds the record that keeps only those; by the whole name too when that answer is cut at the limit', async () => {
    const server = await startPipedriveServer({
      apiToken: TOKEN,
      customFieldKeys: [WEBSITE],
      organizations: [
        pipedriveOrganization(1, 'Okapi', {}),
        ...Array.from({ length: 25 }, (_, i) => pipedriveOrganization(10 + i, `Data Vault ${i}`, {})),
        pipedriveOrganization(99, 'Data Robotics', {}),
      ],
    });
    servers.push(server);
    const [okapi, data] = await connect(server).matchMany([{ name: 'Okapi Health' }, { name: 'Data Robotics' }]);
    expect(okapi).toMatchObject({ status: 'possible', company: { id: '1' } });
    expect(data).toMatchObject({ company: { id: '99' } });
    const searches = server.requests.map((request) => request.url.searchParams.get('term'));
    // "data" finds 26 records, more than one answer holds: the whole name is asked for next.
    expect(searches).toEqual(['okapi', 'data', 'data robotics']);
  });

  it('without a website field, names are all it can search', async () => {
    const [acme] = await connect(await pipedrive(), { websiteField: '' }).matchMany([
      { domain: 'acme.com', name: 'Acme Robotics' },
    ]);
    expect(acme!.status).toBe('possible');
  });

  it('creates an organization with custom fields, then tags it', async () => {
    const server = await pipedrive();
    const connector = connect(server);
    const added = await connector.add({
      name: 'Gamma',
      website: 'gamma.dev',
      tags: ['seed'],
      source: 'sift:newsletter',
    });
    expect(added).toMatchObject({ name: 'Gamma', domain: 'gamma.dev', tags: ['seed'], source: 'pipedrive' });
    expect(server.organizations.at(-1)!.custom_fields).toEqual({ [WEBSITE]: 'https://gamma.dev', [TAGS]: 'seed' });
    const tagged = await connector.tag(added.id, ['ai']);
    expect(tagged.tags).toEqual(['seed', 'ai']);
    expect(server.organizations.at(-1)!.custom_fields[TAGS]).toBe('seed, ai');
  });

  it('reports an unknown custom field key as a rejected request', async () => {
    const error = await connect(await pipedrive(), { websiteField: 'nope' })
      .add({ name: 'Delta', domain: 'delta.io', source: 'manual' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'rejected' });
    expect((error as Error).message).toContain("Custom field with key 'nope' does not exist");
  });
});
