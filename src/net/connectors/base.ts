/**
 * The base every remote connector builds on (`connection.ts` is the wire below it): requests paced
 * and authorised one way, "Test connection" as one diagnosed read, matching as a broad search
 * whose records core's matcher judges (`matchAmong`, the local CRM's rules), and the readers
 * every CRM's answers need.
 */
import { splitList } from '../../core/crm/list-field.ts';
import { matchAmong } from '../../core/crm/crm-index.ts';
import { registrableDomain } from '../../core/crm/normalise.ts';
import type { Company, CompanyDraft, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import {
  checkFromError,
  ConnectorError,
  okCheck,
  sendJson,
  type ConnectionCheck,
  type CrmHints,
  type RequestPacer,
  type Transport,
} from './connection.ts';
import type { RemoteConnector } from './connector.ts';

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Off for "Test connection", which reports a 429 instead of waiting it out. */
  retryOnRateLimit?: boolean;
}

/** How one CRM is spoken to: its hints, its published rate limit, and where its credential goes. */
export interface ConnectorWire {
  hints: CrmHints;
  /** Shared by every instance of the connector: the limit is the CRM's, not this object's. */
  pacer: RequestPacer;
  /** What the CRM counts its limit per (a base, an account, an origin). */
  paceKey(url: URL): string;
  /** Adds the credential: a header, or the query parameter a CRM documents instead. */
  authorise(url: URL, headers: Record<string, string>): void;
}

export abstract class RemoteCrmConnector implements RemoteConnector {
  abstract readonly label: string;
  /** Queries searched in one request, for APIs that can OR conditions together. */
  protected readonly queriesPerSearch: number = 1;

  constructor(
    readonly transport: Transport,
    private readonly wire: ConnectorWire,
  ) {}

  /** One cheap read that proves address, credentials and base/table; resolves to what it proved. */
  protected abstract probe(): Promise<string>;
  /** The records a broad search returns for these queries; core's matcher decides which is which. */
  protected abstract candidates(queries: readonly MatchQuery[]): Promise<Company[]>;
  abstract add(draft: CompanyDraft): Promise<Company>;
  abstract tag(companyId: string, tags: string[]): Promise<Company>;

  async testConnection(): Promise<ConnectionCheck> {
    try {
      return okCheck(await this.probe());
    } catch (error) {
      return checkFromError(error);
    }
  }

  async matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    const results: MatchResult[] = [];
    for (let start = 0; start < queries.length; start += this.queriesPerSearch) {
      const batch = queries.slice(start, start + this.queriesPerSearch);
      results.push(...matchAmong(batch, await this.candidates(batch)));
    }
    return results;
  }

  /** Every request: paced to the CRM's limit, authorised, diagnosed; a 429 waited out once unless told not to. */
  protected send(url: URL, options: RequestOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = {};
    this.wire.authorise(url, headers);
    return this.wire.pacer.run(this.wire.paceKey(url), () =>
      sendJson(this.transport, this.wire.hints, url, {
        ...options,
        headers,
        retryOnRateLimit: options.retryOnRateLimit ?? true,
      }),
    );
  }

  /** An answer without what the CRM documents, said with the CRM's name and what to check. */
  protected unexpected(what: string): ConnectorError {
    const { crm, badAnswer } = this.wire.hints;
    return new ConnectorError('bad-response', `${crm}’s answer did not contain ${what}.`, badAnswer);
  }

  /** Tagging needs a field this CRM does not have out of the box: say which to add. */
  protected noTagsField(message: string, nextStep: string): ConnectorError {
    return new ConnectorError('not-configured', message, nextStep);
  }
}

/** The usual credential: `Authorization: Bearer <token>`. */
export function bearer(token: string): ConnectorWire['authorise'] {
  return (_url, headers) => void (headers.Authorization = `Bearer ${token}`);
}

/** Tags stored as a list, or as text (`a, b`), read as a list. */
export function readTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '');
  if (typeof value === 'string') return splitList(value);
  return [];
}

/** Tags as a CRM field stores them: a multiple select (a list) or a text field (`a, b`). */
export function tagsValue(tags: readonly string[], storedAs: 'list' | 'text'): string[] | string {
  return storedAs === 'list' ? [...tags] : tags.join(', ');
}

/** A date a CRM sent, or nothing (so the company keeps its own default) when there is none. */
export function readTime(value: unknown): number | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** The website a draft stands for: its own, or `https://` + its domain. */
export function draftWebsite(draft: { website?: string | null; domain?: string | null }): string | null {
  if (draft.website && draft.website.trim() !== '') {
    const site = draft.website.trim();
    return /^https?:\/\//i.test(site) ? site : `https://${site}`;
  }
  const domain = registrableDomain(draft.domain);
  return domain ? `https://${domain}` : null;
}
