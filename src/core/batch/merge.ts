/**
 * One table across newsletters: every mention of a startup, merged by its registrable domain, or by its name when a
 * tracker hides the destination. Written over a minimal mention shape, so any producer of rows (the link report
 * today, the agent's rows tomorrow) can feed it; domains and names compare by the CRM's rules (`crm/normalise.ts`,
 * `crm/names.ts`), so "the same company" means the same thing here as in the CRM match.
 */
import { getDomainWithoutSuffix } from 'tldts';
import { nameKey } from '../crm/names.ts';
import { registrableDomain } from '../crm/normalise.ts';

/** One startup mentioned once in one newsletter. */
export interface Mention {
  name: string;
  url: string;
  /** Registrable domain (or any host or URL: it is reduced here); null when a tracker hides the destination. */
  domain: string | null;
  /** The sentence it appeared in. */
  context: string;
  /** The newsletter's stable key (`NewsletterMeta.key`). */
  newsletterId: string;
  /** How the newsletter is shown: its sender's name, or its title. */
  newsletterName: string;
  /** When the newsletter was sent (ISO), or null. */
  date: string | null;
  /** Who called it a startup when a model was asked (`model, confirmed by a second sample`); absent: the rules. */
  decidedBy?: string;
  /** The newsletter marks it as paid placement (a sponsor block); absent: editorial. */
  sponsored?: boolean;
}

export interface MentionSource {
  newsletterId: string;
  newsletterName: string;
  date: string | null;
  context: string;
  url: string;
  decidedBy?: string;
  sponsored?: boolean;
}

export interface MergedStartup {
  /** `domain:acme.com`, or `name:acmerobotics` for a startup only ever seen behind trackers. */
  key: string;
  name: string;
  domain: string | null;
  url: string;
  /** Mentions across the batch (a newsletter mentioning it twice counts once). */
  mentions: number;
  /** Distinct senders that mentioned it. */
  newsletters: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Every mention, oldest first. */
  sources: MentionSource[];
  /** Set by `markNew`; true until then. */
  isNew: boolean;
}

interface Group {
  domain: string | null;
  nameKeys: Set<string>;
  names: Map<string, number>;
  urls: Map<string, number>;
  /** Newsletter id → its mention: one per newsletter. */
  sources: Map<string, MentionSource>;
}

function newGroup(domain: string | null): Group {
  return { domain, nameKeys: new Set(), names: new Map(), urls: new Map(), sources: new Map() };
}

function bump(counts: Map<string, number>, value: string): void {
  if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** The most frequent value; ties go to the shorter (a homepage over a deep link, "Acme" over "Acme's new app"). */
function mostCommon(counts: Map<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value.length < best.length)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const byDate = (a: MentionSource, b: MentionSource) =>
  (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || a.newsletterName.localeCompare(b.newsletterName);

/**
 * Merges mentions as they come (a batch adds each newsletter's mentions when it is done); `table()` gives the
 * merged rows at any point. A startup first seen by name behind a tracker joins its domain's row as soon as a
 * mention with that domain and the same name (or a domain spelling the name) arrives.
 */
export class StartupMerger {
  readonly #byDomain = new Map<string, Group>();
  readonly #byName = new Map<string, Group>();

  add(mention: Mention): void {
    const domain = mention.domain ? registrableDomain(mention.domain) : null;
    const key = nameKey(mention.name);
    let group: Group;
    if (domain) {
      group = this.#byDomain.get(domain) ?? newGroup(domain);
      this.#byDomain.set(domain, group);
      // The domain spells the name a tracker-hidden mention may go by: `quillmate.io`, `acme.co.uk`.
      const domainName = nameKey(getDomainWithoutSuffix(domain, { allowPrivateDomains: true }) ?? '');
      if (domainName) group.nameKeys.add(domainName);
    } else {
      // Without a destination only the name is left; a nameless, domainless link names nothing.
      if (!key) return;
      group = this.#byName.get(key) ?? newGroup(null);
      this.#byName.set(key, group);
    }
    if (key) group.nameKeys.add(key);
    bump(group.names, mention.name.trim());
    bump(group.urls, mention.url);
    if (!group.sources.has(mention.newsletterId)) {
      group.sources.set(mention.newsletterId, {
        newsletterId: mention.newsletterId,
        newsletterName: mention.newsletterName,
        date: mention.date,
        context: mention.context,
        url: mention.url,
        ...(mention.decidedBy ? { decidedBy: mention.decidedBy } : {}),
        ...(mention.sponsored ? { sponsored: true } : {}),
      });
    }
  }

  addAll(mentions: Iterable<Mention>): void {
    for (const mention of mentions) this.add(mention);
  }

  /** The merged rows, most mentioned first (then most recent, then by name). */
  table(): MergedStartup[] {
    const domainByName = new Map<string, Group>();
    for (const group of this.#byDomain.values()) {
      for (const key of group.nameKeys) if (!domainByName.has(key)) domainByName.set(key, group);
    }
    const rows: MergedStartup[] = [];
    const folded = new Map<Group, Group[]>();
    for (const [key, group] of this.#byName) {
      const home = domainByName.get(key);
      if (home) folded.set(home, [...(folded.get(home) ?? []), group]);
      else rows.push(row(`name:${key}`, [group]));
    }
    for (const [domain, group] of this.#byDomain)
      rows.push(row(`domain:${domain}`, [group, ...(folded.get(group) ?? [])]));
    return rows.sort(
      (a, b) =>
        b.mentions - a.mentions || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.name.localeCompare(b.name),
    );
  }
}

function row(key: string, groups: Group[]): MergedStartup {
  const [main] = groups as [Group, ...Group[]];
  const names = new Map<string, number>();
  const urls = new Map<string, number>();
  const sources = new Map<string, MentionSource>();
  for (const group of groups) {
    for (const [name, count] of group.names) names.set(name, (names.get(name) ?? 0) + count);
    for (const [url, count] of group.urls) urls.set(url, (urls.get(url) ?? 0) + count);
    for (const [id, source] of group.sources) if (!sources.has(id)) sources.set(id, source);
  }
  // A mention with the real destination is the better link than one behind a tracker.
  const url = mostCommon(main.urls) || mostCommon(urls);
  const ordered = [...sources.values()].sort(byDate);
  const dates = ordered.map((source) => source.date).filter((date): date is string => date !== null);
  return {
    key,
    name: mostCommon(names) || main.domain || url,
    domain: main.domain,
    url,
    mentions: ordered.length,
    newsletters: new Set(ordered.map((source) => source.newsletterName)).size,
    firstSeen: dates[0] ?? null,
    lastSeen: dates.at(-1) ?? null,
    sources: ordered,
    isNew: true,
  };
}

export function mergeMentions(mentions: Iterable<Mention>): MergedStartup[] {
  const merger = new StartupMerger();
  merger.addAll(mentions);
  return merger.table();
}

export interface NewSince {
  /** Only startups first seen on or after this date (ISO) are new. */
  since?: string;
  /** Keys (`MergedStartup.key`) known from before (the last batch, from history): those are not new. */
  seenKeys?: ReadonlySet<string>;
}

/** The table with `isNew` set: not among the keys seen before, and first seen on or after `since`. */
export function markNew(table: readonly MergedStartup[], rule: NewSince): MergedStartup[] {
  return table.map((startup) => ({
    ...startup,
    isNew:
      !(rule.seenKeys?.has(startup.key) ?? false) &&
      (rule.since === undefined || (startup.firstSeen !== null && startup.firstSeen >= rule.since)),
  }));
}

/** How many of its mentions (one per newsletter issue) ran it as paid placement, a sponsor. */
export function sponsoredIn(startup: Pick<MergedStartup, 'sources'>): number {
  return startup.sources.filter((source) => source.sponsored).length;
}
