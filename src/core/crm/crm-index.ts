/**
 * The in-memory CRM index the tools worker keeps: every lookup is a few hash-map reads, so a
 * newsletter's 200 candidates match in well under a millisecond each, at 100,000 companies.
 *
 * Contract of `matchCompany`: `in-crm` only ever comes from domain evidence (the domain, an alias
 * domain, or a subdomain of either); a name alone, however close, is at most `possible`, because
 * two companies can share a name and the user has to judge.
 *
 * This is Sift's one matcher: the local CRM keeps an index of every company, and a remote connector
 * (`matchAmong`) indexes the handful of records its broad search returned, so both give the same
 * verdict on the same records.
 */
import { MIN_LEADING_NAME, nameSimilarity, nameTokens } from './names.ts';
import { normaliseDomain } from './normalise.ts';
import type { Company, MatchEvidence, MatchQuery, MatchResult } from './types.ts';

/** Below this a name is not even a `possible` match. "stripe"/"stripes" is 0.91; "acme"/"acmes" 0.86. */
export const POSSIBLE_NAME_SCORE = 0.85;
/** A token shared by more companies than this ("data", "health") says too little to be a candidate source. */
const MAX_BUCKET = 200;
/** Upper bound of fuzzy comparisons per lookup, so a pathological name cannot make a lookup slow. */
const MAX_CANDIDATES = 300;

export class DuplicateDomainError extends Error {
  override name = 'DuplicateDomainError';
  constructor(
    readonly domain: string,
    readonly existing: Company,
  ) {
    super(`${domain} is already in your CRM as “${existing.name}”.`);
  }
}

export class UnknownCompanyError extends Error {
  override name = 'UnknownCompanyError';
  constructor(readonly companyId: string) {
    super(`No company with id “${companyId}” is in your CRM (it may have been deleted).`);
  }
}

export interface SearchPage {
  total: number;
  companies: Company[];
}

/**
 * Most buckets hold one company (a name key, a rare word): those store the bare slot number, and
 * only a second member turns a bucket into an array. At 100,000 companies that saves half a million
 * small arrays, and the time to allocate and collect them.
 */
type Bucket = number | number[];

function pushTo(map: Map<string, Bucket>, key: string, slot: number): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, slot);
  else if (typeof bucket === 'number') map.set(key, [bucket, slot]);
  else bucket.push(slot);
}

function removeFrom(map: Map<string, Bucket>, key: string, slot: number): void {
  const bucket = map.get(key);
  if (bucket === undefined) return;
  if (typeof bucket === 'number') {
    if (bucket === slot) map.delete(key);
    return;
  }
  const at = bucket.indexOf(slot);
  if (at >= 0) bucket.splice(at, 1);
  if (bucket.length === 1) map.set(key, bucket[0]!);
  else if (bucket.length === 0) map.delete(key);
}

function members(bucket: Bucket | undefined): number[] | undefined {
  return typeof bucket === 'number' ? [bucket] : bucket;
}

/**
 * The name index's buckets for one name: the whole key, each word, and three "shape" buckets
 * (first five letters, last five, first three with last three). A typo or a dropped ending keeps
 * at least one of the shapes, so a lookup reads a handful of small buckets instead of scanning.
 */
function nameBuckets(name: string): { key: string; tokens: string[]; shapes: string[] } {
  const tokens = nameTokens(name);
  const key = tokens.join('');
  const words = tokens.length === 1 ? [] : [...new Set(tokens)].filter((t) => t !== key);
  return { key, tokens: words, shapes: shapesOf(key) };
}

function shapesOf(key: string): string[] {
  if (key.length < 4) return [];
  return [`^${key.slice(0, 5)}`, `$${key.slice(-5)}`, `^${key.slice(0, 3)}$${key.slice(-3)}`];
}

/**
 * Companies live in numbered slots; the maps and buckets hold slot numbers. A fuzzy lookup then
 * walks plain arrays (key, seen-mark) instead of hashing an id per candidate.
 */
export class CrmIndex {
  readonly #slots: (Company | undefined)[] = [];
  /** Each slot's name key, computed once: normalising a name costs far more than comparing two keys. */
  readonly #keys: string[] = [];
  readonly #free: number[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #byDomain = new Map<string, number>();
  readonly #byAlias = new Map<string, number>();
  readonly #byNameKey = new Map<string, Bucket>();
  readonly #byToken = new Map<string, Bucket>();
  readonly #byShape = new Map<string, Bucket>();
  /** `#seen[slot] === #stamp` marks a candidate already scored in the current lookup. */
  #seen = new Uint32Array(1024);
  #stamp = 0;
  /** Companies sorted by name, for listing; rebuilt lazily after a change. */
  #sorted: Company[] | null = null;

  constructor(companies: Iterable<Company> = []) {
    for (const company of companies) this.#insert(company);
  }

  get size(): number {
    return this.#slotOf.size;
  }

  get(id: string): Company | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.#slots[slot];
  }

  *all(): IterableIterator<Company> {
    for (const company of this.#slots) if (company) yield company;
  }

  /** The company that owns this registrable domain as its domain or an alias, if any. */
  ownerOfDomain(domain: string): Company | undefined {
    const slot = this.#byDomain.get(domain) ?? this.#byAlias.get(domain);
    return slot === undefined ? undefined : this.#slots[slot];
  }

  /** Adds or replaces (same id) a company. Replacing re-indexes its domains and name. */
  put(company: Company): void {
    if (this.#slotOf.has(company.id)) this.#remove(company.id);
    this.#insert(company);
  }

  delete(id: string): boolean {
    if (!this.#slotOf.has(id)) return false;
    this.#remove(id);
    return true;
  }

  matchCompany(query: MatchQuery): MatchResult {
    const queryTokens = nameTokens(query.name);
    const nameKeyOfQuery = queryTokens.join('');
    const normalised = normaliseDomain(query.domain);
    if (normalised) {
      const { host, domain } = normalised;
      const primary = this.#byDomain.get(domain);
      const alias = primary === undefined ? this.#byAlias.get(domain) : undefined;
      const slot = primary ?? alias;
      const company = slot === undefined ? undefined : this.#slots[slot];
      if (slot !== undefined && company) {
        const evidence: MatchEvidence[] = [];
        if (host !== domain) evidence.push({ kind: 'subdomain of', detail: `${host} is a subdomain of ${domain}` });
        else if (primary !== undefined) evidence.push({ kind: 'domain', detail: `domain ${domain}` });
        if (alias !== undefined) evidence.push({ kind: 'alias domain', detail: `alias domain ${domain}` });
        if (nameKeyOfQuery) {
          const score = nameSimilarity(nameKeyOfQuery, this.#keys[slot]!);
          if (score >= POSSIBLE_NAME_SCORE) evidence.push(nameEvidence(score, company));
        }
        return { status: 'in-crm', company, evidence };
      }
    }
    if (nameKeyOfQuery) {
      const best = this.#bestByName(nameKeyOfQuery, queryTokens);
      if (best)
        return { status: 'possible', company: best.company, evidence: [nameEvidence(best.score, best.company)] };
      const shortOrLong = this.#sameLeadingWords(queryTokens, normalised !== null);
      if (shortOrLong) {
        const detail = `first words match (${shortOrLong.name})`;
        return { status: 'possible', company: shortOrLong, evidence: [{ kind: 'name', detail }] };
      }
    }
    return { status: 'not-in-crm', company: null, evidence: [] };
  }

  matchMany(queries: readonly MatchQuery[]): MatchResult[] {
    return queries.map((query) => this.matchCompany(query));
  }

  /**
   * For the CRM list: companies whose name, domain, alias domain or tag contains every word typed,
   * sorted by name. Not on the matching path, so a scan over 100,000 short strings (a few ms) is fine.
   */
  search(text: string, offset = 0, limit = 100): SearchPage {
    const sorted = this.#sortedByName();
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return { total: sorted.length, companies: sorted.slice(offset, offset + limit) };
    const companies: Company[] = [];
    let total = 0;
    for (const company of sorted) {
      const haystack = searchText(company);
      if (words.every((word) => haystack.includes(word))) {
        if (total >= offset && companies.length < limit) companies.push(company);
        total++;
      }
    }
    return { total, companies };
  }

  #bestByName(key: string, tokens: string[]): { company: Company; score: number } | null {
    const buckets: number[][] = [];
    const exact = members(this.#byNameKey.get(key));
    if (exact) buckets.push(exact);
    const fuzzy: number[][] = [];
    const consider = (bucket: number[] | undefined) => {
      if (bucket && bucket.length <= MAX_BUCKET) fuzzy.push(bucket);
    };
    for (const token of new Set(tokens)) if (token !== key) consider(members(this.#byToken.get(token)));
    for (const bucket of shapesOf(key)) consider(members(this.#byShape.get(bucket)));
    fuzzy.sort((a, b) => a.length - b.length);
    buckets.push(...fuzzy);

    const stamp = this.#nextStamp();
    const seen = this.#seen;
    const keys = this.#keys;
    let bestSlot = -1;
    let bestScore = 0;
    let scored = 0;
    for (const bucket of buckets) {
      for (const slot of bucket) {
        if (seen[slot] === stamp) continue;
        seen[slot] = stamp;
        if (++scored > MAX_CANDIDATES) break;
        const candidateKey = keys[slot]!;
        // Dice can reach at most 2·min/(sum) of the bigram counts: skip names whose length rules them out.
        const shorter = Math.min(key.length, candidateKey.length) - 1;
        const bound = (2 * shorter) / (key.length + candidateKey.length - 2);
        if (bound < POSSIBLE_NAME_SCORE || bound <= bestScore) continue;
        const score = nameSimilarity(key, candidateKey);
        if (score >= POSSIBLE_NAME_SCORE && score > bestScore) {
          bestScore = score;
          bestSlot = slot;
          if (score === 1) break;
        }
      }
      if (scored > MAX_CANDIDATES || bestScore === 1) break;
    }
    return bestSlot < 0 ? null : { company: this.#slots[bestSlot]!, score: bestScore };
  }

  /**
   * The one company whose name is the query's with words added or dropped at the end ("Okapi" and "Okapi
   * Health"): a CRM often keeps the short or the legal name, a newsletter the brand. Such a name is weaker than a
   * close spelling, so it counts only where a domain cannot decide (the link's is hidden or the company has none:
   * two different domains say two companies), and only when no other company qualifies, or "Open" would be
   * matched to whichever "Open …" came first.
   */
  #sameLeadingWords(queryTokens: readonly string[], queryHasDomain: boolean): Company | null {
    const first = queryTokens[0];
    if (!first) return null;
    const queryKey = queryTokens.join('');
    let found: Company | null = null;
    for (const bucket of [this.#byNameKey.get(first), this.#byToken.get(first)]) {
      const slots = members(bucket) ?? [];
      if (slots.length > MAX_BUCKET) return null;
      for (const slot of slots) {
        const company = this.#slots[slot];
        if (!company || company === found || (queryHasDomain && company.domain)) continue;
        // Leading words alike means one key starts the other: a test on the kept key spares most names a split.
        const key = this.#keys[slot]!;
        if (!(key.length > queryKey.length ? key.startsWith(queryKey) : queryKey.startsWith(key))) continue;
        if (!leadingWordsAlike(queryTokens, nameTokens(company.name))) continue;
        if (found) return null;
        found = company;
      }
    }
    return found;
  }

  #nextStamp(): number {
    if (this.#seen.length < this.#slots.length) {
      this.#seen = new Uint32Array(Math.max(this.#slots.length, this.#seen.length * 2));
      this.#stamp = 0;
    }
    this.#stamp = (this.#stamp + 1) >>> 0;
    if (this.#stamp === 0) {
      this.#seen.fill(0);
      this.#stamp = 1;
    }
    return this.#stamp;
  }

  #insert(company: Company): void {
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = company;
    this.#slotOf.set(company.id, slot);
    if (company.domain && !this.#byDomain.has(company.domain)) this.#byDomain.set(company.domain, slot);
    for (const alias of company.aliasDomains) if (!this.#byAlias.has(alias)) this.#byAlias.set(alias, slot);
    const { key, tokens, shapes } = nameBuckets(company.name);
    this.#keys[slot] = key;
    if (key) {
      pushTo(this.#byNameKey, key, slot);
      for (const token of tokens) pushTo(this.#byToken, token, slot);
      for (const bucket of shapes) pushTo(this.#byShape, bucket, slot);
    }
    this.#sorted = null;
  }

  #remove(id: string): void {
    const slot = this.#slotOf.get(id)!;
    const company = this.#slots[slot]!;
    this.#slotOf.delete(id);
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    if (company.domain && this.#byDomain.get(company.domain) === slot) {
      this.#byDomain.delete(company.domain);
      this.#reclaimDomain(company.domain);
    }
    for (const alias of company.aliasDomains) {
      if (this.#byAlias.get(alias) === slot) {
        this.#byAlias.delete(alias);
        this.#reclaimDomain(alias);
      }
    }
    const key = this.#keys[slot]!;
    this.#keys[slot] = '';
    if (key) {
      const { tokens, shapes } = nameBuckets(company.name);
      removeFrom(this.#byNameKey, key, slot);
      for (const token of tokens) removeFrom(this.#byToken, token, slot);
      for (const bucket of shapes) removeFrom(this.#byShape, bucket, slot);
    }
    this.#sorted = null;
  }

  /**
   * Two records can claim one domain (an import that kept both); when the indexed owner goes,
   * hand the domain to the other. Rare, so a scan is acceptable here.
   */
  #reclaimDomain(domain: string): void {
    this.#slots.forEach((other, slot) => {
      if (!other) return;
      if (other.domain === domain && !this.#byDomain.has(domain)) this.#byDomain.set(domain, slot);
      if (other.aliasDomains.includes(domain) && !this.#byAlias.has(domain)) this.#byAlias.set(domain, slot);
    });
  }

  #sortedByName(): Company[] {
    if (!this.#sorted) {
      const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
      this.#sorted = [...this.all()].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    }
    return this.#sorted;
  }
}

const searchTexts = new WeakMap<Company, string>();

function searchText(company: Company): string {
  let text = searchTexts.get(company);
  if (text === undefined) {
    text = [company.name, company.domain ?? '', ...company.aliasDomains, ...company.tags].join(' ').toLowerCase();
    searchTexts.set(company, text);
  }
  return text;
}

/** One name is the other with words added at the end, and the shorter is not a fragment ("AI", "Go"). */
function leadingWordsAlike(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === longer.length || shorter.join('').length < MIN_LEADING_NAME) return false;
  return shorter.every((word, index) => longer[index] === word);
}

function nameEvidence(score: number, company: Company): MatchEvidence {
  const rounded = Math.floor(score * 100) / 100;
  return { kind: 'name', detail: `name ≈ ${rounded.toFixed(2)} (${company.name})`, score: rounded };
}

/**
 * The verdicts for queries among records a remote CRM returned (its search is broad on purpose):
 * the same index and rules as the local CRM, over just those records.
 */
export function matchAmong(queries: readonly MatchQuery[], companies: Iterable<Company>): MatchResult[] {
  return new CrmIndex(companies).matchMany(queries);
}
