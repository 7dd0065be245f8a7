/**
 * A generic REST connector for any CRM or in-house API that answers JSON: URL templates for
 * search and create, headers, and dot paths to the results and their fields. Placeholders:
 * `{domain}`, `{name}` in search URLs; `{name}`, `{website}`, `{domain}`, `{tags}` in the create
 * body; `{id}` in the tag URL and `{tags}` in its body; `{secret}` anywhere in the headers.
 * Values put into URLs are percent-encoded; values put into bodies are JSON values, never spliced
 * text, so a company name cannot change the shape of a request.
 */
import { companyFromRecord } from '../../core/crm/company.ts';
import { matchAmong } from '../../core/crm/crm-index.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import {
  ConnectorError,
  RequestPacer,
  checkFromError,
  isHttpUrl,
  okCheck,
  sendJson,
  type ConnectionCheck,
  type CrmHints,
  type Transport,
} from './connection.ts';
import { draftWebsite, readTags } from './base.ts';
import type { RemoteConnector } from './remote-connector.ts';

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

export class RestConnector implements RemoteConnector {
  readonly label: string;
  readonly #settings: RestSettings;
  readonly #hints: CrmHints;

  constructor(
    settings: RestSettings,
    readonly secret: string | null,
    readonly transport: Transport,
  ) {
    this.#settings = settings;
    this.label = settings.label.trim() || 'REST CRM';
    this.#hints = {
      crm: this.label,
      credentials: 'Check the secret and the headers: the API must accept them (use {secret} where the key goes).',
      notFound: 'Check the search URL template: the server has nothing at that path.',
      defaultBackoffSeconds: 30,
    };
  }

  async testConnection(): Promise<ConnectionCheck> {
    try {
      const query: MatchQuery = this.#settings.searchByDomainUrl ? { domain: 'example.com' } : { name: 'Example' };
      const records = await this.#search(query, false);
      return okCheck(
        `${this.label} answered a test search with a list of ${records.length} record${records.length === 1 ? '' : 's'}.`,
      );
    } catch (error) {
      return checkFromError(error);
    }
  }

  async matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    const results: MatchResult[] = [];
    for (const query of queries) results.push(...matchAmong([query], await this.#search(query)));
    return results;
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
    const answer = await this.#send(new URL(createUrl), {
      method: 'POST',
      body: fillBody(createBody, values, 'Create body'),
    });
    return this.#company(readPath(answer, createdPath));
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagUrl, tagMethod, tagBody } = this.#settings;
    if (!tagUrl) throw notSupported('Tagging companies', 'Tag URL');
    const url = new URL(fillUrl(tagUrl, { id: companyId }));
    const answer = await this.#send(url, { method: tagMethod, body: fillBody(tagBody, { tags }, 'Tag body') });
    return this.#company(answer);
  }

  async #search(query: MatchQuery, retryOnRateLimit = true): Promise<Company[]> {
    const { searchByDomainUrl, searchByNameUrl, resultsPath } = this.#settings;
    const domain = registrableDomain(query.domain);
    const name = query.name?.trim() ?? '';
    const urls: string[] = [];
    if (domain && searchByDomainUrl) urls.push(fillUrl(searchByDomainUrl, { domain }));
    if (name && searchByNameUrl) urls.push(fillUrl(searchByNameUrl, { name }));
    const companies: Company[] = [];
    for (const url of urls) {
      const list = readPath(await this.#send(new URL(url), { retryOnRateLimit }), resultsPath);
      if (!Array.isArray(list)) {
        throw new ConnectorError(
          'bad-response',
          `The search answer has no list at “${resultsPath || '(the whole answer)'}”.`,
          'Set “Path to results” to where the list of records is, e.g. data.items.',
        );
      }
      companies.push(...list.map((record) => this.#company(record)));
    }
    return companies;
  }

  async #send(
    url: URL,
    options: { method?: string; body?: unknown; retryOnRateLimit?: boolean } = {},
  ): Promise<unknown> {
    return pacer.run(url.origin, () =>
      sendJson(this.transport, this.#hints, url, {
        ...options,
        headers: parseHeaders(this.#settings.headers, this.secret),
        retryOnRateLimit: options.retryOnRateLimit ?? true,
      }),
    );
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
