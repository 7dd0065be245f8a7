/**
 * Twenty over its REST API (docs.twenty.com): cloud at `https://api.twenty.com` or a self-hosted
 * base URL, an API key as a Bearer token. Twenty's server enables CORS for any origin (a self-hosted
 * instance may change that). Limit: 100 requests per minute.
 *
 * A company's website is the `domainName` Links field (`primaryLinkUrl`, `secondaryLinks`).
 * Companies have no tags out of the box; a custom field can hold them (`tagsField`).
 */
import { companyFromRecord, unionTags } from '../../core/crm/company.ts';
import { matchAmong } from '../../core/crm/crm-index.ts';
import { nameWords, registrableDomain } from '../../core/crm/normalise.ts';
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

export interface TwentySettings {
  /** `https://api.twenty.com` for Twenty Cloud, or a self-hosted server's address. */
  baseUrl: string;
  /** API name of a custom field holding tags; empty when there is none. */
  tagsField: string;
  tagsAs: 'list' | 'text';
}

export const TWENTY_DEFAULTS: TwentySettings = { baseUrl: 'https://api.twenty.com', tagsField: '', tagsAs: 'list' };

const HINTS: CrmHints = {
  crm: 'Twenty',
  credentials:
    'Create an API key in Twenty (Settings → APIs & Webhooks) and paste it here; keys expire, so check its date.',
  notFound:
    'Check the base URL: https://api.twenty.com for Twenty Cloud, or your own server’s address (without /rest) when self-hosted.',
  defaultBackoffSeconds: 60,
};

/** Twenty's documented limit: 100 requests per minute per key. */
const pacer = new RequestPacer(100, 60_000);
const QUERIES_PER_REQUEST = 10;
const PAGE_SIZE = 60;

interface TwentyCompany {
  id: string;
  name?: unknown;
  domainName?: { primaryLinkUrl?: unknown; secondaryLinks?: unknown } | null;
  createdAt?: unknown;
  updatedAt?: unknown;
  [field: string]: unknown;
}

export class TwentyConnector implements RemoteConnector {
  readonly label = 'Twenty';
  readonly #settings: TwentySettings;

  constructor(
    settings: TwentySettings,
    readonly apiKey: string,
    readonly transport: Transport,
  ) {
    this.#settings = settings;
  }

  async testConnection(): Promise<ConnectionCheck> {
    try {
      const url = this.#url('/rest/companies');
      url.searchParams.set('limit', '1');
      readList(await this.#send(url, { retryOnRateLimit: false }));
      return okCheck('Twenty answered: companies are readable with this API key.');
    } catch (error) {
      return checkFromError(error);
    }
  }

  async matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    const results: MatchResult[] = [];
    for (let start = 0; start < queries.length; start += QUERIES_PER_REQUEST) {
      const batch = queries.slice(start, start + QUERIES_PER_REQUEST);
      const filters = batch.flatMap(filtersFor);
      let companies: Company[] = [];
      if (filters.length > 0) {
        const url = this.#url('/rest/companies');
        url.searchParams.set('filter', filters.length === 1 ? filters[0]! : `or(${filters.join(',')})`);
        url.searchParams.set('limit', String(PAGE_SIZE));
        companies = readList(await this.#send(url)).map((record) => this.#company(record));
      }
      results.push(...matchAmong(batch, companies));
    }
    return results;
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const body: Record<string, unknown> = { name: draft.name.trim() };
    const website = draftWebsite(draft);
    if (website) body.domainName = { primaryLinkUrl: website };
    if (this.#settings.tagsField && draft.tags && draft.tags.length > 0) {
      body[this.#settings.tagsField] = this.#tagsValue(draft.tags);
    }
    const answer = await this.#send(this.#url('/rest/companies'), { method: 'POST', body });
    return this.#company(readOne(answer, 'createCompany'));
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagsField } = this.#settings;
    if (!tagsField) {
      throw new ConnectorError(
        'not-configured',
        'Twenty companies have no tags field out of the box.',
        'Add a custom field to Companies in Twenty (a multi-select or text field) and enter its API name under “Tags field”.',
      );
    }
    const url = this.#url(`/rest/companies/${encodeURIComponent(companyId)}`);
    const current = readOne(await this.#send(url), 'company');
    const merged = unionTags(readTags(current[tagsField]), tags);
    const answer = await this.#send(url, { method: 'PATCH', body: { [tagsField]: this.#tagsValue(merged) } });
    return this.#company(readOne(answer, 'updateCompany'));
  }

  async #send(
    url: URL,
    options: { method?: string; body?: unknown; retryOnRateLimit?: boolean } = {},
  ): Promise<unknown> {
    return pacer.run(this.#settings.baseUrl, () =>
      sendJson(this.transport, HINTS, url, {
        ...options,
        headers: { Authorization: `Bearer ${this.apiKey}` },
        retryOnRateLimit: options.retryOnRateLimit ?? true,
      }),
    );
  }

  #url(path: string): URL {
    const base = new URL(this.#settings.baseUrl);
    // A self-hosted Twenty may live under a sub-path; keep it.
    base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    return base;
  }

  #tagsValue(tags: string[]): string[] | string {
    return this.#settings.tagsAs === 'list' ? tags : tags.join(', ');
  }

  #company(record: TwentyCompany): Company {
    const links = record.domainName ?? {};
    const secondary = Array.isArray(links.secondaryLinks) ? links.secondaryLinks : [];
    const created = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : Number.NaN;
    const updated = typeof record.updatedAt === 'string' ? Date.parse(record.updatedAt) : Number.NaN;
    return companyFromRecord({
      externalId: record.id,
      name: typeof record.name === 'string' ? record.name : '',
      website: typeof links.primaryLinkUrl === 'string' && links.primaryLinkUrl !== '' ? links.primaryLinkUrl : null,
      aliasWebsites: secondary
        .map((link) => (link as { url?: unknown } | null)?.url)
        .filter((url): url is string => typeof url === 'string'),
      tags: this.#settings.tagsField ? readTags(record[this.#settings.tagsField]) : [],
      source: 'twenty',
      ...(Number.isNaN(created) ? {} : { createdAt: created }),
      ...(Number.isNaN(updated) ? {} : { updatedAt: updated }),
    });
  }
}

export function twentySettingsProblems(settings: TwentySettings, apiKey: string | null): string[] {
  const problems: string[] = [];
  if (!apiKey) problems.push('Paste an API key.');
  if (!isHttpUrl(settings.baseUrl))
    problems.push('The base URL must start with https:// (e.g. https://api.twenty.com).');
  return problems;
}

/** Broad filters in Twenty's REST filter syntax; `matchAmong` (core) decides which record is the company. */
function filtersFor(query: MatchQuery): string[] {
  const filters: string[] = [];
  const domain = registrableDomain(query.domain);
  if (domain) filters.push(`domainName.primaryLinkUrl[ilike]:${filterString(`%${domain}%`)}`);
  const name = query.name ? nameWords(query.name) : '';
  if (name.length >= 2) filters.push(`name[ilike]:${filterString(`%${name}%`)}`);
  return filters;
}

/** A quoted filter value; quotes and backslashes would end it early, so they become wildcards. */
function filterString(text: string): string {
  return `"${text.replace(/["\\]/g, '_')}"`;
}

function readList(body: unknown): TwentyCompany[] {
  const companies = (body as { data?: { companies?: unknown } } | null)?.data?.companies;
  if (!Array.isArray(companies)) throw unexpected('data.companies');
  return companies.map(readCompany);
}

function readOne(body: unknown, key: string): TwentyCompany {
  return readCompany((body as { data?: Record<string, unknown> } | null)?.data?.[key]);
}

function readCompany(value: unknown): TwentyCompany {
  const record = value as Partial<TwentyCompany> | null;
  if (!record || typeof record.id !== 'string') throw unexpected('a company with an id');
  return record as TwentyCompany;
}

function unexpected(what: string): ConnectorError {
  return new ConnectorError(
    'bad-response',
    `Twenty’s answer did not contain ${what}.`,
    'Check the base URL: it should be the API server (https://api.twenty.com for Cloud), not the web app.',
  );
}
