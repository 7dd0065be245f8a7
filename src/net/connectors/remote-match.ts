/**
 * Decides, for one query, which of the records a remote CRM returned is the company. The remote
 * search is broad on purpose (`FIND`, `ilike`, fuzzy search), so the verdict is made here, with the
 * same rules as the local CRM: a registrable-domain match is `in-crm`; a name alone is never more
 * than `possible`.
 */
import { getDomain, getHostname } from 'tldts';
import type { Company, MatchEvidence, MatchQuery, MatchResult } from '../../core/crm/types.ts';

const NAME_THRESHOLD = 0.85;

/** `https://app.acme.co.uk/x` → `acme.co.uk`; private suffixes (`acme.github.io`) stay whole. */
export function registrableDomain(input: string | null | undefined): string | null {
  if (!input) return null;
  const text = input.trim().toLowerCase();
  if (text === '') return null;
  return getDomain(text, { allowPrivateDomains: true }) ?? null;
}

function hostnameOf(input: string): string | null {
  return getHostname(input.trim().toLowerCase(), { allowPrivateDomains: true });
}

const LEGAL_AND_FILLER = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'spa',
  'srl',
  'corp',
  'corporation',
  'co',
  'company',
  'pte',
  'pty',
  'ai',
  'labs',
  'lab',
  'hq',
  'the',
]);

/** `Acmé Robotics, Inc.` → `acme robotics`. */
export function normaliseName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
  const kept = words.filter((word) => !LEGAL_AND_FILLER.has(word));
  return (kept.length > 0 ? kept : words).join(' ');
}

/** Dice coefficient over character bigrams of the normalised names: 1 is identical. */
export function nameSimilarity(a: string, b: string): number {
  const left = normaliseName(a).replace(/ /g, '');
  const right = normaliseName(b).replace(/ /g, '');
  if (left === '' || right === '') return 0;
  if (left === right) return 1;
  if (left.length < 2 || right.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < left.length - 1; i++) {
    const pair = left.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < right.length - 1; i++) {
    const pair = right.slice(i, i + 2);
    const remaining = counts.get(pair) ?? 0;
    if (remaining > 0) {
      shared += 1;
      counts.set(pair, remaining - 1);
    }
  }
  return (2 * shared) / (left.length - 1 + (right.length - 1));
}

export function matchRemoteRecords(query: MatchQuery, companies: readonly Company[]): MatchResult {
  const wanted = registrableDomain(query.domain);
  if (wanted) {
    const host = hostnameOf(query.domain ?? '');
    for (const company of companies) {
      const evidence = domainEvidence(wanted, host, company);
      if (evidence) return { status: 'in-crm', company, evidence: [evidence] };
    }
  }
  if (query.name) {
    let best: { company: Company; score: number } | null = null;
    for (const company of companies) {
      const score = nameSimilarity(query.name, company.name);
      if (score >= NAME_THRESHOLD && (!best || score > best.score)) best = { company, score };
    }
    if (best) {
      const score = Math.round(best.score * 100) / 100;
      return {
        status: 'possible',
        company: best.company,
        evidence: [{ kind: 'name', detail: `name ≈ ${score.toFixed(2)} (${best.company.name})`, score }],
      };
    }
  }
  return { status: 'not-in-crm', company: null, evidence: [] };
}

function domainEvidence(wanted: string, host: string | null, company: Company): MatchEvidence | null {
  const primary = company.domain ?? registrableDomain(company.website);
  if (primary === wanted) {
    if (host && host !== wanted && host !== `www.${wanted}`) {
      return { kind: 'subdomain of', detail: `${host} is a subdomain of ${wanted}` };
    }
    return { kind: 'domain', detail: `domain ${wanted}` };
  }
  if (company.aliasDomains.some((alias) => registrableDomain(alias) === wanted)) {
    return { kind: 'alias domain', detail: `alias domain ${wanted}` };
  }
  return null;
}

/** A remote record in the shared `Company` shape; its id is the CRM's own record id. */
export function remoteCompany(fields: {
  externalId: string;
  name: string;
  website: string | null;
  aliasWebsites?: string[];
  tags: string[];
  source: string;
  createdAt?: number;
  updatedAt?: number;
}): Company {
  const createdAt = fields.createdAt ?? 0;
  return {
    id: fields.externalId,
    name: fields.name,
    domain: registrableDomain(fields.website),
    aliasDomains: (fields.aliasWebsites ?? []).map(registrableDomain).filter((d): d is string => d !== null),
    website: fields.website,
    tags: fields.tags,
    source: fields.source,
    notes: '',
    externalId: fields.externalId,
    createdAt,
    updatedAt: fields.updatedAt ?? createdAt,
  };
}

/** Tags stored as a list, or as text (`a, b`), read as a list. */
export function readTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '');
  if (typeof value === 'string') {
    return value
      .split(/[,;]/)
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
  }
  return [];
}

export function mergeTags(current: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(current.map((tag) => tag.toLowerCase()));
  const merged = [...current];
  for (const tag of added) {
    const clean = tag.trim();
    if (clean !== '' && !seen.has(clean.toLowerCase())) {
      seen.add(clean.toLowerCase());
      merged.push(clean);
    }
  }
  return merged;
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
