/**
 * One matcher for every CRM: the local CRM and each remote connector (against a local server
 * speaking that CRM's documented REST shapes, holding the same companies) give the same verdict,
 * company and evidence for each case below. Each query is one the connector's own search finds
 * candidates for, so what is compared is the verdict, not the CRM's search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirtableServer } from '../../../tests/servers/airtable-server.ts';
import type { LocalApiServer } from '../../../tests/servers/http-server.ts';
import { pipedriveOrganization, startPipedriveServer } from '../../../tests/servers/pipedrive-server.ts';
import { startRestServer } from '../../../tests/servers/rest-server.ts';
import { startTwentyServer, twentyCompany } from '../../../tests/servers/twenty-server.ts';
import { companyFromDraft } from '../../core/crm/company.ts';
import { CrmIndex } from '../../core/crm/crm-index.ts';
import type { MatchQuery, MatchResult } from '../../core/crm/types.ts';
import { EgressGate } from '../egress.ts';
import { createConnector, defaultConnectorSettings, type ConnectorSettings } from './registry.ts';

const KEY = 'agreement-key';
const BASE = 'appAGREEMENT00001';
const WEBSITE_FIELD = 'f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1';

const COMPANIES = [
  { name: 'Acme Robotics, Inc.', website: 'https://www.acme.com/about' },
  { name: 'Co Capital', website: 'https://cocapital.vc' },
  { name: 'Pages Co', website: 'https://pages.github.io' },
  { name: 'Stripe', website: 'https://stripe.com' },
  { name: 'The Browser Company', website: 'https://thebrowser.company' },
  { name: 'Okapi', website: '' },
];

const CASES: [string, MatchQuery][] = [
  ['its domain', { domain: 'acme.com' }],
  ['a subdomain in a URL, with its name', { domain: 'https://app.acme.com/signup', name: 'Acme Robotics' }],
  ['www and a legal form', { domain: 'www.stripe.com', name: 'Stripe Inc' }],
  ['its name on another domain: possible, never in-crm', { domain: 'acme.io', name: 'ACME Robotics' }],
  ['a legal word at the start of the name stays', { name: 'Capital' }],
  ['a private suffix kept whole', { domain: 'pages.github.io' }],
  ['another site on that private suffix', { domain: 'other.github.io', name: 'Other Pages' }],
  ['a name that is mostly noise words', { domain: 'thebrowser.company', name: 'The Browser Company' }],
  ['an unknown company', { domain: 'globex.com', name: 'Globex' }],
  ['a CRM that keeps the short name, and a link that hides its domain', { name: 'Okapi Health' }],
  ['a domain under no real suffix, and a near name', { domain: 'acme.notarealtld', name: 'Acme Robotic' }],
];

const local = new CrmIndex(
  COMPANIES.map((company, i) => companyFromDraft({ ...company, source: 'test' }, { id: `l${i}`, now: 0 })),
);

const servers: LocalApiServer[] = [];
const remotes: [string, ConnectorSettings, string][] = [];

function settings(kind: ConnectorSettings['kind'], change: (settings: ConnectorSettings) => void): ConnectorSettings {
  const chosen = { ...defaultConnectorSettings(), kind };
  change(chosen);
  return chosen;
}

beforeAll(async () => {
  const airtable = await startAirtableServer({
    token: KEY,
    baseId: BASE,
    table: 'Companies',
    fieldNames: ['Name', 'Website', 'Tags'],
    records: COMPANIES.map((company, i) => ({
      id: `rec${String(i).padStart(14, '0')}`,
      createdTime: '2026-01-01T00:00:00.000Z',
      fields: { Name: company.name, Website: company.website },
    })),
  });
  const twenty = await startTwentyServer({
    apiKey: KEY,
    companies: COMPANIES.map((company) => twentyCompany(company.name, company.website)),
  });
  const pipedrive = await startPipedriveServer({
    apiToken: KEY,
    customFieldKeys: [WEBSITE_FIELD],
    organizations: COMPANIES.map((company, i) =>
      pipedriveOrganization(i + 1, company.name, { [WEBSITE_FIELD]: company.website }),
    ),
  });
  const rest = await startRestServer({
    apiKey: KEY,
    companies: COMPANIES.map((company, i) => ({
      id: `c${i}`,
      name: company.name,
      site: { url: company.website },
      labels: [],
    })),
  });
  servers.push(airtable, twenty, pipedrive, rest);
  remotes.push(
    [
      'Airtable',
      settings('airtable', (s) => Object.assign(s.airtable, { apiBase: airtable.url, baseId: BASE })),
      airtable.url,
    ],
    ['Twenty', settings('twenty', (s) => Object.assign(s.twenty, { baseUrl: twenty.url })), twenty.url],
    [
      'Pipedrive',
      settings('pipedrive', (s) => Object.assign(s.pipedrive, { baseUrl: pipedrive.url, websiteField: WEBSITE_FIELD })),
      pipedrive.url,
    ],
    [
      'a generic REST API',
      settings('rest', (s) =>
        Object.assign(s.rest, {
          searchByDomainUrl: `${rest.url}/api/companies?domain={domain}`,
          searchByNameUrl: `${rest.url}/api/companies?q={name}`,
          headers: 'X-Api-Key: {secret}',
          resultsPath: 'data.items',
          websitePath: 'site.url',
          tagsPath: 'labels',
        }),
      ),
      rest.url,
    ],
  );
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** What the user sees of a verdict: the status, which company, and the evidence. */
function seen(result: MatchResult) {
  return { status: result.status, company: result.company?.name ?? null, evidence: result.evidence };
}

describe('a local CRM and each remote connector agree on the same companies', () => {
  const queries = CASES.map(([, query]) => query);
  const expected = local.matchMany(queries).map(seen);

  it('the local verdicts are the ones the matching contract asks for', () => {
    expect(expected.map((result) => result.status)).toEqual([
      'in-crm',
      'in-crm',
      'in-crm',
      'possible',
      'possible',
      'in-crm',
      'not-in-crm',
      'in-crm',
      'not-in-crm',
      'possible',
      'possible',
    ]);
  });

  it.each(['Airtable', 'Twenty', 'Pipedrive', 'a generic REST API'])(
    '%s gives the local CRM’s verdict, company and evidence for every case',
    async (name) => {
      const [, chosen, url] = remotes.find(([label]) => label === name)!;
      const gate = new EgressGate('http://localhost');
      gate.allow(url, 'connector');
      const results = await createConnector(chosen, KEY, gate).matchMany(queries);
      const byCase = Object.fromEntries(CASES.map(([label], i) => [label, seen(results[i]!)]));
      expect(byCase).toEqual(Object.fromEntries(CASES.map(([label], i) => [label, expected[i]])));
    },
  );
});
