/**
 * A generic REST connector for any CRM or in-house API that answers JSON: URL templates for
 * search and create, headers, and dot paths to the results and their fields. Placeholders:
 * `{domain}`, `{name}` in search URLs; `{name}`, `{website}`, `{domain}`, `{tags}` in the create
 * body; `{id}` in the tag URL and `{tags}` in its body; `{secret}` anywhere in the headers.
 * Values put into URLs are percent-encoded; values put into bodies are JSON values, never spliced
 * text, so a company name cannot change the shape of a request.
 */
import { companyFromRecord } from '../../core/crm/company.ts';
import { leadingNames, nameKey } from '../../core/crm/names.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery } from '../../core/crm/types.ts';
import { draftWebsite, readTags, RemoteCrmConnector } from './base.ts';
import { ConnectorError, isHttpUrl, RequestPacer, type Transport } from './connection.ts';
import { defineConnector } from './connector.ts';

export interface RestSettings {
  /** Shown in the UI and in evidence: `Our CRM`. */
  label: string;
  /** e.g. `https://crm.example.com/api/companies?domain={domain}`; empty to skip domain search. */
  searchByDomainUrl: string;
  /** e.g. `https://crm.example.com/api/companies?q={name}`; empty to skip name search. */
  searchByNameUrl: string;
  /** One `Name: value` per line; `{secret}` stands for the stored secret. */
  headers: string;
  /** Dot path from the search answer to the list of records (`data.items`); empty when the answer is the list. */
  resultsPath: string;
  idPath: string;
  namePath: string;
  websitePath: string;
  /** Empty when records have no tags. */
  tagsPath: string;
  /** Empty when this CRM is read-only for Sift. */
  createUrl: string;
  /** JSON with placeholders, e.g. `{"name": "{name}", "website": "{website}"}`. */
  createBody: string;
  /** Dot path from the create answer to the created record; empty when the answer is the record. */
  createdPath: string;
  /** e.g. `https://crm.example.com/api/companies/{id}`; empty when tagging is not supported. */
  tagUrl: string;
  tagMethod: 'PATCH' | 'PUT' | 'POST';
  /** e.g. `{"tags": "{tags}"}`; `{tags}` becomes the merged list. */
  tagBody: string;
}

export const REST_DEFAULTS: RestSettings = {
  label: 'My CRM',
  searchByDomainUrl: '',
  searchByNameUrl: '',
  headers: 'Authorization: Bearer {secret}',
  resultsPath: '',
  idPath: 'id',
  namePath: 'name',
  websitePath: 'website',
  tagsPath: 'tags',
  createUrl: '',
  createBody: '{"name": "{name}", "website": "{website}", "tags": "{tags}"}',
  createdPath: '',
  tagUrl: '',
  tagMethod: 'PATCH',
  tagBody: '{"tags": "{tags}"}',
};

/** An unknown API's limit: 10 requests per second; a 429 is waited out once. */
const pacer = new RequestPacer(10, 1000);

export class RestConnector extends RemoteCrmConnector {
  readonly label: string;
  readonly #settings: RestSettings;

  constructor(settings: RestSettings, secret: string | null, transport: Transport) {
    const label = settings.label.trim() || 'REST CRM';
    super(transport, {
      hints: {
        crm: label,
        credentials: 'Check the secret and the headers: the API must accept them (use {secret} where the key goes).',
        notFound: 'Check the search URL template: the server has nothing at that path.',
        badAnswer: 'Check the paths above: they must point into the API’s answers.',
        defaultBackoffSeconds: 30,
      },
      pacer,
      paceKey: (url) => url.origin,
      authorise: (_url, headers) => Object.assign(headers, parseHeaders(settings.headers, secret)),
    });
    this.#settings = settings;
    this.label = label;
  }

  protected async probe(): Promise<string> {
    const query: MatchQuery = this.#settings.searchByDomainUrl ? { domain: 'example.com' } : { name: 'Example' };
    const records = await this.#search(query, false);
    return `${this.label} answered a test search with a list of ${records.length} record${records.length === 1 ? '' : 's'}.`;
  }

  protected candidates([query]: readonly MatchQuery[]): Promise<Company[]> {
    return query ? this.#search(query) : Promise.resolve([]);
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const { createUrl, createBody, createdPath } = this.#settings;
    if (!createUrl) throw notSupported('Adding companies', 'Create URL');
    const website = draftWebsite(draft);
    const values: Record<string, unknown> = {
      name: draft.name.trim(),
      website: website ?? '',
      domain: registrableDomain(website) ?? '',
      tags: draft.tags ?? [],
    };
    const answer = await this.send(new URL(createUrl), {
      method: 'POST',
      body: fillBody(createBody, values, 'Create body'),
    });
    return this.#company(readPath(answer, createdPath));
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagUrl, tagMethod, tagBody } = this.#settings;
    if (!tagUrl) throw notSupported('Tagging companies', 'Tag URL');
    const url = new URL(fillUrl(tagUrl, { id: companyId }));
    const answer = await this.send(url, { method: tagMethod, body: fillBody(tagBody, { tags }, 'Tag body') });
    return this.#company(answer);
  }

  async #search(query: MatchQuery, retryOnRateLimit = true): Promise<Company[]> {
    const { searchByDomainUrl, searchByNameUrl } = this.#settings;
    const domain = registrableDomain(query.domain);
    const name = query.name?.trim() ?? '';
    const urls: string[] = [];
    if (domain && searchByDomainUrl) urls.push(fillUrl(searchByDomainUrl, { domain }));
    if (name && searchByNameUrl) urls.push(fillUrl(searchByNameUrl, { name }));
    const companies: Company[] = [];
    for (const url of urls) companies.push(...(await this.#searchAt(url, retryOnRateLimit)));
    // A record that keeps only the name's first words ("Okapi" for "Okapi Health") may not be in the results for
    // the whole name: ask for it too, unless a record of that domain or of that very name came back.
    const key = nameKey(name);
    const settled = companies.some(
      (company) => (domain !== null && company.domain === domain) || nameKey(company.name) === key,
    );
    if (name && searchByNameUrl && !settled) {
      for (const leading of leadingNames(name)) {
        companies.push(...(await this.#searchAt(fillUrl(searchByNameUrl, { name: leading }), retryOnRateLimit)));
      }
    }
    return companies;
  }

  async #searchAt(url: string, retryOnRateLimit: boolean): Promise<Company[]> {
    const { resultsPath } = this.#settings;
    const list = readPath(await this.send(new URL(url), { retryOnRateLimit }), resultsPath);
    if (!Array.isArray(list)) {
      throw new ConnectorError(
        'bad-response',
        `The search answer has no list at “${resultsPath || '(the whole answer)'}”.`,
        'Set “Path to results” to where the list of records is, e.g. data.items.',
      );
    }
    return list.map((record) => this.#company(record));
  }

  #company(record: unknown): Company {
    const { idPath, namePath, websitePath, tagsPath } = this.#settings;
    const id = readPath(record, idPath);
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new ConnectorError(
        'bad-response',
        `A record has no id at “${idPath}”.`,
        'Set “Path to id” to the field holding each record’s id.',
      );
    }
    const name = readPath(record, namePath);
    const website = readPath(record, websitePath);
    return companyFromRecord({
      externalId: String(id),
      name: typeof name === 'string' ? name : '',
      website: typeof website === 'string' && website !== '' ? website : null,
      tags: tagsPath ? readTags(readPath(record, tagsPath)) : [],
      source: 'rest',
    });
  }
}

export function restSettingsProblems(settings: RestSettings): string[] {
  const problems: string[] = [];
  const { searchByDomainUrl, searchByNameUrl, createUrl, tagUrl } = settings;
  if (!searchByDomainUrl && !searchByNameUrl) problems.push('Enter at least one search URL.');
  for (const [label, template, needs] of [
    ['Search by domain URL', searchByDomainUrl, '{domain}'],
    ['Search by name URL', searchByNameUrl, '{name}'],
    ['Create URL', createUrl, ''],
    ['Tag URL', tagUrl, '{id}'],
  ] as const) {
    if (!template) continue;
    if (!isHttpUrl(template.replace(/\{\w+\}/g, 'x'))) problems.push(`${label} must start with https://.`);
    else if (needs && !template.includes(needs)) problems.push(`${label} needs the placeholder ${needs}.`);
  }
  if (createUrl) problems.push(...jsonProblems('Create body', settings.createBody));
  if (tagUrl) problems.push(...jsonProblems('Tag body', settings.tagBody));
  for (const line of settings.headers.split('\n')) {
    if (line.trim() !== '' && !/^[\w-]+\s*:/.test(line.trim())) problems.push(`Not a header line: “${line.trim()}”.`);
  }
  if (settings.idPath.trim() === '') problems.push('Enter the path to each record’s id.');
  return problems;
}

function jsonProblems(label: string, text: string): string[] {
  try {
    JSON.parse(text);
    return [];
  } catch {
    return [`${label} is not valid JSON.`];
  }
}

/** `data.items.0.name` → that value; an empty path or `$` is the value itself. */
export function readPath(value: unknown, path: string): unknown {
  const trimmed = path.trim().replace(/^\$\.?/, '');
  if (trimmed === '') return value;
  let here = value;
  for (const key of trimmed.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

export function fillUrl(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? encodeURIComponent(values[key]!) : whole,
  );
}

/**
 * Parses the body template as JSON, then replaces placeholders inside its strings: a string that
 * is exactly `"{tags}"` becomes the list itself; other placeholders become text.
 */
export function fillBody(template: string, values: Record<string, unknown>, label: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    throw new ConnectorError('not-configured', `${label} is not valid JSON.`, `Fix the ${label.toLowerCase()} above.`);
  }
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\{(\w+)\}$/.exec(node);
      if (whole && whole[1]! in values) return values[whole[1]!];
      return node.replace(/\{(\w+)\}/g, (text, key: string) => {
        const value = values[key];
        if (value === undefined) return text;
        return Array.isArray(value) ? value.join(', ') : String(value);
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, fill(inner)]));
    }
    return node;
  };
  return fill(parsed);
}

export function parseHeaders(text: string, secret: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line
      .slice(colon + 1)
      .trim()
      .replace(/\{secret\}/g, secret ?? '');
    if (name !== '') headers[name] = value;
  }
  return headers;
}

function notSupported(what: string, field: string): ConnectorError {
  return new ConnectorError(
    'not-configured',
    `${what} is not set up for this connector.`,
    `Fill in “${field}” in the connector settings.`,
  );
}

const TEMPLATE_HINT =
  'Placeholders: {domain} and {name} in search URLs; {name}, {website}, {domain}, {tags} in the create body; {id} in the tag URL and {tags} in its body; {secret} in headers.';

export const rest = defineConnector({
  kind: 'rest',
  name: 'Generic REST API',
  secretLabel: 'Secret (used as {secret} in headers)',
  defaults: REST_DEFAULTS,
  fields: [
    { key: 'label', label: 'Name shown in Sift', prose: true },
    {
      key: 'searchByDomainUrl',
      label: 'Search by domain URL',
      placeholder: 'https://crm.example.com/api/companies?domain={domain}',
      testid: 'rest-search-domain',
    },
    {
      key: 'searchByNameUrl',
      label: 'Search by name URL',
      placeholder: 'https://crm.example.com/api/companies?q={name}',
    },
    { key: 'headers', label: 'Headers (one “Name: value” per line)', input: 'lines' },
    { key: 'resultsPath', label: 'Path to results', placeholder: 'data.items' },
    { key: 'idPath', label: 'Path to id' },
    { key: 'namePath', label: 'Path to name' },
    { key: 'websitePath', label: 'Path to website' },
    { key: 'tagsPath', label: 'Path to tags' },
    { key: 'createUrl', label: 'Create URL (optional)' },
    { key: 'createBody', label: 'Create body', input: 'lines' },
    { key: 'createdPath', label: 'Path to the created record' },
    { key: 'tagUrl', label: 'Tag URL (optional)' },
    {
      key: 'tagMethod',
      label: 'Tag method',
      input: 'choice',
      choices: [
        { value: 'PATCH', label: 'PATCH' },
        { value: 'PUT', label: 'PUT' },
        { value: 'POST', label: 'POST' },
      ],
    },
    { key: 'tagBody', label: 'Tag body', input: 'lines' },
  ],
  formHint: TEMPLATE_HINT,
  settingsProblems: (settings) => restSettingsProblems(settings),
  origins: ({ searchByDomainUrl, searchByNameUrl, createUrl, tagUrl }) =>
    [searchByDomainUrl, searchByNameUrl, createUrl, tagUrl].filter((url) => url.trim() !== ''),
  create: (settings, secret, transport) => new RestConnector(settings, secret, transport),
});
