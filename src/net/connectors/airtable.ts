/**
 * Airtable over its REST API (airtable.com/developers/web/api): a personal access token, one base
 * and one table whose field names the user maps. Airtable sends CORS headers, so the browser can
 * call it directly. Limit: 5 requests per second per base; a 429 asks for 30 s of quiet.
 */
import { companyFromRecord, unionTags } from '../../core/crm/company.ts';
import { leadingNames, nameWords } from '../../core/crm/names.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery } from '../../core/crm/types.ts';
import { bearer, draftWebsite, readTags, readTime, RemoteCrmConnector, tagsValue } from './base.ts';
import { isHttpUrl, RequestPacer, type CrmHints, type Transport } from './connection.ts';
import { defineConnector } from './connector.ts';

export interface AirtableSettings {
  /** `https://api.airtable.com`; another address only for an enterprise gateway or a test server. */
  apiBase: string;
  /** `app` followed by 14 letters and digits, from the base's URL or API docs. */
  baseId: string;
  /** Table name or id (`tbl…`). */
  table: string;
  nameField: string;
  websiteField: string;
  /** Empty when the table has no tags field. */
  tagsField: string;
  /** How the tags field stores tags: a multiple select (list) or a text field (`a, b`). */
  tagsAs: 'list' | 'text';
}

export const AIRTABLE_DEFAULTS: AirtableSettings = {
  apiBase: 'https://api.airtable.com',
  baseId: '',
  table: 'Companies',
  nameField: 'Name',
  websiteField: 'Website',
  tagsField: 'Tags',
  tagsAs: 'list',
};

const HINTS: CrmHints = {
  crm: 'Airtable',
  credentials:
    'Create a personal access token at airtable.com/create/tokens with the scopes data.records:read and data.records:write and access to this base, then paste it here. (Airtable also answers 403 when the base id belongs to a base the token cannot see.)',
  notFound:
    'Check the base id (starts with “app”, from the base’s URL) and the table name, spelled exactly as in Airtable.',
  badAnswer: 'Check that the API address is https://api.airtable.com (or your proxy forwards there).',
  defaultBackoffSeconds: 30,
};

/** Airtable's documented limit: 5 requests per second per base, shared by every connector instance. */
const pacer = new RequestPacer(5, 1000);

const MAX_PAGES = 3;

interface AirtableRecord {
  id: string;
  createdTime?: string;
  fields: Record<string, unknown>;
}

export class AirtableConnector extends RemoteCrmConnector {
  readonly label: string;
  /** The formula rides in the URL, and URLs over ~16k characters are refused. */
  protected override readonly queriesPerSearch = 10;
  readonly #settings: AirtableSettings;

  constructor(settings: AirtableSettings, token: string, transport: Transport) {
    super(transport, {
      hints: HINTS,
      pacer,
      paceKey: () => settings.baseId,
      authorise: bearer(token),
    });
    this.#settings = settings;
    this.label = `Airtable (${settings.table})`;
  }

  protected async probe(): Promise<string> {
    const url = this.#tableUrl();
    url.searchParams.set('maxRecords', '1');
    for (const field of this.#readFields()) url.searchParams.append('fields[]', field);
    const records = this.#records(await this.send(url, { retryOnRateLimit: false }));
    return `Airtable answered: table “${this.#settings.table}” is readable${records.length === 0 ? ' (it is empty)' : ''}, and the mapped fields exist.`;
  }

  protected async candidates(queries: readonly MatchQuery[]): Promise<Company[]> {
    const clauses = queries.flatMap((query) => this.#clauses(query));
    if (clauses.length === 0) return [];
    const companies: Company[] = [];
    let offset: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.#tableUrl();
      url.searchParams.set('filterByFormula', clauses.length === 1 ? clauses[0]! : `OR(${clauses.join(',')})`);
      url.searchParams.set('pageSize', '100');
      for (const field of this.#readFields()) url.searchParams.append('fields[]', field);
      if (offset) url.searchParams.set('offset', offset);
      const body = await this.send(url);
      companies.push(...this.#records(body).map((record) => this.#company(record)));
      offset = (body as { offset?: unknown }).offset as string | undefined;
      if (typeof offset !== 'string') break;
    }
    return companies;
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const { nameField, websiteField, tagsField, tagsAs } = this.#settings;
    const fields: Record<string, unknown> = { [nameField]: draft.name.trim() };
    const website = draftWebsite(draft);
    if (website) fields[websiteField] = website;
    if (tagsField && draft.tags && draft.tags.length > 0) fields[tagsField] = tagsValue(draft.tags, tagsAs);
    const body = await this.send(this.#tableUrl(), { method: 'POST', body: { records: [{ fields }], typecast: true } });
    const [created] = this.#records(body);
    if (!created) throw this.unexpected('the created record');
    return this.#company(created);
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const { tagsField, tagsAs } = this.#settings;
    if (!tagsField) {
      throw this.noTagsField(
        'No tags field is mapped for this Airtable table.',
        'Add a field for tags in Airtable (a multiple select works best) and enter its name under “Tags field”.',
      );
    }
    const url = this.#recordUrl(companyId);
    const current = this.#record(await this.send(url));
    const merged = unionTags(readTags(current.fields[tagsField]), tags);
    const body = await this.send(url, {
      method: 'PATCH',
      body: { fields: { [tagsField]: tagsValue(merged, tagsAs) }, typecast: true },
    });
    return this.#company(this.#record(body));
  }

  /** Broad on purpose: core's matcher decides which returned record is the company. */
  #clauses(query: MatchQuery): string[] {
    const clauses: string[] = [];
    const domain = registrableDomain(query.domain);
    if (domain) clauses.push(`FIND(${formulaString(domain)},LOWER({${this.#settings.websiteField}}))`);
    const name = nameWords(query.name);
    if (name.length >= 2) clauses.push(`FIND(${formulaString(name)},LOWER({${this.#settings.nameField}}))`);
    // A record that keeps only the name's first words ("Okapi" for "Okapi Health"), and nothing broader.
    for (const leading of leadingNames(query.name)) {
      clauses.push(`LOWER(TRIM({${this.#settings.nameField}}))=${formulaString(leading)}`);
    }
    return clauses;
  }

  #readFields(): string[] {
    const { nameField, websiteField, tagsField } = this.#settings;
    return [nameField, websiteField, ...(tagsField ? [tagsField] : [])];
  }

  #tableUrl(): URL {
    const { apiBase, baseId, table } = this.#settings;
    return new URL(`/v0/${encodeURIComponent(baseId)}/${encodeURIComponent(table)}`, apiBase);
  }

  #recordUrl(id: string): URL {
    const url = this.#tableUrl();
    url.pathname += `/${encodeURIComponent(id)}`;
    return url;
  }

  #records(body: unknown): AirtableRecord[] {
    const records = (body as { records?: unknown } | null)?.records;
    if (!Array.isArray(records)) throw this.unexpected('a list of records');
    return records.map((record) => this.#record(record));
  }

  #record(value: unknown): AirtableRecord {
    const record = value as Partial<AirtableRecord> | null;
    if (!record || typeof record.id !== 'string' || typeof record.fields !== 'object' || record.fields === null) {
      throw this.unexpected('a record with an id and fields');
    }
    return record as AirtableRecord;
  }

  #company(record: AirtableRecord): Company {
    const { nameField, websiteField, tagsField } = this.#settings;
    const name = record.fields[nameField];
    const website = record.fields[websiteField];
    return companyFromRecord({
      externalId: record.id,
      name: typeof name === 'string' ? name : '',
      website: typeof website === 'string' && website.trim() !== '' ? website.trim() : null,
      tags: tagsField ? readTags(record.fields[tagsField]) : [],
      source: 'airtable',
      createdAt: readTime(record.createdTime),
    });
  }
}

/**
 * Users often paste the base's address from the browser (`https://airtable.com/appXXX/tblYYY/viwZZZ`)
 * instead of the id: take the base id, and the table id when there is one.
 */
export function airtableIdsFromUrl(text: string): { baseId: string; table: string | null } | null {
  const match = /\b(app[A-Za-z0-9]{14})(?:\/(tbl[A-Za-z0-9]{14}))?/.exec(text);
  return match ? { baseId: match[1]!, table: match[2] ?? null } : null;
}

/** Problems a user can fix before any request is sent; empty when the settings are usable. */
export function airtableSettingsProblems(settings: AirtableSettings, token: string | null): string[] {
  const problems: string[] = [];
  if (!token) problems.push('Paste a personal access token.');
  if (!/^app[A-Za-z0-9]{14}$/.test(settings.baseId.trim())) {
    problems.push('The base id starts with “app” and has 17 characters (see the base’s URL).');
  }
  if (settings.table.trim() === '') problems.push('Enter the table name.');
  for (const [label, field] of [
    ['Name field', settings.nameField],
    ['Website field', settings.websiteField],
  ] as const) {
    if (field.trim() === '') problems.push(`Enter the ${label.toLowerCase()}.`);
  }
  for (const field of [settings.nameField, settings.websiteField, settings.tagsField]) {
    if (/[{}]/.test(field)) problems.push(`Field names with braces cannot be used in a formula: “${field}”.`);
  }
  if (!isHttpUrl(settings.apiBase))
    problems.push('The API address must start with https:// (or http:// for a local server).');
  return problems;
}

/** A string literal in an Airtable formula. */
function formulaString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const TAGS_AS = [
  { value: 'list', label: 'Multiple select' },
  { value: 'text', label: 'Text (comma-separated)' },
] as const;

export const airtable = defineConnector({
  kind: 'airtable',
  name: 'Airtable',
  secretLabel: 'Personal access token',
  defaults: AIRTABLE_DEFAULTS,
  fields: [
    { key: 'apiBase', label: 'API address', input: 'url' },
    {
      key: 'baseId',
      label: 'Base id (or paste the base’s address)',
      placeholder: 'appXXXXXXXXXXXXXX',
      testid: 'airtable-base',
      tidy(settings) {
        const ids = airtableIdsFromUrl(settings.baseId);
        if (!ids || ids.baseId === settings.baseId.trim()) return;
        settings.baseId = ids.baseId;
        if (ids.table) settings.table = ids.table;
      },
    },
    { key: 'table', label: 'Table', testid: 'airtable-table' },
    { key: 'nameField', label: 'Name field' },
    { key: 'websiteField', label: 'Website field' },
    { key: 'tagsField', label: 'Tags field (optional)' },
    { key: 'tagsAs', label: 'Tags field type', input: 'choice', choices: TAGS_AS },
  ],
  settingsProblems: airtableSettingsProblems,
  origins: (settings) => [settings.apiBase],
  create: (settings, secret, transport) => new AirtableConnector(settings, secret ?? '', transport),
});
