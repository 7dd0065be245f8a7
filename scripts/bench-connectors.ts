/**
 * `npm run bench:connectors`: what checking one newsletter's 200 candidates costs through each
 * remote connector, against local servers on 127.0.0.1 speaking each CRM's documented shapes, with
 * a seeded 5,000-company CRM. The time is dominated by each connector's pacing to the CRM's
 * published rate limit, not by the local server; the request count is what the real CRM would see.
 * Last line: {"queries": 200, "<crm>_ms": N, "<crm>_requests": N, ...}
 */
import { startAirtableServer } from '../tests/servers/airtable-server.ts';
import type { LocalApiServer } from '../tests/servers/http-server.ts';
import { pipedriveOrganization, startPipedriveServer } from '../tests/servers/pipedrive-server.ts';
import { startRestServer } from '../tests/servers/rest-server.ts';
import { startTwentyServer, twentyCompany } from '../tests/servers/twenty-server.ts';
import type { MatchQuery, MatchResult } from '../src/core/crm/types.ts';
import { AIRTABLE_DEFAULTS, AirtableConnector } from '../src/net/connectors/airtable.ts';
import { PIPEDRIVE_DEFAULTS, PipedriveConnector } from '../src/net/connectors/pipedrive.ts';
import type { RemoteConnector } from '../src/net/connectors/connector.ts';
import { REST_DEFAULTS, RestConnector } from '../src/net/connectors/rest.ts';
import { TWENTY_DEFAULTS, TwentyConnector } from '../src/net/connectors/twenty.ts';
import { EgressGate } from '../src/net/egress.ts';

const COMPANIES = 5000;
const QUERIES = 200;
const KEY = 'bench-key';
const WEBSITE_FIELD = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';

/** mulberry32: the same CRM and the same newsletter on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(42);
const syllables = ['ka', 'lo', 'mi', 'ven', 'tor', 'za', 'qui', 'ro', 'sel', 'dan', 'fy', 'nex'];
const word = () => Array.from({ length: 3 }, () => syllables[Math.floor(random() * syllables.length)]).join('');
const crm = Array.from({ length: COMPANIES }, (_, i) => {
  const name = `${word()} ${i}`;
  return { name: name[0]!.toUpperCase() + name.slice(1), domain: `${name.replace(' ', '')}.com` };
});
/** Half the candidates are in the CRM (by domain), half are not. */
const queries: MatchQuery[] = Array.from({ length: QUERIES }, (_, i) => {
  if (i % 2 === 0) {
    const known = crm[Math.floor(random() * crm.length)]!;
    return { domain: `www.${known.domain}`, name: known.name };
  }
  const name = `${word()} new${i}`;
  return { domain: `${name.replace(' ', '')}.io`, name };
});

function gateFor(url: string): EgressGate {
  const gate = new EgressGate('http://localhost');
  gate.allow(url, 'connector');
  return gate;
}

async function measure(
  label: string,
  server: LocalApiServer,
  connector: RemoteConnector,
): Promise<{ ms: number; requests: number; results: MatchResult[] }> {
  const started = performance.now();
  const results = await connector.matchMany(queries);
  const ms = Math.round(performance.now() - started);
  await server.close();
  const inCrm = results.filter((result) => result.status === 'in-crm').length;
  console.log(
    `${label.padEnd(10)} ${String(ms).padStart(6)} ms  ${String(server.requests.length).padStart(4)} requests  ${inCrm} in-crm`,
  );
  return { ms, requests: server.requests.length, results };
}

const summary: Record<string, number> = { queries: QUERIES };
const expectedInCrm = QUERIES / 2;

const airtable = await startAirtableServer({
  token: KEY,
  baseId: 'appBENCHMARK00001',
  table: 'Companies',
  fieldNames: ['Name', 'Website', 'Tags'],
  enforceRateLimit: true,
  records: crm.map((company, i) => ({
    id: `rec${String(i).padStart(14, '0')}`,
    createdTime: '2026-01-01T00:00:00.000Z',
    fields: { Name: company.name, Website: `https://${company.domain}` },
  })),
});
const twenty = await startTwentyServer({
  apiKey: KEY,
  companies: crm.map((company) => twentyCompany(company.name, `https://${company.domain}`)),
});
const pipedrive = await startPipedriveServer({
  apiToken: KEY,
  customFieldKeys: [WEBSITE_FIELD],
  organizations: crm.map((company, i) =>
    pipedriveOrganization(i + 1, company.name, { [WEBSITE_FIELD]: `https://${company.domain}` }),
  ),
});
const rest = await startRestServer({
  apiKey: KEY,
  companies: crm.map((company, i) => ({
    id: `c${i}`,
    name: company.name,
    site: { url: `https://${company.domain}` },
    labels: [],
  })),
});

const runs: [string, LocalApiServer, RemoteConnector][] = [
  [
    'airtable',
    airtable,
    new AirtableConnector({ ...AIRTABLE_DEFAULTS, apiBase: airtable.url, baseId: 'appBENCHMARK00001' }, KEY, {
      gate: gateFor(airtable.url),
      proxyUrl: null,
    }),
  ],
  [
    'twenty',
    twenty,
    new TwentyConnector({ ...TWENTY_DEFAULTS, baseUrl: twenty.url }, KEY, {
      gate: gateFor(twenty.url),
      proxyUrl: null,
    }),
  ],
  [
    'pipedrive',
    pipedrive,
    new PipedriveConnector({ ...PIPEDRIVE_DEFAULTS, baseUrl: pipedrive.url, websiteField: WEBSITE_FIELD }, KEY, {
      gate: gateFor(pipedrive.url),
      proxyUrl: null,
    }),
  ],
  [
    'rest',
    rest,
    new RestConnector(
      {
        ...REST_DEFAULTS,
        searchByDomainUrl: `${rest.url}/api/companies?domain={domain}`,
        headers: 'X-Api-Key: {secret}',
        resultsPath: 'data.items',
        websitePath: 'site.url',
        tagsPath: 'labels',
      },
      KEY,
      { gate: gateFor(rest.url), proxyUrl: null },
    ),
  ],
];

for (const [label, server, connector] of runs) {
  const { ms, requests, results } = await measure(label, server, connector);
  const inCrm = results.filter((result) => result.status === 'in-crm').length;
  if (inCrm !== expectedInCrm) console.log(`  note: ${label} found ${inCrm} in-crm, expected ${expectedInCrm}`);
  summary[`${label}_ms`] = ms;
  summary[`${label}_requests`] = requests;
}
console.log(JSON.stringify(summary));
