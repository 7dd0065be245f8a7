/**
 * Company names in a newsletter's words: capitalised runs, a phrase that spells a domain, a name-like anchor, the
 * subject of a headline or sentence, and the tests that tell a person, a title or a stock phrase from a name.
 */
import { asciiOnly, isFirstName, isGivenName, squashAscii } from './data/index.ts';
import type { UnclassifiedLink } from './classify.ts';
import { remembered, rememberedLast } from './recent.ts';
import { cut, genericAnchor, sentenceWords } from './signals.ts';

/** `capitalisedRun` over the given character classes: the Unicode ones, or their ASCII parts for an ASCII text. */
function capitalisedRunOver(capital: string, letterOrDigit: string, apostrophes: string, flags: string): RegExp {
  const word = String.raw`${capital}[${letterOrDigit}.&${apostrophes}-]*`;
  const joiner = String.raw`(?:&|of|de|la|du|AI|\.ai)(?![${letterOrDigit}])`;
  return new RegExp(String.raw`(?:^|[^${letterOrDigit}])(${word}(?:\s+(?:${word}|${joiner})){0,3})`, flags);
}

/**
 * Word runs that can be a company name: capitalised words, with the joiners names use (`Bank of America`). A joiner
 * is a whole word: read as a prefix it made `Acme launched` "Acme la" and `Acme offers` "Acme of".
 */
export const capitalisedRun = capitalisedRunOver(String.raw`\p{Lu}`, String.raw`\p{L}\p{N}`, "'’", 'gu');
/** `capitalisedRun` for an ASCII text, whose capitals are A-Z and letters and digits A-Za-z0-9. */
const asciiCapitalisedRun = capitalisedRunOver('[A-Z]', 'A-Za-z0-9', "'", 'g');

/**
 * The pattern that reads `text`'s capitalised runs. Most texts are ASCII, and on the two-byte strings a decoded
 * newsletter's texts are, the Unicode classes cost five times the ASCII ones.
 */
export function capitalisedRunFor(text: string): RegExp {
  return asciiOnly.test(text) ? asciiCapitalisedRun : capitalisedRun;
}

/** Capitalised words that start sentences or name dates and roles, never a company on their own. */
export const notNames = new Set(
  [
    'The A An This That These Those It Its I We Our You Your He She They In On At For With And But Or If',
    'When How Why What Who New More Read Here Today Yesterday Monday Tuesday Wednesday Thursday Friday',
    'Saturday Sunday January February March April May June July August September October November',
    'December CEO CTO AI US UK EU London Paris Series Announcing Introducing Sponsored Sponsor Presented',
    'Together Learn Check Try Get Join Sign Click Link',
    'As So Also Then There Still Yet Even Only All Some Most Many Every Each Both Not Now While Since Because',
    'Although Though Once Over Under Into About Between Despite Meanwhile Instead However Thus',
  ]
    .join(' ')
    .split(' ')
    .map((word) => word.toLowerCase()),
);

/** Lower-cased letters and digits only: how names and domain labels are compared (`Crew Line` ~ `crewline`). */
export function squash(text: string): string {
  // ASCII letters and digits are `a-z` and `0-9` once lower-cased: the plain path, several times cheaper.
  return squashAscii(text) ?? text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The registrable domain's first label, which is usually the company's name (`acmerobotics` in acmerobotics.com). */
export function domainLabel(domain: string): string {
  const dot = domain.indexOf('.');
  return dot < 0 ? domain : domain.slice(0, dot);
}

export function titleCase(label: string): string {
  return label
    .split(/[-_]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

export const headlineVerbs = new Set([
  'raises',
  'raised',
  'launches',
  'launched',
  'acquires',
  'acquired',
  'announces',
  'secures',
  'lands',
  'is',
  'has',
  'gets',
  'opens',
  'closes',
  'unveils',
  'releases',
  'introduces',
]);

/** The capitalised phrases of a text, remembered for recent texts (see `remembered`). */
export const capitalisedPhrases: (text: string) => readonly string[] = remembered(readCapitalisedPhrases);

/** The last characters the two replaces below can remove. */
const possessiveOrStop = "s.'’-";

function readCapitalisedPhrases(text: string): string[] {
  const phrases: string[] = [];
  // `exec` on the pattern itself, not `matchAll`, which copies the pattern on every call; every match is at least a
  // capital letter long, so the loop moves on, and the pattern is left at 0 for the next text.
  const run = capitalisedRunFor(text);
  run.lastIndex = 0;
  for (let match = run.exec(text); match; match = run.exec(text)) {
    let phrase = match[1] ?? '';
    // Most runs end in a letter other than `s`: only a possessive or trailing punctuation needs the replaces.
    if (possessiveOrStop.includes(phrase.charAt(phrase.length - 1))) {
      phrase = phrase.replace(/['’]s$/, '').replace(/[.'’-]+$/, '');
    }
    phrase = phrase.trim();
    if (!/\s/.test(phrase)) {
      // One word (most runs) is its own first word, with no verb after it.
      if (phrase.length >= 2 && !notNames.has(phrase.toLowerCase())) phrases.push(phrase);
      continue;
    }
    let words = phrase.split(/\s+/);
    const firstWord = words[0] ?? '';
    if (notNames.has(firstWord.toLowerCase())) {
      phrase = phrase.slice(firstWord.length).trim();
      words = phrase.split(/\s+/);
    }
    // `Gizmo Raises $20M`: headline case capitalises the verb too; the name ends before it.
    const verbAt = words.findIndex((word, index) => index > 0 && headlineVerbs.has(word.toLowerCase()));
    if (verbAt > 0) phrase = words.slice(0, verbAt).join(' ');
    if (phrase.length >= 2 && !notNames.has(phrase.toLowerCase())) phrases.push(phrase);
  }
  return phrases;
}

/** A phrase names the domain when their squashed forms contain one another (`Loomwise` ~ `getloomwise`). */
export function namesDomain(phrase: string, domainLabel: string): boolean {
  const squashed = squash(phrase);
  // `Wasp Lang` ~ `wasp-lang`: a label's hyphens are the spaces of the name it spells.
  const label = domainLabel.includes('-') ? domainLabel.replaceAll('-', '') : domainLabel;
  if (squashed.length < 3 || label.length < 3) return false;
  if (squashed === label) return true;
  // `Loomwise` ~ `getloomwise`, `Gizmo` ~ `gizmoframework`: one at the start or end of the other, never a fragment inside.
  const [shorter, longer] = squashed.length < label.length ? [squashed, label] : [label, squashed];
  if (shorter.length >= 4 && (longer.startsWith(shorter) || longer.endsWith(shorter))) return true;
  // `InfluxDB` ~ `influxdata`: a long shared stem.
  let common = 0;
  while (common < squashed.length && common < label.length && squashed[common] === label[common]) common++;
  return common >= 5 && common >= 0.7 * Math.min(squashed.length, label.length);
}

/**
 * Whether any phrase of `text` could name the domain as `namesDomain` reads it. Each way it can (the same letters, one
 * at the start or the end of the other, a shared stem of five) leaves the label's first or last four letters, or all of
 * a shorter label, in the text's squashed letters: one search, where the phrases of a whole sentence cost a pattern
 * run and a squash each.
 */
export function mayNameDomain(text: string, domainLabel: string): boolean {
  const label = domainLabel.includes('-') ? domainLabel.replaceAll('-', '') : domainLabel;
  if (label.length < 3) return false;
  const letters = squash(text);
  return label.length <= 4
    ? letters.includes(label)
    : letters.includes(label.slice(0, 4)) || letters.includes(label.slice(-4));
}

/** Whitespace that collapsing would change: any but a lone space. */
export const collapsible = /[^\S ]| {2}/;

/**
 * Anchor text that could be a name itself: short, not a stock phrase, not a URL. The knowledge pass, the features
 * and the name guess ask it of one link in turn: the last answer is kept.
 */
export const nameLikeAnchor: (text: string) => string | null = rememberedLast(readNameLikeAnchor);

export function readNameLikeAnchor(text: string): string | null {
  if (text.length > 80) return null;
  const trimmed = collapsible.test(text) ? text.trim().replace(/\s+/g, ' ') : text.trim();
  if (trimmed.length < 2 || trimmed.length > 40 || genericAnchor.test(trimmed) || /^(https?:|www\.)/i.test(trimmed)) {
    return null;
  }
  // More than four words: four spaces, counted without splitting (asked of every anchor).
  for (let space = trimmed.indexOf(' '), count = 1; space >= 0; space = trimmed.indexOf(' ', space + 1), count++) {
    if (count >= 4) return null;
  }
  if (!startsCapitalisedOrNumeric.test(trimmed)) return null;
  // Most anchors have no bracket and end in a letter: each replace below runs only where it can change something.
  const unbracketed = bracket.test(trimmed) ? trimmed.replace(/\s*[([].*$/, '') : trimmed;
  return trailingStops.includes(unbracketed.charAt(unbracketed.length - 1))
    ? unbracketed.replace(/[:.,;!]+$/, '')
    : unbracketed;
}

/**
 * Asked of every anchor and of each word of a proper name: one character class, made once. The same test written
 * `/^\p{Lu}|^\p{N}/u` in a function body measured five times slower.
 */
const startsCapitalisedOrNumeric = /^[\p{Lu}\p{N}]/u;
const bracket = /[([]/;
const trailingStops = ':.,;!';

/** "Acme Robotics, a maker of … raised $12M" → "Acme Robotics": the subject of a funding or launch sentence. */
export const subjectOfNews =
  /(?:^|[.!?•:—–-]\s+)(\p{Lu}[\p{L}\p{N}.&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}.&'’-]*){0,3})(?:\s*\([^)]{0,40}\))?(?:,\s+(?:a|an|the|which|who)\b|\s+(?:has\s+|just\s+)?(?:raised|raises|launched|launches|announced|announces|secured|secures|closed|lands|landed|unveiled|unveils|emerged|is\s+(?:a|an|building|making)))/u;

/**
 * `subjectOfNews`' name in a sentence: the name guess, the features and the headline reading ask it of one link in
 * turn.
 */
export const newsSubject: (context: string) => string | undefined = rememberedLast(
  (context) => subjectOfNews.exec(context)?.[1],
);

export interface NameGuess {
  name: string;
  matchesDomain: boolean;
  from: 'anchor' | 'context' | 'domain' | 'none';
}

export function guessName(link: UnclassifiedLink, label: string | null): NameGuess {
  const text = cut(link.text);
  const context = cut(link.context);
  if (label) {
    for (const phrase of capitalisedPhrases(text)) {
      if (namesDomain(phrase, label)) {
        return { name: domainRun(phrase, label, link.domain) ?? phrase, matchesDomain: true, from: 'anchor' };
      }
    }
    for (const phrase of mayNameDomain(context, label) ? capitalisedPhrases(context) : []) {
      if (namesDomain(phrase, label)) {
        return { name: domainRun(phrase, label, link.domain) ?? phrase, matchesDomain: true, from: 'context' };
      }
    }
    // Lower-case brands (`bun`, `acme.dev`): the label itself as a whole word of the anchor.
    // Split only where the label is written at all: most anchors do not hold it.
    const lower = text.toLowerCase();
    if (label.length >= 3 && lower.includes(label) && lower.split(/[^\p{L}\p{N}]+/u).includes(label)) {
      return { name: labelAsWritten(label, link.domain, [text, context]), matchesDomain: true, from: 'anchor' };
    }
  }
  const anchor = nameLikeAnchor(text);
  // A tagline for an anchor (`Non-toxic engineering metrics`, `Stop shipping slop`) names nothing: a known
  // destination's own name is better than it.
  if (anchor && (!label || properName(anchor))) return { name: anchor, matchesDomain: false, from: 'anchor' };
  const subject = newsSubject(context);
  if (subject && !notNames.has(subject.toLowerCase())) return { name: subject, matchesDomain: false, from: 'context' };
  if (label) return { name: labelAsWritten(label, link.domain, [text, context]), matchesDomain: false, from: 'domain' };
  return { name: '', matchesDomain: false, from: 'none' };
}

/**
 * The words of a phrase that spell the domain exactly: with its ending when the text writes it (`Oban Pro` for
 * oban.pro, `You.com`), else the label alone (`Warp` in `Warp's AI`, `WorkOS` in `WorkOS AuthKit`). A phrase that
 * only starts with the name goes on with a product, a possessive or a headline's words, which are not the company's
 * name. Null when no run of its words spells the domain.
 */
export function domainRun(phrase: string, domainLabel: string, domain: string): string | null {
  const words = phrase.split(/\s+/);
  const label = squash(domainLabel);
  const whole = domain.startsWith(domainLabel) ? squash(domain) : label;
  for (let start = 0; start < words.length; start++) {
    let run = '';
    let named: string | null = null;
    for (let end = start; end < words.length; end++) {
      const word = words[end]!;
      const possessive = /['’]s$/u.test(word);
      run = `${run}${run ? ' ' : ''}${possessive ? word.slice(0, -2) : word}`;
      const squashed = squash(run);
      // A lower-case last word is a joiner (`Maison de` for maison.de), not the domain's ending written out.
      if (squashed === whole && (end === start || /^\p{Lu}/u.test(word))) return run;
      if (squashed === label && label.length >= 2) named = run;
      // A possessive ends a name; a run longer than the domain cannot spell it.
      if (possessive || squashed.length >= whole.length) break;
    }
    if (named !== null) return named;
  }
  return null;
}

/** A letter or digit in any script, asked of one character (one code point). */
export const letterOrDigitChar = /^[\p{L}\p{N}]$/u;

/**
 * The domain's label as the newsletter writes it, outside a web address (`jQuery` for jquery.com, `Fly.io` for
 * fly.io, with the ending when the text writes it too), when that spelling has a capital; else the label in title
 * case (`Penname` for penname.co when only its address is written; `You.com`, since `You` is no name).
 */
export function labelAsWritten(label: string, domain: string, texts: readonly string[]): string {
  const ending = domain.slice(label.length);
  for (const text of texts) {
    const lower = text.toLowerCase();
    // Lower-casing that changes the length (a dotted İ) would shift every position below: such a text is skipped.
    if (lower.length !== text.length) continue;
    for (let at = lower.indexOf(label); at >= 0; at = lower.indexOf(label, at + 1)) {
      const before = text.charAt(at - 1);
      if (at > 0 && (letterOrDigitChar.test(before) || '/.@-'.includes(before))) continue;
      let end = at + label.length;
      // `Fly.io`, or the ending written as a word of its own (`Fast Ai` for fast.ai).
      const endingAsWord = lower.startsWith(` ${ending.slice(1)}`, end) && /\p{Lu}/u.test(text.charAt(end + 1));
      if (ending && (lower.startsWith(ending, end) || endingAsWord)) {
        end += ending.length;
      }
      const after = text.slice(end, end + 2);
      const next = after.charAt(0);
      if (letterOrDigitChar.test(next) || next === '-' || (next === '.' && letterOrDigitChar.test(after.charAt(1))))
        continue;
      const written = text.slice(at, end);
      if (written !== written.toLowerCase()) return written;
    }
  }
  // A label too short or too common to read as a name on its own (`Kt`, `You` for you.com) keeps its ending.
  const bare = label.length <= 2 || notNames.has(label);
  return bare && /^\.[a-z]+$/.test(ending) ? `${titleCase(label)}${ending}` : titleCase(label);
}

/** "Jake Wharton", "Palmer Luckey": two or three words starting with a common given name. */
export function looksLikePerson(name: string): boolean {
  const words = name.split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) {
    if (isFirstName(words[i] ?? '') && /^\p{Lu}\p{Ll}/u.test(words[i + 1] ?? '')) return true;
  }
  return false;
}

/**
 * `Uma Roy`, `Jim Posen`: a given name from the wide list, then one or two capitalised words and nothing else.
 * Essays link people by their full names as often as digests link companies by theirs.
 */
export function looksLikeFullName(name: string): boolean {
  const words = name.split(/\s+/);
  if (words.length < 2 || words.length > 3 || !isGivenName(words[0]!)) return false;
  return words.slice(1).every((word) => /^\p{Lu}\p{Ll}+$/u.test(word));
}

/** `patriksvensson`, `jakewharton`: a given name followed by a surname. */
export function personalDomain(label: string): boolean {
  // The surname part must be long enough that `raycast` (ray + cast) or `samsara` is not taken for a person.
  for (let cut = 3; cut <= 8 && cut <= label.length - 5; cut++) {
    if (isFirstName(label.slice(0, cut))) return true;
  }
  return false;
}

/** The text starts with `name`, after an article (`The Looking Glass – …`). */
export function opensWith(text: string, name: string): boolean {
  return text
    .trim()
    .replace(/^(the|a|an)\s+/i, '')
    .startsWith(name);
}

/** `Maps with Friends` ~ `mapswithfriends`: a run of up to five words of the text that spells the domain's label. */
export function wordRunNaming(text: string, label: string): string | null {
  const words = text.split(/\s+/).filter((word) => word !== '');
  for (let start = 0; start < words.length; start++) {
    let squashed = '';
    for (let end = start; end < words.length && end < start + 5; end++) {
      squashed += squash(words[end]!);
      if (squashed === label && /^\p{Lu}/u.test(words[start]!)) {
        return words
          .slice(start, end + 1)
          .join(' ')
          .replace(/[^\p{L}\p{N}]+$/u, '');
      }
      if (!label.startsWith(squashed)) break;
    }
  }
  return null;
}

/** `Crew Line` with `//crewlinerobotics` → `Crew Line Robotics`: the domain spells the full name. */
export function completeFromDomain(phrase: string, label: string): string {
  const squashed = squash(phrase);
  if (squashed.length < 4 || !label.startsWith(squashed) || label.length - squashed.length < 3) return phrase;
  return `${phrase} ${titleCase(label.slice(squashed.length))}`;
}

export const nameWord = String.raw`\p{Lu}[\p{L}\p{N}&.'’-]*`;
export const nameRun = String.raw`${nameWord}(?:\s+${nameWord}){0,2}`;
/**
 * `Gizmo raised $30M at a $500M valuation`: a headline whose subject raised, launched or was acquired. Its verb is
 * matched in either case, since headline case capitalises it (`Gizmo Secures $4M`); the `i` flag would let `\p{Lu}`
 * match lower case too. The name is the shortest run before a verb: in `Gizmo Has Raised $4M` "Has" is capitalised too.
 */
export const newsHeadline = new RegExp(
  String.raw`^\s*(${nameWord}(?:\s+${nameWord}){0,2}?)(?:\s*\([^)]{0,40}\))?\s+(?:[Hh]as\s+|[Jj]ust\s+)?(?:[Rr]aised|[Rr]aises|[Ss]ecures|[Ss]ecured|[Ll]ands|[Ll]anded|[Cc]loses|[Cc]losed|[Ee]merges|[Ee]merged|[Ll]aunches|[Ll]aunched|[Uu]nveils|[Uu]nveiled)\b`,
  'u',
);
/** `Acme Robotics, based in Ohio, …`, `Acme, a Lyon-based maker of…`: the sentence's subject is a located company. */
export const locatedSubject = new RegExp(
  String.raw`(?:^|[.!?:]\s+)(${nameRun}),\s+(?:based\s+in|headquartered\s+in|a\s+[\p{L}-]+-based)\b`,
  'u',
);

/**
 * A headline or sentence fragment as anchor: the company it is about, when a general shape says so — the subject
 * of a funding or launch headline, a company the sentence locates ("X, a Y-based maker of…"), or the subject of
 * the sentence around it when that sentence is funding news.
 */
export function nameInHeadline(
  text: string,
  context: string,
  funding: boolean,
): { name: string; feature: string } | null {
  if (funding) {
    const newsName = clean(newsHeadline.exec(text)?.[1]);
    if (newsName) return { name: newsName, feature: 'the anchor is a funding or launch headline' };
  }
  if (context.includes('based') || context.includes('headquartered')) {
    const located = clean(locatedSubject.exec(context)?.[1]);
    if (located && properName(located)) {
      return { name: located, feature: 'the sentence around it presents a company and where it is based' };
    }
  }
  // Funding words, not amounts: `Elon Musk is an underdog in his $180 billion fight` is not about a company.
  if (funding && sentenceWords(context).funding) {
    const subject = clean(newsSubject(context));
    if (subject && properName(subject)) {
      return { name: subject, feature: 'the sentence around it is funding news about a company' };
    }
  }
  return null;
}

/**
 * Nouns a headline puts where a name would be (`AI Startup Raises…`, `Chip Maker Unveils…`, `Tech Giant Acquires…`):
 * a run that ends in one describes a company without naming it. `Company` is not one: `The Browser Company` is a name.
 */
const descriptorNouns = new Set(['startup', 'startups', 'start-up', 'firm', 'maker', 'unicorn', 'rival', 'giant']);

/**
 * A name a headline shape captured, without trailing punctuation; null for a stock word (`New`, `Today`) or a
 * description (`AI Startup`).
 */
export function clean(name: string | undefined): string | null {
  const trimmed = (name ?? '').replace(/[.,:;]+$/, '').trim();
  if (trimmed.length < 2 || notNames.has(trimmed.toLowerCase())) return null;
  const lastWord = trimmed.slice(trimmed.search(/\S+$/)).toLowerCase();
  return descriptorNouns.has(lastWord) ? null : trimmed;
}

/**
 * A proper name rather than a title: starts with a letter, and every word is capitalised or a joiner
 * (`Maison de la Radio`, `Maps with Friends`), with no possessive (`Go’s Version Control History` is a title).
 */
export function properName(text: string): boolean {
  if (!startsWithLetter.test(text) || possessiveS.test(text) || versionNumber.test(text)) return false;
  // `FIND OUT MORE`: a shouted call to action, not a name.
  if (anySpace.test(text) && text === text.toUpperCase()) return false;
  // `Per Sportico`, `Via Reuters`: a source introduced by a preposition.
  const words = text.split(spaces);
  if (leadingPrepositions.has(words[0]!.toLowerCase())) return false;
  // `As in past seasons, …`: a sentence's first word, capitalised only because it opens the sentence.
  if (notNames.has(text.toLowerCase())) return false;
  for (const word of words) {
    if (!startsCapitalisedOrNumeric.test(word) && !joiners.has(word.toLowerCase())) return false;
  }
  return true;
}
// `properName`'s patterns, made once: a pattern written in a function body is a new object at every call, and
// properName is asked of thousands of anchors and phrases per corpus round.
const startsWithLetter = /^\p{L}/u;
const possessiveS = /['’]s\b/;
const versionNumber = /\d+\.\d+/;
const anySpace = /\s/;
const spaces = /\s+/;
export const leadingPrepositions = new Set([
  'per',
  'via',
  'according',
  'from',
  'see',
  'like',
  'after',
  'before',
  'just',
  'on',
  'in',
  'at',
  'listen',
  'watch',
]);
export const joiners = new Set([
  'of',
  'de',
  'du',
  'des',
  'la',
  'le',
  'a',
  'with',
  'and',
  '&',
  'for',
  'on',
  'the',
  'by',
]);

/** `Paris-based`, `YC-backed`: a word that describes a company where its name could stand. */
const descriptorWord = /^[\p{L}\p{N}.&]+-(?:based|backed|born|led|owned|funded),?$/iu;
/** `descriptorWord`, asked only of a word with the hyphen every match of it has: most words have none. */
function describesCompany(word: string): boolean {
  return word.includes('-') && descriptorWord.test(word);
}
/** Titles that follow a company's name when an anchor introduces its people (`Rogo Co-Founder & CEO Jane Roe`). */
const roleWord = /^(?:co-?founders?|founders?|ceo|cto|coo|cfo|chair(?:man|woman)?|president|partner)[,:]?$/i;
/** Nouns that say what a company is (`Memecoin Platform`, `AI Startup`): the name comes after them. */
const describing = new Set([...descriptorNouns, 'platform']);
const possessive = /['’]s$/u;

/**
 * A name as it is shown: without describing words before it (`YC-backed Fragment`, `Memecoin Platform Pump.fun`),
 * nor a role or a headline's verb after it (`Rogo Co-Founder & CEO`, `Kimi 2.6 launched`), nor what it owns
 * (`Meter’s Varanasi Brothers`). Empty when nothing but such words is left.
 */
export function tidyName(name: string): string {
  // Most names are one word, which has nothing before or after it to drop.
  if (!name.includes(' ')) return describesCompany(name) ? '' : name;
  const words = name.split(' ');
  let start = 0;
  while (start < words.length && describesCompany(words[start]!)) start++;
  // `AI Startup Loomwise`: the words up to a describing noun say what the company is, the rest who.
  const described = words.findIndex(
    (word, index) => index > start && index < words.length - 1 && describing.has(word.toLowerCase()),
  );
  if (described > 0) start = described + 1;
  let end = start + 1;
  while (end < words.length && !roleWord.test(words[end]!) && !headlineVerbs.has(words[end]!.toLowerCase())) end++;
  const owner = words.slice(start, end - 1).findIndex((word) => possessive.test(word));
  if (owner >= 0) end = start + owner + 1;
  const shown = words.slice(start, end);
  if (owner >= 0) shown[shown.length - 1] = shown.at(-1)!.replace(possessive, '');
  return shown.join(' ');
}

/** The name shown for a scored link: the company a headline presents, else the best guess from anchor and domain. */
export function linkName(
  link: UnclassifiedLink,
  reading: { guess: NameGuess; presented: { name: string } | null },
): string {
  if (reading.presented && (reading.guess.from !== 'anchor' || reading.guess.matchesDomain === false)) {
    return reading.guess.matchesDomain
      ? reading.guess.name
      : tidyName(reading.presented.name) || reading.presented.name;
  }
  if (reading.guess.name) return tidyName(reading.guess.name) || reading.guess.name;
  // A sentence for an anchor (`I switched over to Raycast`, `Amp’s smart mode now uses Opus`): its first name, not
  // the whole sentence, nor a qualifier in brackets (`(AU)`, `(YC W24)`); the anchor itself when it names nothing.
  const unbracketed = cut(link.text).replace(/\([^()]*\)/g, ' ');
  for (const phrase of capitalisedPhrases(unbracketed)) {
    const name = tidyName(phrase);
    if (name !== '' && properName(name)) return name;
  }
  return link.text.trim().slice(0, 60);
}
