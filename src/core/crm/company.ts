/**
 * How a company record is made and changed: from a draft (what a user, a CSV row or the agent
 * proposes), by a patch (an edit), and by merging two records that turned out to be one company.
 * Every path normalises through here, so a company is stored the same way whoever wrote it.
 */
import { normaliseDomain, normaliseTags, registrableDomain } from './normalise.ts';
import type { Company, CompanyDraft } from './types.ts';

/** What a company needs besides the draft; the caller supplies them so this stays pure and testable. */
export interface NewCompanyContext {
  id: string;
  now: number;
}

export class InvalidCompanyError extends Error {
  override name = 'InvalidCompanyError';
}

/** How lenient a source of drafts may be; a person typing into the form gets neither. */
export interface DraftRules {
  /**
   * Registrable domains that name no company of their own (a CSV's website column pointing at a
   * LinkedIn page): such a domain or alias is dropped, and such a website gives no domain.
   */
  ignoreDomain?: (domain: string) => boolean;
  /** A draft without a name is named after its domain (a CSV row with only a website). */
  nameFromDomain?: boolean;
}

/**
 * Turns a draft into a stored company: normalises the domain (taken from `domain`, else from
 * `website`) and alias domains, tags and whitespace, each once. Throws InvalidCompanyError with a
 * message the user can act on.
 */
export function companyFromDraft(draft: CompanyDraft, { id, now }: NewCompanyContext, rules: DraftRules = {}): Company {
  const ignored = rules.ignoreDomain ?? (() => false);
  let name = draft.name?.trim().replace(/\s+/g, ' ') ?? '';
  if (!name && !rules.nameFromDomain) throw new InvalidCompanyError('A company needs a name.');
  let website = draft.website?.trim() || null;
  let domain: string | null = null;
  const domainCell = draft.domain?.trim();
  if (domainCell) {
    domain = registrableOrThrow(domainCell, 'acme.com');
    if (ignored(domain)) domain = null;
  }
  if (!domain && website) {
    const fromWebsite = registrableOrThrow(website, 'acme.com');
    if (ignored(fromWebsite)) website = null;
    else domain = fromWebsite;
  }
  if (!name) name = domain ?? '';
  if (!name) throw new InvalidCompanyError('no company name, and no web domain of its own to name it by');
  if (name.length > 300) throw new InvalidCompanyError('A company name can be at most 300 characters.');
  const aliasDomains: string[] = [];
  for (const alias of draft.aliasDomains ?? []) {
    if (!alias.trim()) continue;
    const normalised = registrableOrThrow(alias, 'acme.io');
    if (normalised !== domain && !ignored(normalised) && !aliasDomains.includes(normalised))
      aliasDomains.push(normalised);
  }
  return {
    id,
    name,
    domain,
    aliasDomains,
    website,
    tags: normaliseTags(draft.tags ?? []),
    source: draft.source?.trim() || 'manual',
    notes: draft.notes?.trim() ?? '',
    externalId: draft.externalId?.trim() || null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A record as another CRM stores it; its id there becomes the company's id. */
export interface ExternalRecord {
  externalId: string;
  name: string;
  website: string | null;
  aliasWebsites?: string[];
  tags: string[];
  source: string;
  createdAt?: number;
  updatedAt?: number;
}

/**
 * A company from a record another CRM returned. Read, not validated: a website that is not a web
 * domain gives no domain (the record is still shown) instead of an error the user cannot fix here.
 */
export function companyFromRecord(record: ExternalRecord): Company {
  const createdAt = record.createdAt ?? 0;
  const domain = registrableDomain(record.website);
  const aliasDomains: string[] = [];
  for (const alias of record.aliasWebsites ?? []) {
    const normalised = registrableDomain(alias);
    if (normalised && normalised !== domain && !aliasDomains.includes(normalised)) aliasDomains.push(normalised);
  }
  return {
    id: record.externalId,
    name: record.name,
    domain,
    aliasDomains,
    website: record.website,
    tags: record.tags,
    source: record.source,
    notes: '',
    externalId: record.externalId,
    createdAt,
    updatedAt: record.updatedAt ?? createdAt,
  };
}

function registrableOrThrow(text: string, example: string): string {
  const domain = normaliseDomain(text)?.domain;
  if (!domain) throw new InvalidCompanyError(`“${text}” is not a web domain (expected something like ${example}).`);
  return domain;
}

/** Edits the user may make to a company; id, source and created date stay. */
export type CompanyPatch = Partial<
  Pick<Company, 'name' | 'domain' | 'aliasDomains' | 'website' | 'tags' | 'notes' | 'externalId'>
>;

/** An empty domain is derived from the website again, as when adding: a company's domain always follows its site. */
export function applyPatch(company: Company, patch: CompanyPatch, now: number): Company {
  const draft: CompanyDraft = {
    name: patch.name ?? company.name,
    website: patch.website !== undefined ? patch.website : company.website,
    domain: patch.domain !== undefined ? patch.domain : company.domain,
    aliasDomains: patch.aliasDomains ?? company.aliasDomains,
    tags: patch.tags ?? company.tags,
    source: company.source,
    notes: patch.notes ?? company.notes,
  };
  const updated = companyFromDraft(draft, { id: company.id, now });
  return {
    ...updated,
    externalId: patch.externalId !== undefined ? patch.externalId : company.externalId,
    createdAt: company.createdAt,
    updatedAt: now,
  };
}

/**
 * Folds `incoming` into `into` (same domain, so the same company): the first record's scalar fields
 * win where set, domains and tags are united, different notes are kept both.
 */
export function mergeCompany(into: Company, incoming: Company): Company {
  const aliases = new Set([...into.aliasDomains, ...incoming.aliasDomains]);
  if (incoming.domain && incoming.domain !== into.domain) aliases.add(incoming.domain);
  if (into.domain) aliases.delete(into.domain);
  const notes =
    incoming.notes && incoming.notes !== into.notes && !into.notes.includes(incoming.notes)
      ? [into.notes, incoming.notes].filter(Boolean).join('\n\n')
      : into.notes;
  return {
    ...into,
    domain: into.domain ?? incoming.domain,
    website: into.website ?? incoming.website,
    aliasDomains: [...aliases],
    tags: unionTags(into.tags, incoming.tags),
    notes,
    externalId: into.externalId ?? incoming.externalId,
    createdAt: Math.min(into.createdAt, incoming.createdAt),
    updatedAt: Math.max(into.updatedAt, incoming.updatedAt),
  };
}

/** The tags of both, each once (compared without case), in the order first seen. */
export function unionTags(current: readonly string[], added: readonly string[]): string[] {
  return normaliseTags([...current, ...added]);
}

/** Adds tags to a company (existing ones stay). */
export function withAddedTags(company: Company, tags: readonly string[], now: number): Company {
  return { ...company, tags: unionTags(company.tags, tags), updatedAt: now };
}
