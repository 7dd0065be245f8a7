/**
 * The knowledge lists, loaded once into one host → verdict map. Each list is a JSON file with its sources; this
 * module only indexes them. A host is looked up with each parent domain in turn, so `apps.apple.com` can be an
 * app store while `apple.com` is a large company.
 */
import { getDomainWithoutSuffix } from 'tldts';
import type { LinkKind } from '../types.ts';
import appstores from './appstores.json';
import bigco from './bigco.json';
import code from './code.json';
import firstNameList from './first-names.json';
import givenNameList from './given-names.json';
import images from './images.json';
import institutions from './institutions.json';
import investors from './investors.json';
import media from './media.json';
import newsletterPlatforms from './newsletter-platforms.json';
import places from './places.json';
import social from './social.json';

export interface KnownHost {
  kind: LinkKind;
  /** Why, in words for the features list. */
  feature: string;
}

interface DomainList {
  kind: string;
  feature?: string;
  domains: string[];
  /** Names the domains' owners go by when they differ from the domain (`Wall Street Journal` for wsj.com). */
  names?: string[];
  /** Host suffixes, matched at a dot boundary, that say the kind of every host under them (`edu`, `vc`). */
  suffixes?: string[];
}

const defaultFeature: Partial<Record<LinkKind, string>> = {
  social: 'a social network or podcast/video host',
  media: 'a news or media outlet',
  bigco: 'a large established company',
  appstore: 'an app store listing',
  code: 'a code, package, docs or research host',
  newsletter: "a newsletter platform's own page",
  image: 'an image or tracking-pixel host',
};

const knownHosts = new Map<string, KnownHost>();
/** Suffixes (`edu`, `ac.uk`, `vc`) → verdict, asked only after every named host of the lists. */
const knownSuffixes = new Map<string, KnownHost>();
/** Squashed names (`wallstreetjournal`, `techcrunch`) → verdict: how an anchor text is recognised without a URL. */
const knownNames = new Map<string, KnownHost>();

/** Plain ASCII: no character decomposes, and its letters and digits are `a-z` and `0-9` once lower-cased. */
export const asciiOnly = /^[^\u0080-\uffff]*$/;

/**
 * `text` lower-cased with all but its letters and digits dropped, when it is plain ASCII; else null (its letters need
 * Unicode classes). Names are squashed for every look-up: scanned by hand, this costs half of the `asciiOnly` test,
 * lower-casing and replace it stands for.
 */
export function squashAscii(text: string): string | null {
  let kept = '';
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x80) return null;
    const letterOrDigit =
      (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
    if (!letterOrDigit) {
      kept += text.slice(from, at);
      from = at + 1;
    }
  }
  return (from === 0 ? text : kept + text.slice(from)).toLowerCase();
}

function squashName(text: string): string {
  // Most names are ASCII; Unicode normalisation and property classes cost several times the plain path.
  return (
    squashAscii(text) ??
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '')
  );
}

// Later lists win on overlap, so the most specific lists come last (an image CDN on a newsletter platform's domain).
const lists: DomainList[] = [
  media,
  bigco,
  social,
  code,
  appstores,
  investors,
  institutions,
  newsletterPlatforms,
  images,
];
for (const list of lists) {
  const kind = list.kind as LinkKind;
  const feature = list.feature ?? defaultFeature[kind] ?? kind;
  for (const domain of list.domains) {
    knownHosts.set(domain.toLowerCase(), { kind, feature });
    // The first label names the owner (`techcrunch` in techcrunch.com); short ones (`ft`, `ge`) are too ambiguous.
    const label = getDomainWithoutSuffix(domain.toLowerCase(), { allowPrivateDomains: true }) ?? '';
    if (label.length >= 4 && !knownNames.has(label)) knownNames.set(label, { kind, feature });
  }
  for (const name of list.names ?? []) knownNames.set(squashName(name), { kind, feature });
  for (const suffix of list.suffixes ?? []) knownSuffixes.set(suffix.toLowerCase(), { kind, feature });
}

/** Every domain of the knowledge lists (the brands a look-alike would pass for). */
export function knownDomains(): IterableIterator<string> {
  return knownHosts.keys();
}

const placeNames = new Set(places.names.map(squashName));

/** What the knowledge lists say about a name written in a newsletter (an anchor text), or null. */
export function lookUpName(name: string): KnownHost | null {
  const squashed = squashName(name);
  // "The Wall Street Journal", "the Verge": the article is not part of the name.
  return knownNames.get(squashed) ?? (squashed.startsWith('the') ? knownNames.get(squashed.slice(3)) : null) ?? null;
}

const placeCodes = new Set(places.codes);

/** A country's or US state's code as written in brackets after a name (`USA`, `FR`, `CA`), not any acronym. */
export function isPlaceCode(code: string): boolean {
  return placeCodes.has(code);
}

/** A country, state or city. */
export function isPlace(name: string): boolean {
  return placeNames.has(squashName(name));
}

/** What the knowledge lists say about a host, most specific host first; null when nothing. */
export function lookUpHost(host: string): KnownHost | null {
  let suffix = host.toLowerCase();
  for (;;) {
    const known = knownHosts.get(suffix);
    if (known) return known;
    const bySuffix = knownSuffixes.get(suffix);
    if (bySuffix) return bySuffix;
    const dot = suffix.indexOf('.');
    if (dot < 0) return null;
    suffix = suffix.slice(dot + 1);
  }
}

const firstNames = new Set(firstNameList.names);

export function isFirstName(word: string): boolean {
  return firstNames.has(word.toLowerCase());
}

const givenNames = new Set(givenNameList.names);

/** A given name in any of many languages: wide enough that only the first word of a full name may be asked. */
export function isGivenName(word: string): boolean {
  return givenNames.has(word.toLowerCase());
}
