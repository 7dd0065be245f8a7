/**
 * The features the learned scorer reads for one link: named signals that describe newsletters in general (the
 * destination's shape, the anchor, the sentence, the heading, the document), and hashed words of the anchor, the
 * sentence and the heading. Pure and deterministic: the same link and document give the same vector, and the
 * vector is a sparse list of (index, value) pairs in a fixed space of `featureCount` dimensions.
 *
 * Named signals appear twice: once shared by every link, once only for links of their group (behind an opaque
 * tracker, or with a known destination). The scorer learns what a signal means everywhere and how much more it
 * means in one group: a sentence says far more about a wrapped link than about one whose domain can be read.
 */
import { isFirstName, isGivenName, isPlace, isPlaceCode, lookUpHost, lookUpName } from './data/index.ts';
import type { UnclassifiedLink } from './classify.ts';
import {
  capitalisedPhrases,
  completeFromDomain,
  domainLabel,
  guessName,
  letterOrDigitChar,
  looksLikeFullName,
  looksLikePerson,
  nameInHeadline,
  nameLikeAnchor,
  namesDomain,
  opensWith,
  personalDomain,
  properName,
  squash,
  newsSubject,
  wordRunNaming,
} from './names.ts';
import type { NameGuess } from './names.ts';
import { isWhitespace } from './parse/context.ts';
import {
  boilerplatePath,
  companyPath,
  companyWords,
  cut,
  datedPath,
  eventWords,
  fundingAcross,
  genericAnchor,
  investorLabel,
  libraryHost,
  moneyAmount,
  outletLabel,
  parenthesisOpening,
  ownNews,
  sentenceWords,
  type SentenceWords,
  podcastTld,
  pressHost,
  productHeading,
  slugNews,
  sponsorWords,
  startupHeading,
  startupTld,
  startupWords,
  statedDomain,
  statedEnding,
} from './signals.ts';

/** Each named signal: its id (stable, in the model file) and what it means, in words for the features list. */
export const namedSignals = [
  ['opaque', 'behind a tracker that needs a network request'],
  ['homePage', "the site's home page"],
  ['companyPage', "the company's about, pricing, product or careers page"],
  ['articlePath', 'an article or document path'],
  ['deepPath', 'a page three or more levels deep'],
  ['ownNewsSlug', 'the page announces its own funding or launch'],
  ['otherNewsSlug', 'the page reports news about another company'],
  ['startupTld', 'a startup-style domain ending (.ai, .io, .dev…)'],
  ['orgTld', 'a .org domain'],
  ['subdomain', 'a subdomain (blog., docs., app.…)'],
  ['docsOrBlogHost', 'a docs, blog or developer subdomain'],
  ['pressHost', 'a press-release or investor-relations site'],
  ['investorDomain', 'the domain names a fund'],
  ['personalDomain', "a person's own site (the domain is a name)"],
  ['boilerplatePath', 'a legal, status or help page'],
  ['podcastTld', 'a podcast (.fm)'],
  ['libraryHost', "an open-source library's own site"],
  ['outletLabel', 'the domain names an outlet (news, weekly, review…)'],
  ['anchorNamesDomain', 'the anchor names the domain'],
  ['sentenceNamesDomain', 'the sentence names the domain'],
  ['sourceCited', 'a "more here" link to a site the sentence names (a source)'],
  ['labelInAnchor', "the domain's name is a word of the anchor"],
  ['nameIsPerson', 'the name that matches the domain is a person'],
  ['anchorEmpty', 'no anchor text'],
  ['anchorGeneric', 'a generic anchor (read more, here…)'],
  ['anchorUrl', 'the anchor is an address'],
  ['anchorOneWord', 'a one-word anchor'],
  ['anchorFewWords', 'a two- or three-word anchor'],
  ['anchorSomeWords', 'a four- to six-word anchor'],
  ['anchorManyWords', 'an anchor of seven words or more'],
  ['anchorNameLike', 'the anchor is a proper name'],
  ['anchorAllCaps', 'the anchor is in capitals'],
  ['anchorHandle', 'a social handle (@…)'],
  ['anchorVersion', 'the anchor has a version number'],
  ['anchorPerson', 'the anchor names a person'],
  ['anchorFullName', 'the anchor is a given name and a surname (Uma Roy)'],
  ['anchorGivenName', 'the anchor is one word that is a given name somewhere (Maria, Kenji)'],
  ['anchorAcronym', 'the anchor is a short acronym (AI, RL, GPUs)'],
  ['anchorNoLetters', 'the anchor has no letters (a time, a number)'],
  ['anchorModelName', 'the anchor is a model or version name (GPT-5, GLM-5.1)'],
  ['anchorNamesKnown', 'the anchor names a known outlet or large company'],
  ['anchorNamesSender', 'the anchor names the newsletter itself'],
  ['personAppositive', 'the sentence introduces it as a person ("X, co-founder of …")'],
  ['anchorPlace', 'the anchor names a place'],
  ['anchorImage', 'an image link'],
  ['anchorFunding', 'funding words in the anchor'],
  ['anchorLaunch', 'launch words in the anchor'],
  ['anchorQuestion', 'the anchor is a question'],
  ['anchorPossessive', "the anchor has a possessive ('s): a title"],
  ['headlineNamesCompany', 'the anchor is a headline about a named company'],
  ['noSentence', 'no sentence around the link'],
  ['ownSiteInSentence', 'a sentence names it and links its own site'],
  ['ownSitePost', "the anchor names the site and links a post on it (the company's own blog)"],
  ['sentenceFunding', 'funding or company words in the sentence'],
  ['sentenceMoney', 'an amount of money in the sentence'],
  ['sentenceLaunch', 'launch words in the sentence'],
  ['anchorIsSubject', 'the sentence is about it (its subject)'],
  ['appositive', 'the sentence describes it ("X, a …")'],
  ['locatedAfter', 'the sentence says where it is based'],
  ['builtBy', 'someone builds, runs or founded it'],
  ['calledCompany', 'the sentence names it as a company ("a startup called X")'],
  ['investedIn', 'someone invested in or backs it ("an investor in X", "we backed X")'],
  ['usedAsProduct', 'the sentence uses or compares with it as a product'],
  ['listedAmong', 'listed among others ("such as", "including", "like")'],
  ['roleNearby', 'a founder or executive of it is named ("CEO of X", "X CEO")'],
  ['mentionedElsewhere', 'named again in other sentences of the newsletter'],
  ['sourceBefore', 'introduced as a source ("per", "via", "according to")'],
  ['writingBefore', 'a piece of writing is named just before it ("essays like", "her post on")'],
  ['ownedBefore', 'something of someone else\'s ("its BotQ line", "OpenAI responded with its Codex")'],
  ['relationBefore', 'someone\'s friend, colleague or relative ("my friend X", "her co-founder X")'],
  ['creditedAfter', 'a title credited to its author or outlet ("… (Noah Smith)", "… (The Economist)")'],
  ['statedDomain', 'the text states its domain'],
  ['otherCompanyNews', 'the sentence is news about another company'],
  ['sponsored', 'in a sponsor block'],
  ['eventNamed', 'an event to attend (a conference, summit or meetup, its tickets or talks)'],
  ['investorNamed', 'named as an investor ("led by X", "raised $5M from X", "X led the round")'],
  ['headingCompanies', 'in a section about companies, deals or launches'],
  ['headingLaunches', 'in a section of launches (Show HN, Product Hunt)'],
  ['headingEmpty', 'no heading above it'],
  ['repeated', 'linked more than once'],
  ['docOpaqueShare', 'the share of the newsletter behind opaque trackers'],
  ['sectionNewsShare', 'the share of the other links under its heading told as company news (funding, a launch)'],
  [
    'sectionPresentsCompanies',
    'the other links under its heading are presented as companies (the subject, "X, a …", where it is based)',
  ],
  ['sectionLinksHomePages', "the other links under its heading lead to companies' home or product pages"],
  ['docNewsShare', "the share of the newsletter's links told as company news (funding, a launch)"],
  ['presentedAsCompany', 'the text presents it as a company (built, backed, based somewhere, its own site or domain)'],
  ['presentedAsPerson', 'the text presents it as a person (a given name, a full name, a role after it)'],
  [
    'otherKindOfSite',
    'the site is of another kind (a person, a library, an outlet, a fund, a podcast, a press or legal page)',
  ],
  ['newsAboutIt', 'news about it: its funding or launch in the anchor or the page address'],
  [
    'presentedAsOther',
    'the text presents it as something else (a piece of writing, a source, a place, a model, an investor)',
  ],
] as const;

export type SignalId = (typeof namedSignals)[number][0];

const signalIndex = new Map<string, number>(namedSignals.map(([id], index) => [id, index]));
const signalCount = namedSignals.length;
/**
 * The groups a named signal is copied into: wrapped links whose anchor is a proper name (the sentence is all there is
 * to judge the name by), other wrapped links (headlines, calls to action), and links whose destination is known.
 */
export const linkGroups = ['wrapped, named', 'wrapped', 'direct'] as const;
/** The shared copy, then one copy per group. */
export const namedFeatureCount = (1 + linkGroups.length) * signalCount;
/** Hashed words share this many buckets; collisions cost little at the corpus's size. */
export const hashBuckets = 4096;
export const featureCount = namedFeatureCount + hashBuckets;

/**
 * A sparse feature vector. `namespaces` and `words` name each hashed entry (`anchor`, `acme`) for the reasons shown to
 * the user, and are '' for a named signal: kept apart, not joined as `anchor:acme`, since a link has dozens of hashed
 * entries and only its strongest few are ever described.
 */
export interface FeatureVector {
  indices: number[];
  values: number[];
  namespaces: string[];
  words: string[];
}

/** What the document as a whole tells each link. */
export interface DocumentFacts {
  /** Share of the document's links behind opaque trackers, 0..1. */
  opaqueShare: number;
  /** The newsletter's own domain labels (`strictlyvc`). */
  senderLabels: ReadonlySet<string>;
  /** For each name-like anchor, how many links' sentences name it. */
  mentions: ReadonlyMap<string, number>;
  /**
   * Per heading: its links, and how many of their sentences are company news. A section of deals or launches and an
   * essay's paragraphs both link bare names; what the names next to a link are doing tells them apart, whatever
   * words the newsletter uses for its headings.
   */
  sections: ReadonlyMap<string, Section>;
  /** The share of all the links whose sentence is company news. */
  newsShare: number;
  /** What each link's sentence (cut) says by its words: read here for the shares, kept so no link reads it twice. */
  wordsBySentence: ReadonlyMap<string, SentenceWords>;
}

/** One heading's links and what its words say; every link under it asks the same questions of the same heading. */
interface Section {
  links: number;
  news: number;
  words: HeadingWords;
}

/** What a heading (cut) says by its words. */
interface HeadingWords {
  empty: boolean;
  /** `sponsorWords` */
  sponsor: boolean;
  /** `startupHeading` */
  companies: boolean;
  /** `productHeading` */
  launches: boolean;
}

function headingWords(heading: string): HeadingWords {
  return {
    empty: heading.trim() === '',
    sponsor: sponsorWords.test(heading),
    companies: startupHeading.test(heading),
    launches: productHeading.test(heading),
  };
}

/** Funding, an amount or a launch in the sentence. */
const isNews = (words: SentenceWords): boolean => words.funding || words.money || words.launch;

export function documentFacts(links: readonly UnclassifiedLink[], senderLabels: ReadonlySet<string>): DocumentFacts {
  const opaque = links.reduce((count, link) => count + (link.needsNetwork ? 1 : 0), 0);
  // Names are counted in at most 200 links' sentences: enough to tell a company discussed from one named once.
  const sentences = [...new Set(links.slice(0, 200).map((link) => cut(link.context)))];
  // One search through all the sentences per name, not one per sentence: a name-like anchor has its whitespace
  // collapsed, so it holds no line break and a match in the joined text lies within one sentence.
  const joined = sentences.join('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const sentence of sentences) {
    starts.push(offset);
    offset += sentence.length + 1;
  }
  const mentions = new Map<string, number>();
  for (const link of links.slice(0, 200)) {
    const name = nameLikeAnchor(cut(link.text));
    if (!name || name.length < 3 || mentions.has(name)) continue;
    let count = 0;
    for (let at = joined.indexOf(name); at >= 0;) {
      count++;
      const next = sentenceAfter(starts, at);
      at = next < starts.length ? joined.indexOf(name, starts[next]) : -1;
    }
    mentions.set(name, count);
  }
  const sections = new Map<string, Section>();
  const wordsBySentence = new Map<string, SentenceWords>();
  let news = 0;
  for (const link of links) {
    const key = cut(link.heading);
    let section = sections.get(key);
    if (!section) {
      section = { links: 0, news: 0, words: headingWords(key) };
      sections.set(key, section);
    }
    section.links++;
    const sentence = cut(link.context);
    let words = wordsBySentence.get(sentence);
    if (!words) {
      words = sentenceWords(sentence);
      wordsBySentence.set(sentence, words);
    }
    if (isNews(words)) {
      section.news++;
      news++;
    }
  }
  return {
    opaqueShare: links.length === 0 ? 0 : opaque / links.length,
    senderLabels,
    mentions,
    sections,
    newsShare: links.length === 0 ? 0 : news / links.length,
    wordsBySentence,
  };
}

/** The index of the first sentence starting after `at` (`starts` ascending, `starts[0]` = 0). */
function sentenceAfter(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Whether `text` holds at least `count` letters and digits (what `squash` keeps), counted only as far as needed:
 * a sentence runs to hundreds of characters and this is asked for every link, so ASCII is told without a pattern.
 */
function hasMoreLetters(text: string, count: number): boolean {
  let seen = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.codePointAt(at)!;
    if (isLetterOrDigit(code, text, at) && ++seen >= count) return true;
    if (code > 0xffff) at++;
  }
  return false;
}

/** A phrase or its first word names a known company or outlet; a one-word phrase is its own first word, asked once. */
function namesKnown(phrase: string): boolean {
  const space = phrase.indexOf(' ');
  return lookUpName(phrase) !== null || (space > 0 && lookUpName(phrase.slice(0, space)) !== null);
}

function namesAnyOf(phrases: readonly string[], labels: ReadonlySet<string>): boolean {
  for (const label of labels) if (phrases.some((phrase) => namesDomain(phrase, label))) return true;
  return false;
}

const fnvOffset = 0x811c9dc5;

/** FNV-1a over UTF-16 code units, continued from `hash`: a stable hash that needs no library and no seed. */
function fnv(text: string, hash: number): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/** Each namespace's `namespace:` hashed once: a word's hash goes on from there, so `namespace:word` is never flattened. */
const namespaceHashes = new Map<string, number>();

/** The bucket of `namespace:word`, the FNV-1a hash of that key. */
function hashWord(namespace: string, word: string): number {
  let prefix = namespaceHashes.get(namespace);
  if (prefix === undefined) {
    prefix = fnv(`${namespace}:`, fnvOffset);
    namespaceHashes.set(namespace, prefix);
  }
  return (fnv(word, prefix) >>> 0) % hashBuckets;
}

/** Whether the code point `code`, at `at` in `text`, is a letter or digit; only a non-ASCII one is cut out to ask. */
function isLetterOrDigit(code: number, text: string, at: number): boolean {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  return letterOrDigitChar.test(text.slice(at, at + (code > 0xffff ? 2 : 1)));
}

const isCurrency = (code: number): boolean => code === 0x24 || code === 0x20ac || code === 0xa3;
/** Inside a word, `.`, `'`, `’` and `-` join its parts (`e.g`, `o’neil`, `pre-seed`) but never end it; `&` does both. */
const isTrailing = (code: number): boolean => code === 0x2e || code === 0x27 || code === 0x2019 || code === 0x2d;

/**
 * Lower-cased word tokens, accents kept, at most `limit` of them: a word starts with a letter, a digit or a currency
 * sign and goes on through those, `&` and the joiners, then loses its trailing joiners. Scanned by hand: asked several
 * times per link, the regular expression's match objects were the scorer's largest cost.
 */
function tokens(text: string, limit = 40): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  let start = -1;
  let end = 0;
  for (let at = 0; at <= lower.length;) {
    const code = at < lower.length ? lower.codePointAt(at)! : -1;
    const width = code > 0xffff ? 2 : 1;
    const wordChar = code >= 0 && (isCurrency(code) || isLetterOrDigit(code, lower, at));
    if (start < 0) {
      if (wordChar) {
        start = at;
        end = at + width;
      }
    } else if (wordChar || code === 0x26) {
      end = at + width;
    } else if (!isTrailing(code)) {
      out.push(lower.slice(start, end));
      if (out.length >= limit) break;
      start = -1;
    }
    at += width;
  }
  return out;
}

/**
 * How many words `text.split(/\s+/)` gives (one more than its runs of whitespace), or 0 for an empty text: every
 * anchor asks only the count, and counting makes no array.
 */
function wordCount(text: string): number {
  if (text === '') return 0;
  let count = 1;
  let inSpace = false;
  for (let at = 0; at < text.length; at++) {
    const isSpace = isWhitespace(text.charCodeAt(at));
    if (isSpace && !inSpace) count++;
    inSpace = isSpace;
  }
  return count;
}

/**
 * How many non-empty segments a path has, and the first (`''` for none): what `readLink` reads of
 * `path.split('/').filter(…)`, found without the two arrays.
 */
function pathSegments(path: string): [count: number, first: string] {
  let count = 0;
  let first = '';
  for (let start = 0; start <= path.length;) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    if (end > start && count++ === 0) first = path.slice(start, end);
    start = end + 1;
  }
  return [count, first];
}

/** Words for a piece of writing or talk: a link right after them is usually that piece, not a company. */
const writingWords =
  /\b(essays?|pieces?|posts?|articles?|deep[- ]dives?|write-?ups?|wrote|written|newsletters?|podcasts?|episodes?|interviews?|threads?|papers?|tweets?|blogs?|videos?|talks?|books?)\b/i;
/** The words that open a list of writing; `spacedListOpening` reads the same words, spaced as `writingList` needs. */
const writingListOpening = String.raw`(like|such as|including|e\.g\.)`;
/** `essays like The Hard Thing, Decentralization, …`: every item of a list of writing is a piece of writing. */
const writingList = new RegExp(String.raw`${writingWords.source}\s+${writingListOpening}\s+[^.;:!?]*$`, 'i');
/**
 * What every `writingList` match holds: its list opening, with a space on each side. Asked first, since
 * `writingList` tries every writing word at each word start of 160 characters and a list opening is rare.
 */
const spacedListOpening = new RegExp(String.raw`\s${writingListOpening}\s`, 'i');
const sourceWords = /\b(per|via|according to|reports?|reported by|says|said|wrote|writes)\s*$/i;
/** The words that open a list, and the list's first items: bounded, so it cannot backtrack on a long sentence. */
const listOpening = String.raw`(?:such as|including|like|e\.g\.|comme|tel(?:le)?s? que|notamment)\s+[^.;:!?]{0,40}$`;
/** `such as Acme`, `including Acme, Gizmo and X`. */
const listWords = new RegExp(String.raw`\b${listOpening}`, 'i');
/** The noun a list opens with (`benchmarks such as`, `startups like`, `other companies, including`): what its items are. */
const listNoun = new RegExp(String.raw`(\p{L}+)(?:\s+(?:that|which|who)\b[^,;.]{0,60})?,?\s+${listOpening}`, 'iu');
/** `via its BotQ manufacturing line`, `OpenAI responded with its Codex`: a possessive makes the name a thing someone has. */
const ownedBefore =
  /\b(its|their|his|her|sa|son|ses|leurs?)\s+((new|own|latest|upcoming|flagship|nouvelle|nouveau)\s+)?$/i;
/** `my friend Tomasz`, `her co-founder Ada Byron`, `mon collègue X`: the name that follows is a person's. */
const relationBefore =
  /\b(my|our|his|her|their|mon|ma|mes|notre|nos)\s+((good|old|dear|longtime|former)\s+)?(friends?|colleagues?|co-?workers?|wife|husband|son|daughter|brother|sister|dad|mom|mother|father|parents?|teammates?|mentors?|boss|manager|co-?hosts?|guests?|students?|advisors?|co-?founders?|amie?s?|collègues?|femme|mari)\s*,?\s*$/i;
/**
 * `led by X`, `backed by X`, `with participation from X`, `raised $5M from X`, `investors including X`, `levée auprès
 * de X`: the name that follows put money in, so it is a fund or an angel, not the company the sentence is about. A
 * bare `from` counts only after funding words (`a new tool from X` names a maker).
 */
const investorBefore =
  /(\b(co-?led|led|backed|funded) by|\bparticipation (from|of|by)|\binvestors? (including|include|such as|like)|\b(rais(ed|es|ing)|secur(ed|es)|closed|lands?|landed|funding|investment|round|seed)\b[^;!?]{0,60}\bfrom|\bauprès de)\s*$/i;
/** `X led the $20M round`, `X also invested`: the name right before is the investor. */
const investorAfter =
  /^\s*(also\s+)?(((co-?)?led|participated in|joined)\s+(the|this|its)\s+([$€£]?[\w.]+\s+){0,3}(round|raise|seed|series)|invest(ed|s)\b)/i;
/** A page that is one piece of writing: a dated path, a file, or a post under a blog or news folder. */
const postPath = /\/(19|20)\d\d\/|\.(html?|php)$|^\/(blog|news|posts?|articles?|engineering|changelog)\/[^/]+/i;
const roleBefore =
  /\b((co-?founder|founder|ceo|cto|coo|cfo|chief [a-z]+ officer|president|head|vp|director|partner|(research )?scientist|researcher|engineer|designer|analyst)s?( and [a-z ]+)? (of|at)|(co-?)?fondat(eur|rice)s? de|pdg de|dg de)\s*$/i;
/** `Ben Fisch (Espresso Systems)`: a person's full name, then their employer in brackets. */
function affiliationBefore(before: string): boolean {
  // The bracket is rare, and a search for it is far cheaper than the name pattern tried at every capital.
  if (!before.includes('(')) return false;
  const person = nameThenBracket.exec(before)?.[1];
  return person !== undefined && looksLikeFullName(person.replace(/\s+\p{Lu}\.(?=\s)/u, ''));
}
const nameThenBracket = /(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\.)?\s+\p{Lu}[\p{Ll}'’-]+)\s*\(\s*$/u;
const roleAfter =
  /^\s*['’]s?\s*(co-?founders?|founders?|ceo|cto|chief|president)\b|^\s+(co-?founders?|founders?|ceo|cto)\b/i;
/**
 * `Ada Byron, cofounder of…`, `Ada Byron and Alan Turing, cofounders of…`: the name is a person's (one of a pair, when
 * another name is joined to it before the comma).
 */
const personAfter =
  /^\s*(\([^)]{0,30}\)\s*)?(\s+(and|&)\s+\p{Lu}[\p{L}'’.-]*(\s+\p{Lu}[\p{L}'’.-]*){0,2})?,\s+(a |an |the |our |my )?((co-?founder|founder|ceo|cto|coo|cfo|partner|general partner|professor|researcher|research scientist|scientist|phd|author|writer|engineer|investor|head|director|vp|chief|president|host|journalist|reporter|editor|analyst)s?|one of (the |its |our |their )?(co-?founders|founders|partners|authors|hosts|investors|researchers|engineers|creators|people))\b/iu;
const builderVerbs =
  /\b(working on|building|built|founded|co-?founded|started|launched|created|runs?|CEO of|founder of|a (co)?fondé|a lancé|a créé)\s*$/i;
/** `a company called X`, `a Berlin startup named X`: the sentence says what X is before it names it. */
const calledCompany =
  /\b(compan(y|ies)|start-?ups?|firms?|business(es)?|makers?|studios?|labs?|platforms?|apps?|tools?|services?|société|entreprise|jeune pousse)\s+(called|named|dubbed|appel[ée]e?|nommée?)\s*$/i;
const investedBefore =
  /\b(invest(ed|s|ing|ors?|ments?) in|backed|backing|led the round (in|for)|portfolio compan(y|ies)( like| such as| including)?|a investi dans)\s*$/i;
/** `Quillmate (YC W24)`, `Launch HN: Quillmate (YC S23)`: an accelerator's batch, so someone backs it. */
const acceleratorBatch = /\((YC|Y Combinator)[ ,]*[WSFX]?(\d{2}|\d{4})\)/;
/** The batch right after the name, whichever way it is spelled (`Quillmate (Y Combinator S23) ships…`). */
const acceleratorBatchAfter = new RegExp(String.raw`^\s*${acceleratorBatch.source}`);
const productVerbs =
  /\b(switched (over )?to|moved to|migrated to|(sort|kind) of like|alternative to|built with|using|uses|use)\s*$/i;
/**
 * Patterns joined into one that matches where any of them does. That holds only when they share its flags and none
 * refers to a group by number (joined, the numbers move): anything else is a mistake here, caught at load.
 */
function anyOf(patterns: readonly RegExp[]): RegExp {
  for (const pattern of patterns) {
    if (pattern.flags !== 'i' || /\\[1-9]/.test(pattern.source)) {
      throw new Error(`${pattern} cannot be joined: only case-insensitive patterns without backreferences can`);
    }
  }
  return new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');
}

/**
 * The patterns that end where a name starts, read of the forty characters before it: most names follow none of
 * them, and one pass over the text costs half of what the ten cost one by one.
 */
const anyWordsBefore = anyOf([
  builderVerbs,
  calledCompany,
  investedBefore,
  productVerbs,
  ownedBefore,
  relationBefore,
  investorBefore,
  listWords,
  roleBefore,
  sourceWords,
]);
/**
 * `X, a …`, `X, which …`: the sentence describes X. `, the …` is left out (after a comma it opens a new clause or
 * a list item as often as it describes), and `, who …` describes a person: mixed into this signal they made "the
 * sentence describes it" count against a startup.
 */
const appositiveAfter = /^\s*(\([^)]{0,40}\)\s*)?,\s+(a|an|which|whose|une?|qui)\b/i;
const personClauseAfter = /^\s*(\([^)]{0,40}\)\s*)?,\s+(who(['’]s)?|(formerly|previously) (a|an|at|with))\b/i;
const locatedAfterText = /^\s*(,\s+(based|headquartered) in\b|,\s+an?\s+[\p{L}-]+-based\b)/u;

/**
 * `The Adolescence of Technology (Dario Amodei)`, `Don't panic about fertility (The Economist)`: a reading list credits
 * each title to its author or outlet in a parenthesis of capitalised words. A place there says where a company is
 * based instead (`locatedAfter`), and initials abbreviate the name.
 */
function creditedAfter(after: string): boolean {
  const credit = creditParenthesis.exec(after)?.[1];
  return credit !== undefined && !/^\p{Lu}{2,3}$/u.test(credit) && !isPlace(credit);
}
const creditParenthesis = /^\s*\((\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?:of|the|de|and|&)\s+)?\p{Lu}[\p{L}'’.-]*){0,3})\)/u;

/** `Model Context Protocol (MCP)`: the parenthesis spells the name's initials, so it is an abbreviation. */
function initialsOf(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((word) => !/^(of|and|the|for|de|du|des|et)$/i.test(word))
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}

/** `Gizmo (AU)`, `Acme (Berlin, $4M)`, `Acme, a Paris-based …`: the text right after a name says where it is based. */
function locatedAfter(name: string, after: string): boolean {
  if (locatedAfterText.test(after)) return true;
  const opening = parenthesisOpening.exec(after)?.[1]?.trim();
  if (opening === undefined) return false;
  // `Acme (USA)` says where it is; `multiparty computation (MPC)`, `Node 20 (LTS)` are abbreviations.
  if (/^[A-Z]{2,3}$/.test(opening)) return isPlaceCode(opening) && opening !== initialsOf(name);
  return isPlace(opening);
}

/** Where `name` sits in `context`: as the sentence's subject (`Gizmo - radically…`, `Acme is building…`)? */
function isSubject(name: string, context: string, at: number): boolean {
  if (at < 0) return false;
  const before = context.slice(Math.max(0, at - 12), at);
  const after = context.slice(at + name.length, at + name.length + 32);
  const startsSentence = at === 0 || /(^|[.!?•:—–-])\s*$/.test(before);
  return (
    startsSentence &&
    /^(\s*[-–—:,(]|\s+([a-z]+ly\s+|just\s+|also\s+|now\s+)?(is|was|has|and|raised|raises|launched|launches|lets|helps|makes|builds|uses|announced|introduces|introduced)\b|['’]s\b)/.test(
      after,
    )
  );
}

/** Whether `name` is where the sentence's story came from: cited (`X has more`, `per X`), or not what it is about. */
function citesSource(name: string, context: string): boolean {
  const at = context.indexOf(name);
  if (at < 0) return true;
  if (citedAfter.test(context.slice(at + name.length, at + name.length + 30))) return true;
  return !isSubject(name, context, at);
}
const citedAfter =
  /^\s+(has|had) (more|the (full )?story|details)\b|^\s+(reports?|reported|says|said|notes|wrote|writes)\b/i;

/** A named signal's two entries (by its index in `namedSignals`): the shared copy, then its group's. */
function pushSignal(vector: FeatureVector, group: LinkGroup, index: number, value: number): void {
  vector.indices.push(index, signalCount * (1 + group) + index);
  vector.values.push(value, value);
  vector.namespaces.push('', '');
  vector.words.push('', '');
}

/** Whether `signal` (an index into `namedSignals`) is among the bits of `fired`, 32 to an entry. */
function hasFired(fired: readonly number[], signal: number): boolean {
  return (((fired[signal >> 5] ?? 0) >>> (signal & 31)) & 1) === 1;
}

/** Whether any of `signals` is among the bits of `fired`. */
function anyFired(fired: readonly number[], signals: readonly number[]): boolean {
  for (const signal of signals) if (hasFired(fired, signal)) return true;
  return false;
}

/** An index into `linkGroups`. */
type LinkGroup = 0 | 1 | 2;

class VectorBuilder {
  readonly indices: number[] = [];
  readonly values: number[] = [];
  readonly namespaces: string[] = [];
  readonly words: string[] = [];

  group: LinkGroup = 2;

  /**
   * The named signals fired, a bit each (`hasFired`): the pools and the neighbours ask it of several shapes per link,
   * which a search of `indices` made a cost of its own, and three numbers cost less to allocate than an array a signal.
   */
  readonly fired: number[] = [0, 0, 0];

  signal(id: SignalId, value = 1): void {
    if (value === 0) return;
    const index = signalIndex.get(id)!;
    pushSignal(this, this.group, index, value);
    this.fired[index >> 5] = (this.fired[index >> 5] ?? 0) | (1 << (index & 31));
  }

  /** Repeated indices (a word twice, a hash collision) are kept as they are: a linear score sums them anyway. */
  word(namespace: string, word: string, value = 1): void {
    this.indices.push(namedFeatureCount + hashWord(namespace, word));
    this.values.push(value);
    this.namespaces.push(namespace);
    this.words.push(word);
  }
}

/** What features.ts works out about a link's name, shared with the document pass that names the link. */
export interface LinkReading {
  vector: FeatureVector;
  /** Which of `linkGroups` the link's signals are copied into. */
  group: LinkGroup;
  guess: NameGuess;
  /** The company a headline anchor or the sentence presents, when a shape says so. */
  presented: { name: string; feature: string } | null;
  sponsored: boolean;
  /** The named signals `readLink` fired (`hasFired`); the neighbours' signals are added to `vector` only. */
  fired: readonly number[];
  /** A kind the destination's shape suggests when the link is not a startup (an outlet's domain → media). */
  shapeKind: 'media' | 'code' | null;
}

/** The feature vector of one link that knowledge did not explain (see destination.ts). */
export function readLink(link: UnclassifiedLink, path: string, doc: DocumentFacts): LinkReading {
  const text = cut(link.text);
  const context = cut(link.context);
  const heading = cut(link.heading);
  const vector = new VectorBuilder();
  const anchorName = nameLikeAnchor(text);
  const nameLike = anchorName !== null && properName(anchorName);
  vector.group = link.needsNetwork ? (nameLike ? 0 : 1) : 2;
  const trimmed = text.trim();
  const anchorWords = wordCount(trimmed);
  const label = link.needsNetwork ? null : domainLabel(link.domain);
  let shapeKind: LinkReading['shapeKind'] = null;
  /** The link leads to the site's home page or its about/pricing/product page: where a company links itself. */
  let ownSitePage = false;

  if (link.needsNetwork) {
    vector.signal('opaque');
    vector.word('tracker', link.tracker ?? 'unknown');
  } else {
    const [segments, firstSegment] = pathSegments(path);
    if (segments === 0) vector.signal('homePage');
    else if (companyPath.test(path)) vector.signal('companyPage');
    ownSitePage = segments === 0 || companyPath.test(path);
    if (datedPath.test(path) || /\.(pdf|html?|php)$/i.test(path)) vector.signal('articlePath');
    if (segments >= 3) vector.signal('deepPath');
    if (firstSegment) vector.word('path', firstSegment.toLowerCase().slice(0, 24));
    const slugWords = path.toLowerCase().replace(/[-_/.+]+/g, ' ');
    if (ownNews.test(slugWords)) vector.signal('ownNewsSlug');
    const slugSubject = slugNews.exec(slugWords)?.[1];
    if (slugSubject && !namesDomain(slugSubject, label!)) vector.signal('otherNewsSlug');
    if (startupTld.test(link.domain)) vector.signal('startupTld');
    if (link.domain.endsWith('.org')) vector.signal('orgTld');
    vector.word('tld', link.domain.slice(link.domain.lastIndexOf('.') + 1));
    const sub = link.host.startsWith('www.') ? link.host.slice(4) : link.host;
    if (sub !== link.domain) {
      vector.signal('subdomain');
      if (/^(docs?|blog|developers?|dev|api|help|support|engineering|news)\./.test(sub)) {
        vector.signal('docsOrBlogHost');
      }
    }
    if (pressHost.test(link.host)) vector.signal('pressHost');
    if (investorLabel.test(link.domain)) vector.signal('investorDomain');
    // People's sites are linked by their posts, companies by their home page.
    if (segments > 0 && personalDomain(label!)) vector.signal('personalDomain');
    if (boilerplatePath.test(path)) vector.signal('boilerplatePath');
    if (podcastTld.test(link.domain)) {
      vector.signal('podcastTld');
      shapeKind = 'media';
    }
    if (libraryHost.test(link.host)) {
      vector.signal('libraryHost');
      shapeKind = 'code';
    }
    if (outletLabel.test(label!)) {
      vector.signal('outletLabel');
      shapeKind = 'media';
    }
  }

  const generic = genericAnchor.test(trimmed);
  const guess = guessName(link, label);
  if (guess.matchesDomain) {
    vector.signal(guess.from === 'anchor' ? 'anchorNamesDomain' : 'sentenceNamesDomain');
    // `Pulse 2.0 has more here`: a call to action whose site the sentence names is where the story came from, unless
    // the sentence is about that site (`Taurus, a San Francisco startup, raised $5M. More here.`).
    if (guess.from === 'context' && generic && citesSource(guess.name, context)) vector.signal('sourceCited');
    if (looksLikePerson(guess.name)) vector.signal('nameIsPerson');
  }
  // The anchor's first 12 words are its hashed words below; the label may be any of its first 40.
  const anchorTokens = tokens(text);
  if (label && label.length >= 3 && anchorTokens.includes(label)) vector.signal('labelInAnchor');

  // The anchor.
  if (trimmed === '') vector.signal('anchorEmpty');
  else if (generic) vector.signal('anchorGeneric');
  else if (/^(https?:|www\.)/i.test(trimmed)) vector.signal('anchorUrl');
  else if (anchorWords === 1) vector.signal('anchorOneWord');
  else if (anchorWords <= 3) vector.signal('anchorFewWords');
  else if (anchorWords <= 6) vector.signal('anchorSomeWords');
  else vector.signal('anchorManyWords');
  if (nameLike) vector.signal('anchorNameLike');
  // No upper-case mapping yields a letter a-z (checked over every code point), so an anchor with one is not in
  // capitals: most anchors are told so without the upper-cased copy.
  if (anchorWords > 1 && /\p{Lu}/u.test(trimmed) && !/[a-z]/.test(trimmed) && trimmed === trimmed.toUpperCase()) {
    vector.signal('anchorAllCaps');
  }
  if (trimmed.startsWith('@')) vector.signal('anchorHandle');
  // `Bun 1.0`, `Node 18.11.0`; not an amount (`$1.4B`, `2.5%`, `1.2 million users`).
  if (/(?<![$€£\d.]\s?)\d+\.\d+(?!\d|\s?(%|[kmb]n?\b|million|billion))/i.test(trimmed)) vector.signal('anchorVersion');
  if (anchorName && (looksLikePerson(anchorName) || isFirstName(anchorName))) vector.signal('anchorPerson');
  if (anchorName && looksLikeFullName(anchorName)) vector.signal('anchorFullName');
  if (anchorName && anchorWords === 1 && isGivenName(anchorName)) vector.signal('anchorGivenName');
  if (anchorName && isPlace(anchorName)) vector.signal('anchorPlace');
  if (anchorWords === 1 && /^[\p{Lu}\d]{2,5}s?$/u.test(trimmed) && /\p{Lu}/u.test(trimmed)) {
    vector.signal('anchorAcronym');
  }
  if (trimmed !== '' && !/\p{L}/u.test(trimmed)) vector.signal('anchorNoLetters');
  if (anchorWords <= 3 && /\p{L}-?\d|\d-\p{L}|\b[vV]\d/u.test(trimmed)) vector.signal('anchorModelName');
  const phrases = anchorWords > 0 ? capitalisedPhrases(text) : [];
  if (phrases.some(namesKnown)) {
    vector.signal('anchorNamesKnown');
  }
  if (phrases.length > 0 && namesAnyOf(phrases, doc.senderLabels)) vector.signal('anchorNamesSender');
  if (link.isImage) vector.signal('anchorImage');
  // As in `sentenceWords`: every `companyWords` match is a `startupWords` match, and most anchors have neither.
  const launchWords = startupWords.test(text);
  const anchorFunding = (launchWords && companyWords.test(text)) || moneyAmount.test(text);
  if (anchorFunding) vector.signal('anchorFunding');
  else if (launchWords) vector.signal('anchorLaunch');
  if (trimmed.endsWith('?')) vector.signal('anchorQuestion');
  if (/\p{L}['’]s\b/u.test(trimmed)) vector.signal('anchorPossessive');

  const sentence = doc.wordsBySentence.get(context) ?? sentenceWords(context);
  // Funding words anywhere in the anchor and its sentence: only a headline reading asks, so a name is spared the scan.
  const presented = nameLike
    ? null
    : nameInHeadline(text, context, fundingAcross(text, anchorFunding, context, sentence));
  const presentedKnown = presented && (lookUpName(presented.name) || isPlace(presented.name));
  if (presented && !presentedKnown && !looksLikePerson(presented.name)) vector.signal('headlineNamesCompany');

  // The sentence around it.
  const bareName = anchorWords > 0 && anchorWords <= 4;
  const noSentence = context.trim() === '' || (bareName && !hasMoreLetters(context, squash(text).length + 12));
  if (noSentence) vector.signal('noSentence');
  // Linear weights cannot see that a name, its own site and a sentence about it belong together: the conjunction
  // is the usual way a newsletter writes about a company whose link it does not wrap.
  if (ownSitePage && nameLike && guess.matchesDomain && guess.from === 'anchor' && !noSentence) {
    vector.signal('ownSiteInSentence');
  }
  // `How Levels.fyi scaled to millions of users` on levels.fyi/blog/…: a company writing about itself on its own site.
  if (!link.needsNetwork && !ownSitePage && guess.matchesDomain && guess.from === 'anchor' && postPath.test(path)) {
    vector.signal('ownSitePost');
  }
  // A headline for an anchor (`Gizmo raises $5M to map oceans`) is found in its sentence by the company it names.
  const headlineName = !anchorName && guess.matchesDomain && guess.from === 'anchor' ? guess.name : null;
  const name = headlineName ?? anchorName ?? (trimmed.length <= 80 ? trimmed : '');
  const at = name.length >= 2 ? context.indexOf(name) : -1;
  /** The sentence says who the anchor is (a person, an investor): its funding and launch words are another's. */
  let introducedAsOther = false;
  if (at >= 0) {
    const before = context.slice(Math.max(0, at - 40), at);
    const after = context.slice(at + name.length, at + name.length + 40);
    if (isSubject(name, context, at)) vector.signal('anchorIsSubject');
    // `the sumcheck protocol, which…` describes a concept; a name is capitalised (or a domain).
    if (appositiveAfter.test(after) && /[\p{Lu}.]/u.test(name)) vector.signal('appositive');
    const located = locatedAfter(name, after);
    if (located) vector.signal('locatedAfter');
    else if (anchorWords >= 2 && creditedAfter(after)) vector.signal('creditedAfter');
    const wordsBefore = anyWordsBefore.test(before);
    if (wordsBefore && builderVerbs.test(before)) vector.signal('builtBy');
    if (wordsBefore && calledCompany.test(before)) vector.signal('calledCompany');
    if (
      (wordsBefore && investedBefore.test(before)) ||
      acceleratorBatch.test(text) ||
      acceleratorBatchAfter.test(after)
    ) {
      vector.signal('investedIn');
    }
    if (wordsBefore && productVerbs.test(before)) vector.signal('usedAsProduct');
    if (wordsBefore && ownedBefore.test(before)) vector.signal('ownedBefore');
    if (wordsBefore && relationBefore.test(before)) vector.signal('relationBefore');
    if ((wordsBefore && investorBefore.test(before)) || investorAfter.test(after)) {
      vector.signal('investorNamed');
      introducedAsOther = true;
    }
    if (wordsBefore && listWords.test(before)) {
      vector.signal('listedAmong');
      const listing = listNoun.exec(context.slice(Math.max(0, at - 120), at));
      if (listing) vector.word('listOf', listing[1]!.toLowerCase());
    }
    if ((wordsBefore && roleBefore.test(before)) || roleAfter.test(after) || affiliationBefore(before)) {
      vector.signal('roleNearby');
    }
    if (personAfter.test(after) || personClauseAfter.test(after)) {
      vector.signal('personAppositive');
      introducedAsOther = true;
    }
    if (wordsBefore && sourceWords.test(before)) vector.signal('sourceBefore');
    const writing = context.slice(Math.max(0, at - 160), at);
    if (writingWords.test(before) || (spacedListOpening.test(writing) && writingList.test(writing))) {
      vector.signal('writingBefore');
    }
    const left = tokens(before.slice(-30)).slice(-2);
    const right = tokens(after.slice(0, 30), 2);
    if (left.length > 0) vector.word('left1', left.at(-1)!);
    if (left.length > 1) vector.word('left2', left.join(' '));
    if (right.length > 0) vector.word('right1', right[0]!);
    if (right.length > 1) vector.word('right2', right.join(' '));
  }
  // `Uma Roy, cofounder of Succinct, raised…`, `Acme raised $5M from Kindred Ventures`: once the sentence introduces
  // the anchor as a person or an investor, its funding and launch words are about another company, which has a link
  // of its own.
  if (!introducedAsOther) {
    if (sentence.funding) vector.signal('sentenceFunding');
    if (sentence.money) vector.signal('sentenceMoney');
    if (sentence.launch) vector.signal('sentenceLaunch');
  }
  const stated = statesDomain(text, context, doc.senderLabels);
  if (stated) vector.signal('statedDomain');
  const subject = newsSubject(context);
  if (
    subject &&
    !(name && (subject.includes(name) || name.includes(subject))) &&
    !(label && namesDomain(subject, label))
  ) {
    vector.signal('otherCompanyNews');
  }
  const section = doc.sections.get(heading);
  const headingSays = section?.words ?? headingWords(heading);
  const sponsored = headingSays.sponsor || sponsorWords.test(text) || sentence.sponsorMark;
  if (sponsored) vector.signal('sponsored');
  if (eventWords.test(text) || eventWords.test(context)) vector.signal('eventNamed');

  // The heading and the document.
  if (headingSays.empty) vector.signal('headingEmpty');
  if (headingSays.companies) vector.signal('headingCompanies');
  if (headingSays.launches) vector.signal('headingLaunches');
  if (link.occurrences > 1) vector.signal('repeated');
  if (nameLike && anchorName.length >= 3 && (doc.mentions.get(anchorName) ?? 0) > 1)
    vector.signal('mentionedElsewhere');
  vector.signal('docOpaqueShare', Math.round(doc.opaqueShare * 100) / 100);
  if (section && section.links > 1) {
    const others = section.news - (isNews(sentence) ? 1 : 0);
    vector.signal('sectionNewsShare', Math.round((others / (section.links - 1)) * 100) / 100);
  }
  vector.signal('docNewsShare', Math.round(doc.newsShare * 100) / 100);

  for (const [pool, members] of poolMembers) {
    if (anyFired(vector.fired, members)) vector.signal(namedSignals[pool]![0]);
  }

  // Hashed words: the anchor's words and pairs, the sentence's words, the heading's words.
  const hashed = Math.min(anchorTokens.length, 12);
  for (let i = 0; i < hashed; i++) vector.word('anchor', anchorTokens[i]!);
  for (let i = 1; i < hashed; i++) vector.word('anchor2', `${anchorTokens[i - 1]} ${anchorTokens[i]}`);
  // The sentence's and the heading's own words were tried as hashed features too: under cross-validation they
  // bought nothing (the words next to the name, above, carry what they said) and cost a third of the scorer's time.

  return {
    vector: { indices: vector.indices, values: vector.values, namespaces: vector.namespaces, words: vector.words },
    group: vector.group,
    guess,
    presented: stated
      ? { name: stated, feature: 'the text states its domain' }
      : presented && !presentedKnown && !looksLikePerson(presented.name)
        ? presented
        : null,
    sponsored,
    fired: vector.fired,
    shapeKind,
  };
}

/**
 * A domain written in the text that the anchor spells (`Quillmark Raises $20M //quillmark`,
 * `LogoForge – A logo generator //logoforge`), not one of the newsletter's own nor a known host, written in the anchor
 * or its sentence (read joined by a space).
 */
function statesDomain(text: string, context: string, senderLabels: ReadonlySet<string>): string | null {
  // Almost every sentence has a dot; far fewer have a dot before one of the endings `statedDomain` reads, which
  // every match of it needs (or a `//`). This test is one cheap scan, where the pattern tries every word start.
  // Neither a `//` nor an ending runs on across the joining space (an ending ends at it as at the end of the anchor),
  // so each text is asked on its own and the joined one is built only where a domain may be written.
  if (!mayStateDomain(text) && !mayStateDomain(context)) return null;
  const both = `${text} ${context}`;
  for (const match of both.matchAll(statedDomain)) {
    const written = (match[1] ?? match[2] ?? '').toLowerCase();
    const label = written.split('.')[0] ?? '';
    if (label.length < 3 || senderLabels.has(label) || (match[2] && lookUpHost(written))) continue;
    if (text.trim().toLowerCase() === written) continue;
    const spelled = wordRunNaming(text, label);
    const phrase = spelled ?? capitalisedPhrases(text).find((candidate) => namesDomain(candidate, label));
    const name = phrase ? completeFromDomain(phrase, label) : text.toLowerCase().startsWith(written) ? written : null;
    if (!name || lookUpName(name)) continue;
    if (spelled || opensWith(text, phrase ?? name)) return name;
  }
  return null;
}

/** Whether `statedDomain` can match `text`: it has a `//` or one of the endings. */
function mayStateDomain(text: string): boolean {
  return text.includes('//') || statedEnding.test(text);
}

/**
 * Shapes that say one thing, pooled into one more signal. Each shape fires on a handful of the corpus's links, often
 * in one family only: left out with that family, a shape's own weight is learned from its few firings elsewhere, or
 * from none. The pool fires often enough for its weight to be learned, and each shape keeps its own weight beside it.
 * Pooling these five raised cross-validated average precision from 0.491 to 0.542. A headline about a company
 * stays out of the company and news pools: in either, it made a "more here" link to a news site's article about
 * the company read as the company itself. The sign is which way the shapes point: +1 towards a startup's own site,
 * −1 away from it (see `priorMeans`).
 */
const pooledSignals: ReadonlyArray<readonly [SignalId, 1 | -1, readonly SignalId[]]> = [
  ['newsAboutIt', 1, ['ownNewsSlug', 'anchorFunding', 'anchorLaunch']],
  [
    'otherKindOfSite',
    -1,
    ['personalDomain', 'libraryHost', 'outletLabel', 'investorDomain', 'pressHost', 'podcastTld', 'boilerplatePath'],
  ],
  [
    'presentedAsCompany',
    1,
    [
      'builtBy',
      'calledCompany',
      'investedIn',
      'roleNearby',
      'locatedAfter',
      'ownSiteInSentence',
      'ownSitePost',
      'statedDomain',
    ],
  ],
  [
    'presentedAsPerson',
    -1,
    ['anchorPerson', 'anchorFullName', 'anchorGivenName', 'personAppositive', 'relationBefore', 'nameIsPerson'],
  ],
  [
    'presentedAsOther',
    -1,
    [
      'writingBefore',
      'creditedAfter',
      'eventNamed',
      'investorNamed',
      'ownedBefore',
      'sourceBefore',
      'sourceCited',
      'anchorPlace',
      'anchorModelName',
      'anchorAcronym',
      'anchorNamesKnown',
    ],
  ],
];

/**
 * Where training pulls each weight when the data says little, in log-odds: a pooled shape's own weight towards its
 * pool's sign × `strength`, every other weight towards 0 (the L2 penalty is on the distance from this). A shape seen
 * only in the family left out keeps the direction its meaning gives instead of the few firings elsewhere deciding it
 * (`where it is based` fired on 3 startups, all in one family, and on 7 other links elsewhere). Only the shared copy
 * of each shape is pulled; its group copies and the pools themselves are pulled towards 0.
 */
export function priorMeans(strength: number): Float64Array {
  const means = new Float64Array(featureCount);
  if (strength === 0) return means;
  for (const [, sign, members] of pooledSignals) {
    for (const member of members) means[signalIndex.get(member)!] = sign * strength;
  }
  return means;
}

/**
 * Each pool's members, by signal index, resolved once: `readLink` fires a pool when a member fired, and `explain`
 * tells a pool's weight as the shape that fired it.
 */
export const poolMembers: ReadonlyMap<number, readonly number[]> = new Map(
  pooledSignals.map(([pool, , members]) => [signalIndex.get(pool)!, members.map((id) => signalIndex.get(id)!)]),
);

/** The first of a pool's shapes (`poolMembers`) that fired in `vector`, if any. */
export function firedMember(members: readonly number[], vector: Pick<FeatureVector, 'indices'>): number | undefined {
  return members.find((member) => vector.indices.includes(member));
}

/**
 * What a link's neighbours tell it, once every link of the document is read: the share of the other scored links
 * under the same heading that show each of these signals. A section of deals and an essay both link bare names; the
 * section's other links (presented as companies, or leading to companies' own sites) tell them apart, whatever words
 * the newsletter uses for its headings.
 */
const neighbourSignals: ReadonlyArray<readonly [SignalId, readonly SignalId[]]> = [
  ['sectionPresentsCompanies', ['anchorIsSubject', 'appositive', 'locatedAfter', 'headlineNamesCompany']],
  ['sectionLinksHomePages', ['homePage', 'companyPage']],
];

/** Adds the neighbour signals to each reading's vector (index-aligned with `links`; null = decided by knowledge). */
export function readNeighbours(links: readonly UnclassifiedLink[], readings: ReadonlyArray<LinkReading | null>): void {
  const sections = new Map<string, number[]>();
  readings.forEach((reading, index) => {
    if (!reading) return;
    const key = cut(links[index]!.heading);
    const section = sections.get(key);
    if (section) section.push(index);
    else sections.set(key, [index]);
  });
  for (const [id, shown] of neighbourSignals) {
    const neighbour = signalIndex.get(id)!;
    const wanted = shown.map((signal) => signalIndex.get(signal)!);
    for (const section of sections.values()) {
      if (section.length < 2) continue;
      const flags = section.map((index) => anyFired(readings[index]!.fired, wanted));
      const hits = flags.reduce((count, flag) => count + (flag ? 1 : 0), 0);
      section.forEach((index, at) => {
        const share = Math.round(((hits - (flags[at] ? 1 : 0)) / (section.length - 1)) * 100) / 100;
        const reading = readings[index]!;
        if (share > 0) pushSignal(reading.vector, reading.group, neighbour, share);
      });
    }
  }
}
