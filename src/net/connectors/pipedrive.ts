/**
 * Pipedrive over its API v2 (developers.pipedrive.com): organizations are companies.
 *
 * The API token goes in the `api_token` query parameter, as Pipedrive documents, rather than a
 * header: a GET then needs no CORS preflight. It is the one secret that rides in a URL, so nothing
 * here ever shows, logs or puts a request URL into an error (see `connection.ts`).
 *
 * Pipedrive has no standard website field to search; a custom field holding the website
 * (`websiteField`, its 40-character key) makes domain search possible. Without it, only names
 * are searched, which at best gives `possible`.
 */
import { companyFromRecord, unionTags } from '../../core/crm/company.ts';
import { matchAmong } from '../../core/crm/crm-index.ts';
import { leadingNames, nameWords } from '../../core/crm/names.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery } from '../../core/crm/types.ts';
import { draftWebsite, readTags, readTime, RemoteCrmConnector } from './base.ts';
import { isHttpUrl, RequestPacer, type CrmHints, type Transport } from './connection.ts';
import { defineConnector } from './connector.ts';

export interface PipedriveSettings {
  /** `https://api.pipedrive.com` or your company's `https://yourcompany.pipedrive.com`. */
  baseUrl: string;
  /** Key of the organization custom field holding the website; empty when there is none. */
  websiteField: string;
  /** Key of a text custom field holding tags (`a, b`); empty when there is none. */
  tagsField: string;
}

export const PIPEDRIVE_DEFAULTS: PipedriveSettings = {
  baseUrl: 'https://api.pipedrive.com',
  websiteField: '',
  tagsField: '',
};

const HINTS: CrmHints = {
  crm: 'Pipedrive',
  credentials: 'Copy your personal API token from Pipedrive (avatar → Personal preferences → API) and paste it here.',
  notFound: 'Check the address: https://api.pipedrive.com, or https://yourcompany.pipedrive.com.',
  badAnswer: 'Check the address: it should be https://api.pipedrive.com or https://yourcompany.pipedrive.com.',
  defaultBackoffSeconds: 10,
};

/**
 * Pipedrive's burst limits are per token, per 2-second window, and depend on the plan: 10 per 2 s
 * is a cautious guess, and a 429 is waited out once.
 */
const pacer = new RequestPacer(10, 2000);
/** The search endpoint rejects shorter terms. */
const MIN_TERM = 2;
/** Records per search answer: enough for one name's look-alikes. */
const SEARCH_LIMIT = 20;

interface PipedriveOrganization {
  id: number | string;
  name?: unknown;
  custom_fields?: unknown;
  add_time?: unknown;
  update_time?: unknown;
}

export class PipedriveConnector extends RemoteCrmConnector {
  readonly label = 'Pipedrive';
  readonly #settings: PipedriveSettings;

  constructor(settings: PipedriveSettings, apiToken: string, transport: Transport) {
    super(transport, {
      hints: HINTS,
      pacer,
      paceKey: () => settings.baseUrl,
      authorise: (url) => url.searchParams.set('api_token', apiToken),
    });
    this.#settings = settings;
  }

  protected async probe(): Promise<string> {
    const url = this.#url('/api/v2/organizations');
    url.searchParams.set('limit', '1');
    this.#data(await this.send(url, { retryOnRateLimit: false }));
    return `Pipedrive answered: organizations are readable with this token.${
      this.#settings.websiteField ? '' : ' Without a website field, only names are searched.'
    }`;
  }

  /** One query at a time: the search endpoint takes one term. */
  protected async candidates([query]: readonly MatchQuery[]): Promise<Company[]> {
    const found: Company[] = [];
    if (!query) return found;
    const domain = registrableDomain(query.domain);
    if (domain && this.#settings.websiteField) found.push(...(await this.#search(domain, 'custom_fields', domain)));
    // A domain hit is already `in-crm`; the name search would only add a weaker answer.
    const domainHit = found.length > 0 && matchAmong([query], found)[0]!.status === 'in-crm';
    if (domainHit) return found;
    const name = nameWords(query.name);
    // The name's first words ("okapi" for "Okapi Health") find every record the whole name finds and the one that
    // keeps only those words, in the same one request. Only when that answer is cut at the limit ("data" for
    // "Data Robotics") could it miss the record, and then the whole name is asked for as well.
    const leading = leadingNames(query.name)[0];
    if (leading) {
      const broad = await this.#search(leading, 'name', null);
      found.push(...broad);
      if (broad.length < SEARCH_LIMIT) return found;
    }
    if (name.length >= MIN_TERM) found.push(...(await this.#search(name, 'name', null)));
    return found;
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const { websiteField, tagsField } = this.#settings;
    const customFields: Record<string, string> = {};
    const website = draftWebsite(draft);
    if (website && websiteField) customFields[websiteField] = website;
    if (tagsField && draft.tags && draft.tags.length > 0) customFields[tagsField] = draft.tags.join(', ');
    const body: Record<string, unknown> = { name: draft.name.trim() };
    if (Object.keys(customFields).length > 0) body.custom_fields = customFields;
    const answer = await this.send(this.#url('/api/v2/organizations'), { method: 'POST', body });
    return this.#company(this.#organization(this.#data(answer)));
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagsField } = this.#settings;
    if (!tagsField) {
      throw this.noTagsField(
        'No tags field is set for Pipedrive.',
        'Add a text custom field to organizations in Pipedrive and enter its key under “Tags field”.',
      );
    }
    const url = this.#url(`/api/v2/organizations/${encodeURIComponent(companyId)}`);
    const current = this.#organization(this.#data(await this.send(url)));
    const merged = unionTags(readTags(customFieldsOf(current)[tagsField]), tags);
    const answer = await this.send(url, {
      method: 'PATCH',
      body: { custom_fields: { [tagsField]: merged.join(', ') } },
    });
    return this.#company(this.#organization(this.#data(answer)));
  }

  async #search(term: string, fields: 'name' | 'custom_fields', domain: string | null): Promise<Company[]> {
    const url = this.#url('/api/v2/organizations/search');
    url.searchParams.set('term', term);
    url.searchParams.set('fields', fields);
    url.searchParams.set('limit', String(SEARCH_LIMIT));
    const data = this.#data(await this.send(url)) as { items?: unknown };
    if (!Array.isArray(data.items)) throw this.unexpected('data.items');
    return data.items.map((entry) => {
      const item = this.#organization((entry as { item?: unknown } | null)?.item);
      // Search results list matched custom field values, not keys: the one holding the domain is the website.
      const values = Array.isArray(item.custom_fields) ? item.custom_fields : [];
      const website =
        domain === null
          ? null
          : (values.find(
              (value): value is string => typeof value === 'string' && registrableDomain(value) === domain,
            ) ?? null);
      return this.#company(item, website);
    });
  }

  #url(path: string): URL {
    return new URL(path, this.#settings.baseUrl);
  }

  #data(body: unknown): unknown {
    const answer = body as { success?: unknown; data?: unknown } | null;
    if (!answer || answer.success !== true || answer.data === undefined) throw this.unexpected('success and data');
    return answer.data;
  }

  #organization(value: unknown): PipedriveOrganization {
    const organization = value as Partial<PipedriveOrganization> | null;
    if (!organization || (typeof organization.id !== 'number' && typeof organization.id !== 'string')) {
      throw this.unexpected('an organization with an id');
    }
    return organization as PipedriveOrganization;
  }

  #company(organization: PipedriveOrganization, websiteFromSearch?: string | null): Company {
    const custom = customFieldsOf(organization);
    const { websiteField, tagsField } = this.#settings;
    const stored = websiteField ? custom[websiteField] : undefined;
    const website = websiteFromSearch ?? (typeof stored === 'string' && stored !== '' ? stored : null);
    return companyFromRecord({
      externalId: String(organization.id),
      name: typeof organization.name === 'string' ? organization.name : '',
      website,
      tags: tagsField ? readTags(custom[tagsField]) : [],
      source: 'pipedrive',
      createdAt: readTime(organization.add_time),
      updatedAt: readTime(organization.update_time),
    });
  }
}

export function pipedriveSettingsProblems(settings: PipedriveSettings, apiToken: string | null): string[] {
  const problems: string[] = [];
  if (!apiToken) problems.push('Paste your API token.');
  if (!isHttpUrl(settings.baseUrl))
    problems.push('The address must start with https:// (e.g. https://api.pipedrive.com).');
  return problems;
}

/** A full organization has `custom_fields` as an object keyed by field key; search results as a list. */
function customFieldsOf(organization: PipedriveOrganization): Record<string, unknown> {
  const custom = organization.custom_fields;
  return custom && typeof custom === 'object' && !Array.isArray(custom) ? (custom as Record<string, unknown>) : {};
}

export const pipedrive = defineConnector({
  kind: 'pipedrive',
  name: 'Pipedrive',
  secretLabel: 'API token',
  defaults: PIPEDRIVE_DEFAULTS,
  fields: [
    { key: 'baseUrl', label: 'Address', input: 'url', testid: 'pipedrive-base' },
    { key: 'websiteField', label: 'Website custom field key (for domain search)' },
    { key: 'tagsField', label: 'Tags custom field key (optional)' },
  ],
  settingsProblems: pipedriveSettingsProblems,
  origins: (settings) => [settings.baseUrl],
  create: (settings, secret, transport) => new PipedriveConnector(settings, secret ?? '', transport),
});
