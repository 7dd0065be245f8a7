import { afterEach, describe, expect, it } from 'vitest';
import { startTwentyServer, twentyCompany, type TwentyServer } from '../../../tests/servers/twenty-server.ts';
import { EgressGate } from '../egress.ts';
import { TWENTY_DEFAULTS, TwentyConnector, twentySettingsProblems, type TwentySettings } from './twenty.ts';

const KEY = 'eyJ-local-twenty-key';
const servers: TwentyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function twenty(): Promise<TwentyServer> {
  const acme = twentyCompany('Acme Robotics', 'https://acme.com', { tags: 'portfolio' });
  acme.domainName.secondaryLinks = [{ url: 'https://acme-robotics.io', label: '' }];
  const server = await startTwentyServer({
    apiKey: KEY,
    customFields: ['tags'],
    companies: [acme, twentyCompany('Beta Labs', 'beta.io')],
  });
  servers.push(server);
  return server;
}

function connect(server: { url: string }, settings: Partial<TwentySettings> = {}, key = KEY): TwentyConnector {
  const gate = new EgressGate('http://localhost');
  gate.allow(server.url, 'connector');
  return new TwentyConnector({ ...TWENTY_DEFAULTS, baseUrl: server.url, ...settings }, key, { gate, proxyUrl: null });
}

describe('Twenty connector against a local server speaking Twenty’s documented REST shapes', () => {
  it('test connection: ok, bad credentials on 401, not found on a wrong base path', async () => {
    const server = await twenty();
    expect(await connect(server).testConnection()).toMatchObject({ status: 'ok' });
    const bad = await connect(server, {}, 'wrong').testConnection();
    expect(bad).toMatchObject({ status: 'bad-credentials' });
    expect(bad.message).toContain('Token invalid.');
    const wrongBase = await connect(server, { baseUrl: `${server.url}/app` }).testConnection();
    expect(wrongBase).toMatchObject({ status: 'not-found' });
    expect(wrongBase.nextStep).toContain('https://api.twenty.com');
  });

  it('finds companies with domainName.primaryLinkUrl[ilike] and name[ilike] filters in one request', async () => {
    const server = await twenty();
    const [acme, alias, beta, none] = await connect(server, { tagsField: 'tags' }).matchMany([
      { domain: 'www.acme.com' },
      { domain: 'acme-robotics.io', name: 'Acme Robotics' },
      { name: 'BETA LABS' },
      { domain: 'nothing.dev' },
    ]);
    expect(acme).toMatchObject({ status: 'in-crm', company: { name: 'Acme Robotics', tags: ['portfolio'] } });
    // Records found for one query of a batch serve the others: the secondary link is an alias domain,
    // and the name agrees too (the same evidence the local CRM gives).
    expect(alias).toMatchObject({ status: 'in-crm', evidence: [{ kind: 'alias domain' }, { kind: 'name', score: 1 }] });
    expect(beta).toMatchObject({ status: 'possible', company: { name: 'Beta Labs' } });
    expect(none!.status).toBe('not-in-crm');
    const filters = server.requests.map((request) => request.url.searchParams.get('filter'));
    expect(filters).toHaveLength(1);
    expect(filters[0]).toContain('domainName.primaryLinkUrl[ilike]:"%acme.com%"');
  });

  it('recognises secondary links as alias domains once the name search returns the record', async () => {
    const [result] = await connect(await twenty()).matchMany([{ domain: 'acme-robotics.io', name: 'Acme' }]);
    expect(result).toMatchObject({ status: 'in-crm', evidence: [{ kind: 'alias domain' }] });
  });

  it('creates a company with domainName.primaryLinkUrl and tags it through a custom field', async () => {
    const server = await twenty();
    const connector = connect(server, { tagsField: 'tags', tagsAs: 'text' });
    const added = await connector.add({
      name: 'Gamma',
      domain: 'gamma.dev',
      tags: ['seed'],
      source: 'sift:newsletter',
    });
    expect(added).toMatchObject({ name: 'Gamma', domain: 'gamma.dev', tags: ['seed'], source: 'twenty' });
    expect(server.companies.at(-1)).toMatchObject({
      domainName: { primaryLinkUrl: 'https://gamma.dev' },
      tags: 'seed',
    });
    const tagged = await connector.tag(added.id, ['ai', 'SEED']);
    expect(tagged.tags).toEqual(['seed', 'ai']);
    await expect(connect(server).tag(added.id, ['x'])).rejects.toThrow(/no tags field/);
  });

  it('turns a field Twenty does not know into a rejected request with its message', async () => {
    const server = await twenty();
    const error = await connect(server, { tagsField: 'labels' })
      .add({ name: 'Delta', tags: ['x'], source: 'manual' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'rejected' });
    expect((error as Error).message).toContain('doesn\'t have any "labels" field');
  });

  it('lists what to fix before any request is sent', () => {
    expect(twentySettingsProblems(TWENTY_DEFAULTS, 'key')).toEqual([]);
    expect(twentySettingsProblems({ ...TWENTY_DEFAULTS, baseUrl: 'api.twenty.com' }, null)).toHaveLength(2);
  });
});
