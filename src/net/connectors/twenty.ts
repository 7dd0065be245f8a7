/**
 * Twenty over its REST API (docs.twenty.com): cloud at `https://api.twenty.com` or a self-hosted
 * base URL, an API key as a Bearer token. Twenty's server enables CORS for any origin (a self-hosted
 * instance may change that). Limit: 100 requests per minute.
 *
 * A company's website is the `domainName` Links field (`primaryLinkUrl`, `secondaryLinks`).
 * Companies have no tags out of the box; a custom field can hold them (`tagsField`).
 */
import { companyFromRecord, unionTags } from '../../core/crm/company.ts';
import { leadingNames, nameWords } from '../../core/crm/names.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery } from '../../core/crm/types.ts';
import { bearer, draftWebsite, readTags, readTime, RemoteCrmConnector, tagsValue } from './base.ts';
import { isHttpUrl, RequestPacer, type CrmHints, type Transport } from './connection.ts';
import { defineConnector } from './connector.ts';

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
  badAnswer: 'Check the base URL: it should be the API server (https://api.twenty.com for Cloud), not the web app.',
  defaultBackoffSeconds: 60,
};

/** Twenty's documented limit: 100 requests per minute per key. */
const pacer = new RequestPacer(100, 60_000);
const PAGE_SIZE = 60;

interface TwentyCompany {
  id: string;
  name?: unknown;
  domainName?: { primaryLinkUrl?: unknown; secondaryLinks?: unknown } | null;
  createdAt?: unknown;
  updatedAt?: unknown;
  [field: string]: unknown;
}

export class TwentyConnector extends RemoteCrmConnector {
  readonly label = 'Twenty';
  protected override readonly queriesPerSearch = 10;
  readonly #settings: TwentySettings;

  constructor(settings: TwentySettings, apiKey: string, transport: Transport) {
    super(transport, {
      hints: HINTS,
      pacer,
      paceKey: () => settings.baseUrl,
      authorise: bearer(apiKey),
    });
    this.#settings = settings;
  }

  protected async probe(): Promise<string> {
    const url = this.#url('/rest/companies');
    url.searchParams.set('limit', '1');
    this.#list(await this.send(url, { retryOnRateLimit: false }));
    return 'Twenty answered: companies are readable with this API key.';
  }

  protected async candidates(queries: readonly MatchQuery[]): Promise<Company[]> {
    const filters = queries.flatMap(filtersFor);
    if (filters.length === 0) return [];
    const url = this.#url('/rest/companies');
    url.searchParams.set('filter', filters.length === 1 ? filters[0]! : `or(${filters.join(',')})`);
    url.searchParams.set('limit', String(PAGE_SIZE));
    return this.#list(await this.send(url)).map((record) => this.#company(record));
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const { tagsField, tagsAs } = this.#settings;
    const body: Record<string, unknown> = { name: draft.name.trim() };
    const website = draftWebsite(draft);
    if (website) body.domainName = { primaryLinkUrl: website };
    if (tagsField && draft.tags && draft.tags.length > 0) body[tagsField] = tagsValue(draft.tags, tagsAs);
    const answer = await this.send(this.#url('/rest/companies'), { method: 'POST', body });
    return this.#company(this.#one(answer, 'createCompany'));
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagsField, tagsAs } = this.#settings;
    if (!tagsField) {
      throw this.noTagsField(
        'Twenty companies have no tags field out of the box.',
        'Add a custom field to Companies in Twenty (a multi-select or text field) and enter its API name under “Tags field”.',
      );
    }
    const url = this.#url(`/rest/companies/${encodeURIComponent(companyId)}`);
    const current = this.#one(await this.send(url), 'company');
    const merged = unionTags(readTags(current[tagsField]), tags);
    const answer = await this.send(url, { method: 'PATCH', body: { [tagsField]: tagsValue(merged, tagsAs) } });
    return this.#company(this.#one(answer, 'updateCompany'));
  }

  #url(path: string): URL {
    const base = new URL(this.#settings.baseUrl);
    // A self-hosted Twenty may live under a sub-path; keep it.
    base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
    return base;
  }

  #list(body: unknown): TwentyCompany[] {
    const companies = (body as { data?: { companies?: unknown } } | null)?.data?.companies;
    if (!Array.isArray(companies)) throw this.unexpected('data.companies');
    return companies.map((company) => this.#read(company));
  }

  #one(body: unknown, key: string): TwentyCompany {
    return this.#read((body as { data?: Record<string, unknown> } | null)?.data?.[key]);
  }

  #read(value: unknown): TwentyCompany {
    const record = value as Partial<TwentyCompany> | null;
    if (!record || typeof record.id !== 'string') throw this.unexpected('a company with an id');
    return record as TwentyCompany;
  }

  #company(record: TwentyCompany): Company {
    const links = record.domainName ?? {};
    const secondary = Array.isArray(links.secondaryLinks) ? links.secondaryLinks : [];
    return companyFromRecord({
      externalId: record.id,
      name: typeof record.name === 'string' ? record.name : '',
      website: typeof links.primaryLinkUrl === 'string' && links.primaryLinkUrl !== '' ? links.primaryLinkUrl : null,
      aliasWebsites: secondary
        .map((link) => (link as { url?: unknown } | null)?.url)
        .filter((url): url is string => typeof url === 'string'),
      tags: this.#settings.tagsField ? readTags(record[this.#settings.tagsField]) : [],
      source: 'twenty',
      createdAt: readTime(record.createdAt),
      updatedAt: readTime(record.updatedAt),
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

/** Broad filters in Twenty's REST filter syntax; core's matcher decides which record is the company. */
function filtersFor(query: MatchQuery): string[] {
  const filters: string[] = [];
  const domain = registrableDomain(query.domain);
  if (domain) filters.push(`domainName.primaryLinkUrl[ilike]:${filterString(`%${domain}%`)}`);
  const name = nameWords(query.name);
  if (name.length >= 2) filters.push(`name[ilike]:${filterString(`%${name}%`)}`);
  // A record that keeps only the name's first words ("Okapi" for "Okapi Health"): no wildcard, so nothing broader.
  for (const leading of leadingNames(query.name)) filters.push(`name[ilike]:${filterString(leading)}`);
  return filters;
}

/** A quoted filter value; quotes and backslashes would end it early, so they become wildcards. */
function filterString(text: string): string {
  return `"${text.replace(/["\\]/g, '_')}"`;
}

export const twenty = defineConnector({
  kind: 'twenty',
  name: 'Twenty',
  secretLabel: 'API key',
  defaults: TWENTY_DEFAULTS,
  fields: [
    {
      key: 'baseUrl',
      label: 'Base URL',
      input: 'url',
      testid: 'twenty-base',
      hint: 'https://api.twenty.com for Twenty Cloud, or your own server’s address.',
    },
    { key: 'tagsField', label: 'Tags field API name (optional)' },
    {
      key: 'tagsAs',
      label: 'Tags field type',
      input: 'choice',
      choices: [
        { value: 'list', label: 'Multi-select' },
        { value: 'text', label: 'Text (comma-separated)' },
      ],
    },
  ],
  settingsProblems: twentySettingsProblems,
  origins: (settings) => [settings.baseUrl],
  create: (settings, secret, transport) => new TwentyConnector(settings, secret ?? '', transport),
});
