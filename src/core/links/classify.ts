/**
 * Deterministic classification of each distinct link: what kind of destination it is, how likely it is a startup's
 * own site (score 0..1), the human-readable features that decided it, and a company-name guess. Knowledge (which
 * hosts are social networks, outlets, large companies…) lives in ./data; this file holds only the rules.
 * Per link the work is a handful of Map lookups and a few bounded regular expressions over short strings.
 */
import { getDomain } from 'tldts';
import { isFirstName, isPlace, lookUpHost, lookUpName } from './data/index.ts';
import type { LinkCandidate, LinkKind } from './types.ts';

/** What the document says about itself: the newsletter's own domains (From, List-Unsubscribe, archive links…). */
export interface DocumentContext {
  senderDomains: string[];
}

export type UnclassifiedLink = Omit<LinkCandidate, 'id' | 'kind' | 'score' | 'features' | 'name'>;

export interface Classification {
  kind: LinkKind;
  score: number;
  features: string[];
  name: string;
}

/** Texts are cut to this length before any pattern runs, so a 100 kB anchor costs no more than a short one. */
const maxTextLength = 600;

const ownPageText =
  /\b(unsubscribe|view original|read on the web|view on the web|powered by (ghost|beehiiv|substack|buttondown|kit|convertkit|mailchimp)|view (in|on) (substack|the app)|opt[ -]out|view (this )?(email |issue |post )?(in|on) (your |a |the )?(browser|web)|view online|read online|web version|manage (your )?(subscription|preferences|email)|update (your )?(preferences|profile)|email preferences|forward (this|to a friend)|refer (a )?friends?|referral|share (this )?(newsletter|issue|post|email)|subscribe|advertise (with|in) us|sponsor (us|this newsletter)|become a sponsor|work with us|archive|past issues|read in app|open in app|give a gift|upgrade to paid|leave a comment|like this post|restack)\b/i;
const ownPagePath =
  /^\/(unsubscribe|subscribe|preferences|profile|manage|referral|refer|sponsor|sponsors|advertise|archive|archives|action\/disable_email|app-link|leaderboard|p\/[^/]+\/comments|forward|rewards)(\/|$)|^\/(sponsor|advertis|partner-with)[\w-]*\/?$/i;
/** The pages that prove a domain is the newsletter's own (a startup's site has a sign-up page, never these). */
const senderEvidencePath =
  /^\/(unsubscribe|preferences|manage|referral|refer|archive|archives|action\/disable_email|app-link|leaderboard|p\/[^/]+\/comments|rewards)(\/|$)|^\/(sponsor|advertis|partner-with)[\w-]*\/?$/i;
/** Anchors that prove the same. */
const senderEvidenceText =
  /\b(unsubscribe|view (this )?(email |issue |post )?(in|on) (your |a |the )?(browser|web)|view online|read online|web version|manage (your )?(subscription|preferences)|update (your )?preferences|email preferences|refer (a )?friends?|advertise (with|in) us|sponsor (us|this newsletter)|become a sponsor|past issues)\b/i;
const imagePath = /\.(png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?)$/i;
const pixelPath = /^\/(e\/o|o|open|track\/open|wf\/open|pixel|trk\/open)(\/|\.|$)/i;

const sponsorWords =
  /\b(sponsor(ed|s)?( by| content| post)?|presented by|together with|brought to you by|in partnership with|paid (partnership|promotion|placement)|advertis(ement|ing|er)|partner content|today'?s partner)\b/i;

const startupWords =
  /\b(rais(e|es|ed|ing)|seed|pre-seed|series [a-f]|funding|funded|round|led by|backed|valuation|valued at|unicorn|acquir(e|es|ed|ing)|acquisition|y ?combinator|yc [swfx]?\d\d|startups?|start-ups?|founded|co-?founders?|launch(es|ed|ing)?|stealth|emerg(es|ed) from|introduc(es|ed|ing)|announc(es|ed|ing)|now available|is now|open[- ]sourc(es|ed)|beta|waitlist|show hn|launch hn|product hunt|l[eè]ve|lev[ée]e|jeune pousse)\b/i;
/** The narrower set for wrapped links, where release notes ("Node 11.7 launched") must not count. */
const companyWords =
  /\b(rais(e|es|ed|ing)|seed|pre-seed|series [a-f]|funding|funded|backed by|(vc|yc|venture|investor)-backed|valuation|valued at|unicorn|acquir(e|es|ed|ing)|y ?combinator|yc [swfx]?\d\d|startups?|start-ups?|founded|co-?founders?|stealth|marque|l[eè]ve|lev[ée]e|jeune pousse|acteurs)\b/i;
const moneyAmount = /[$€£]\s?\d+(\.\d+)?\s?(k|m|mn|million|b|bn|billion)\b/i;

const companyPath =
  /^\/(|about(-us)?|company|team|careers|jobs|pricing|product|products|features|download|waitlist|signup|sign-up|demo|contact|home|en|en-us|platform|solutions|customers)\/?$/i;
const datedPath = /\/(19|20)\d\d\/\d{1,2}\//;
/** Pages every site has that say nothing about the company: legal, status and ad-network pages. */
const boilerplatePath =
  /^\/([a-z]{2}(-[a-z]{2})?\/)?(cookie|cookies|cookie-notice|privacy|privacy-policy|terms|tos|legal|imprint|impressum|powered-by|incidents|status|help|support|faq|login|signin|sign-in)(\/|$|-)/i;
/** Footer links every sender has: they say nothing about any company. */
const boilerplateText =
  /^\s*(terms( of (service|use))?|privacy( (policy|notice|statement))?|cookie (policy|notice|settings)|contact( us)?|ad ?choices|ads powered by [\w ]+|do not sell( or share)? my (personal )?information|accessibility|careers|help|faq)\s*$/i;
/** Registrable labels that name an outlet, not a company (`agfundernews`, `businesschief`, `alleywatch`). */
const outletLabel =
  /(startups?|news|times|post|daily|journal|magazine|mag|wire|weekly|digest|report|review|insider|tribune|herald|gazette|chronicle|press|media|today|watch|republic|chief|observer|monitor|radio|podcast|newsletter|blog)$/;
/** Open-source libraries' own sites (`velocityjs.org`, `redom.js.org`). */
const libraryHost = /(js|\.js)\.org$|^(.*\.)?[a-z0-9-]+js\.(org|dev|io|com)$/;
const podcastTld = /\.fm$/;
const pictureAlt = /\b(photo|picture|image|logo|avatar|headshot|portrait|banner)\b/i;
const pressHost = /^(news|press|newsroom|investors?|ir|media)\./;
const investorLabel = /(capital|ventures?|partners|invest|fund)\.|\.(vc|capital|ventures|fund)$/;
const startupTld = /\.(ai|io|co|so|dev|app|sh|xyz|tech|inc|new|run|build|tools|studio|coach|gg|ly|me|to|cc|is|im)$/;

const genericAnchor =
  /^(click here|here|this|link|read more|learn more|more|more here|see more|continue reading|read|full story|source|website|site|homepage|view|details|check it out|find out more|find out|discover|try it|try it out|go|open|get started|sign up|join|apply|watch|listen|download|register|follow (us )?on \w+|this post|this article|this thread|the announcement|announcement|blog post|post|article|paper|report|thread|video|podcast|→|»|›)\W*$/i;

/** Word runs that can be a company name: capitalised words, with the joiners names use. */
const capitalisedRun =
  /(?:^|[^\p{L}\p{N}])(\p{Lu}[\p{L}\p{N}.&'’-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}.&'’-]*|&|of|de|la|du|AI|\.ai)){0,3})/gu;
/** Capitalised words that start sentences or name dates and roles, never a company on their own. */
const notNames = new Set(
  [
    'The A An This That These Those It Its I We Our You Your He She They In On At For With And But Or If',
    'When How Why What Who New More Read Here Today Yesterday Monday Tuesday Wednesday Thursday Friday',
    'Saturday Sunday January February March April May June July August September October November',
    'December CEO CTO AI US UK EU London Paris Series Announcing Introducing Sponsored Sponsor Presented',
    'Together Learn Check Try Get Join Sign Click Link',
  ]
    .join(' ')
    .split(' ')
    .map((word) => word.toLowerCase()),
);

function cut(text: string): string {
  return text.length > maxTextLength ? text.slice(0, maxTextLength) : text;
}

/** Lower-cased letters and digits only: how names and domain labels are compared (`Crew Line` ~ `crewline`). */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The registrable domain's first label, which is usually the company's name (`acmerobotics` in acmerobotics.com). */
function domainLabel(domain: string): string {
  const dot = domain.indexOf('.');
  return dot < 0 ? domain : domain.slice(0, dot);
}

function titleCase(label: string): string {
  return label
    .split(/[-_]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

const headlineVerbs = new Set([
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

function capitalisedPhrases(text: string): string[] {
  const phrases: string[] = [];
  for (const match of text.matchAll(capitalisedRun)) {
    let phrase = (match[1] ?? '')
      .replace(/['’]s$/, '')
      .replace(/[.'’-]+$/, '')
      .trim();
    const firstWord = phrase.split(/\s+/)[0] ?? '';
    if (notNames.has(firstWord.toLowerCase())) phrase = phrase.slice(firstWord.length).trim();
    // `Gizmo Raises $20M`: headline case capitalises the verb too; the name ends before it.
    const words = phrase.split(/\s+/);
    const verbAt = words.findIndex((word, index) => index > 0 && headlineVerbs.has(word.toLowerCase()));
    if (verbAt > 0) phrase = words.slice(0, verbAt).join(' ');
    if (phrase.length >= 2 && !notNames.has(phrase.toLowerCase())) phrases.push(phrase);
  }
  return phrases;
}

/** A phrase names the domain when their squashed forms contain one another (`Taurus` ~ `ontaurus`). */
function namesDomain(phrase: string, label: string): boolean {
  const squashed = squash(phrase);
  if (squashed.length < 3 || label.length < 3) return false;
  if (squashed === label) return true;
  // `Taurus` ~ `ontaurus`, `Ionic` ~ `ionicframework`: one at the start or end of the other, never a fragment inside.
  const [shorter, longer] = squashed.length < label.length ? [squashed, label] : [label, squashed];
  if (shorter.length >= 4 && (longer.startsWith(shorter) || longer.endsWith(shorter))) return true;
  // `InfluxDB` ~ `influxdata`: a long shared stem.
  let common = 0;
  while (common < squashed.length && common < label.length && squashed[common] === label[common]) common++;
  return common >= 5 && common >= 0.7 * Math.min(squashed.length, label.length);
}

/** Whitespace that collapsing would change: any but a lone space. */
const collapsible = /[^\S ]| {2}/;

/** A wrapped link that is not a company asks the same anchor twice (its verdict, then its name): the last answer. */
let lastAnchorText: string | null = null;
let lastAnchorName: string | null = null;

/** Anchor text that could be a name itself: short, not a stock phrase, not a URL. */
function nameLikeAnchor(text: string): string | null {
  if (text !== lastAnchorText) {
    lastAnchorName = readNameLikeAnchor(text);
    lastAnchorText = text;
  }
  return lastAnchorName;
}

function readNameLikeAnchor(text: string): string | null {
  if (text.length > 80) return null;
  const trimmed = collapsible.test(text) ? text.trim().replace(/\s+/g, ' ') : text.trim();
  if (trimmed.length < 2 || trimmed.length > 40 || genericAnchor.test(trimmed) || /^(https?:|www\.)/i.test(trimmed)) {
    return null;
  }
  const words = trimmed.split(' ');
  if (words.length > 4) return null;
  return /^\p{Lu}|^\p{N}/u.test(trimmed) ? trimmed.replace(/\s*[([].*$/, '').replace(/[:.,;!]+$/, '') : null;
}

/** "Acme Robotics, a maker of … raised $12M" → "Acme Robotics": the subject of a funding or launch sentence. */
const subjectOfNews =
  /(?:^|[.!?•:—–-]\s+)(\p{Lu}[\p{L}\p{N}.&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}.&'’-]*){0,3})(?:\s*\([^)]{0,40}\))?(?:,\s+(?:a|an|the|which|who)\b|\s+(?:has\s+|just\s+)?(?:raised|raises|launched|launches|announced|announces|secured|secures|closed|lands|landed|unveiled|unveils|emerged|is\s+(?:a|an|building|making)))/u;

interface NameGuess {
  name: string;
  matchesDomain: boolean;
  from: 'anchor' | 'context' | 'domain' | 'none';
}

function guessName(link: UnclassifiedLink, label: string | null): NameGuess {
  const text = cut(link.text);
  const context = cut(link.context);
  if (label) {
    for (const phrase of capitalisedPhrases(text)) {
      if (namesDomain(phrase, label)) return { name: phrase, matchesDomain: true, from: 'anchor' };
    }
    for (const phrase of capitalisedPhrases(context)) {
      if (namesDomain(phrase, label)) return { name: phrase, matchesDomain: true, from: 'context' };
    }
    // Lower-case brands (`bun`, `exe.dev`): the label itself as a whole word of the anchor.
    const anchorWords = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
    if (label.length >= 3 && anchorWords.has(label))
      return { name: titleCase(label), matchesDomain: true, from: 'anchor' };
  }
  const anchor = nameLikeAnchor(text);
  if (anchor) return { name: anchor, matchesDomain: false, from: 'anchor' };
  const subject = subjectOfNews.exec(context)?.[1];
  if (subject && !notNames.has(subject.toLowerCase())) return { name: subject, matchesDomain: false, from: 'context' };
  if (label) return { name: titleCase(label), matchesDomain: false, from: 'domain' };
  return { name: '', matchesDomain: false, from: 'none' };
}

/** "Jake Wharton", "Palmer Luckey": two or three words starting with a common given name. */
function looksLikePerson(name: string): boolean {
  const words = name.split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) {
    if (isFirstName(words[i] ?? '') && /^\p{Lu}\p{Ll}/u.test(words[i + 1] ?? '')) return true;
  }
  return false;
}

/** `patriksvensson`, `jakewharton`: a given name followed by a surname. */
function personalDomain(label: string): boolean {
  // The surname part must be long enough that `raycast` (ray + cast) or `samsara` is not taken for a person.
  for (let cut = 3; cut <= 8 && cut <= label.length - 5; cut++) {
    if (isFirstName(label.slice(0, cut))) return true;
  }
  return false;
}

/** A URL slug reporting news about a named company: `nervonik raises 52 5m…`. */
const slugNews =
  /(?:^| )([a-z0-9]+(?: [a-z0-9]+)?) (?:raises|raised|secures|secured|lands|landed|closes|closed|bags|nabs|snags|acquires|acquired|launches|launched|unveils|gets|announces)\b/;
/** A slug announcing the site's own round or launch: `/post/series-a`, `/blog/raising-4-3m`, `/blog/introducing-x`. */
const ownNews =
  /\b(series [a-f]|seed|pre seed|funding|fundraise|raising|we raised|announcing|introducing|launch(ing)?|is now|now available)\b/;

function parsePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

function result(kind: LinkKind, score: number, features: string[], name: string): Classification {
  return { kind, score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, features, name };
}

function classifyOne(
  link: UnclassifiedLink,
  path: string,
  senders: Set<string>,
  senderLabels: Set<string>,
): Classification {
  const text = cut(link.text);
  const context = cut(link.context);
  const heading = cut(link.heading);

  if (link.needsNetwork) return classifyOpaque(link, text, context, heading, senderLabels);

  const label = domainLabel(link.domain);
  if (senders.has(link.domain)) return result('newsletter', 0.02, ["the newsletter's own domain"], '');
  if (ownPagePath.test(path))
    return result('newsletter', 0.03, ['a newsletter page (subscribe, archive, preferences…)'], '');
  if (ownPageText.test(text)) return result('newsletter', 0.03, ["anchor text of a newsletter's own page"], '');
  if (boilerplateText.test(text)) return result('other', 0.03, ['a legal, contact or ad-choice link'], '');
  if (senderLabels.has(label)) return result('newsletter', 0.03, ["a sibling of the newsletter's own domain"], '');
  if (imagePath.test(path) || pixelPath.test(path))
    return result('image', 0.01, ['an image file or tracking pixel'], '');

  if (link.domain === 'producthunt.com' && /^\/(posts|products)\/[^/]/.test(path)) {
    const guess = guessName(link, null);
    const slug = path.split('/')[2] ?? '';
    // "GPT-5.5 by OpenAI", "Claude Connectors": a large company's launch is not a startup's.
    const maker = capitalisedPhrases(text).find(
      (phrase) => lookUpName(phrase) ?? lookUpName(phrase.split(' ')[0] ?? ''),
    );
    if (maker) return result('bigco', 0.2, [`a Product Hunt launch by a known company (${maker})`], guess.name);
    return result('startup', 0.75, ['a Product Hunt launch page'], guess.name || titleCase(slug));
  }
  const known = lookUpHost(link.host);
  if (known) {
    return result(known.kind, known.kind === 'other' ? 0.05 : 0.03, [known.feature], '');
  }

  if (link.isImage && pictureAlt.test(text)) return result('image', 0.02, ['a photo or logo'], '');
  if (text.trim().startsWith('@')) return result('other', 0.1, ['a social handle, not a company'], '');
  if (pressHost.test(link.host)) return result('other', 0.1, ['a press-release or investor-relations site'], '');
  if (investorLabel.test(link.domain)) return result('other', 0.1, ['an investor (the domain names a fund)'], '');
  // Only for pages below the home page: people's sites are linked by their posts, companies by their home page.
  if (path !== '/' && personalDomain(label)) {
    return result('other', 0.1, ["a person's own site (the domain is a name)"], '');
  }
  if (boilerplatePath.test(path)) return result('other', 0.05, ['a legal, status or help page'], '');
  if (podcastTld.test(link.domain)) return result('media', 0.05, ['a podcast (.fm)'], '');
  if (libraryHost.test(link.host)) return result('code', 0.1, ["an open-source library's own site"], '');
  if (outletLabel.test(label)) return result('media', 0.1, ['the domain names an outlet (news, weekly, review…)'], '');

  const guess = guessName(link, label);
  const features: string[] = [];
  const sponsored = sponsorWords.test(heading) || sponsorWords.test(text) || /\(sponsor\)/i.test(context);
  if (sponsored) {
    features.push('in a sponsor block');
    if (guess.matchesDomain) features.push(`names the company (${guess.name})`);
    return result('sponsor', guess.matchesDomain ? 0.7 : 0.6, features, guess.name);
  }
  if (guess.matchesDomain && looksLikePerson(guess.name)) {
    return result('other', 0.1, [`a person's own site (${guess.name})`], guess.name);
  }
  const slugWords = path.toLowerCase().replace(/[-_/.+]+/g, ' ');
  const slugSubject = slugNews.exec(slugWords)?.[1];
  if (slugSubject && !namesDomain(slugSubject, label)) {
    return result('media', 0.1, [`an article about another company (${slugSubject})`], titleCase(slugSubject));
  }
  const subject = subjectOfNews.exec(context)?.[1];
  if (!guess.matchesDomain && subject && !namesDomain(subject, label) && !companyPath.test(path)) {
    return result('media', 0.1, [`an article about another company (${subject})`], subject);
  }

  let score = 0.25;
  if (guess.matchesDomain) {
    const anchorIsName = guess.from === 'anchor' && text.trim().split(/\s+/).length <= 4;
    score += anchorIsName ? 0.35 : 0.25;
    features.push(`${anchorIsName ? 'anchor text' : 'sentence'} names the domain (${guess.name})`);
  }
  const newsText = `${text} ${context} ${heading}`;
  if (companyWords.test(newsText) || moneyAmount.test(newsText)) {
    score += 0.2;
    features.push('funding words nearby');
  } else if (startupWords.test(newsText)) {
    // Launch words also describe releases of open-source projects and big companies' products: weaker.
    score += guess.matchesDomain ? 0.2 : 0.05;
    features.push('launch words nearby');
  }
  if (ownNews.test(slugWords)) {
    score += 0.2;
    features.push('the page announces its own funding or launch');
  }
  if (companyPath.test(path)) {
    score += 0.15;
    features.push("the company's home or product page");
  } else if (datedPath.test(path) || /\.(pdf|html?|php)$/i.test(path)) {
    score -= 0.1;
    features.push('an article or document path');
  }
  if (startupTld.test(link.domain)) {
    score += 0.05;
    features.push('a startup-style domain ending');
  }
  if (link.isImage && !guess.matchesDomain) score -= 0.05;
  const bareName = text.trim() !== '' && text.trim().split(/\s+/).length <= 4;
  if (bareName && context.trim() !== '' && squash(context).length - squash(text).length < 12) {
    score -= 0.3;
    features.push('no sentence around the link');
  }
  const kind: LinkKind = score >= 0.55 ? 'startup' : 'other';
  if (kind === 'other') features.push('not enough startup signals');
  return result(kind, score, features, guess.name);
}

/** A domain written out in the text: `//mattermost` (Hacker Newsletter), `exe.dev`, `[acme.ai]`. */
const statedDomain =
  /(?:\/\/([a-z0-9][a-z0-9-]{1,40})\b|\b([a-z0-9][a-z0-9-]{0,40}\.(?:com|io|ai|co|dev|app|so|sh|xyz|tech|new|run|build|tools|studio|gg|ly|me|to|cc|is|im|net|org)))(?=$|[\s),.;:\]])/gi;
/** `NOBL Travel (USA)`, `July (AU)`: a name followed by where it is based. */
const basedIn = /^\s*\((?:[A-Z]{2,3}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\)/;
/** Headings of sections that list companies or products. */
const startupHeading =
  /\b(startups?|fundings?|funding rounds?|deals?|launch(es)?|raised|raises|acquisitions?|m&a|companies|portfolio|investments?)\b/i;

/** Where `name` sits in `context`: as the sentence's subject (`Helium - radically…`, `Stickerbox: un cube…`)? */
function isSubject(name: string, context: string): boolean {
  const at = context.indexOf(name);
  if (at < 0) return false;
  const before = context.slice(Math.max(0, at - 12), at);
  const after = context.slice(at + name.length, at + name.length + 12);
  const startsSentence = at === 0 || /(^|[.!?•:—–-]|TL;DR:)\s*$/.test(before);
  return (
    startsSentence &&
    /^(\s*[-–—:,(]|\s+(is|was|has|and|raised|raises|launched|launches|lets|helps|makes|builds|uses)\b|['’]s\b)/.test(
      after,
    )
  );
}

/**
 * A wrapped link nobody can open offline: only its words can say it is a startup. The anchor must be a name that
 * the knowledge lists do not know, not a person or a place, and something in the sentence must present it as a
 * company. A headline anchor is an article, not the company's site — unless the text states the company's domain.
 */
function classifyOpaque(
  link: UnclassifiedLink,
  text: string,
  context: string,
  heading: string,
  senderLabels: Set<string>,
): Classification {
  const tracker = link.tracker ?? 'a tracker';
  const features = [`wrapped by ${tracker}; the destination needs a network request`];
  if (ownPageText.test(text))
    return result('newsletter', 0.03, [...features, "anchor text of a newsletter's own page"], '');
  if (sponsorWords.test(heading) || sponsorWords.test(text) || /\(sponsor\)/i.test(context)) {
    return result('sponsor', 0.5, [...features, 'in a sponsor block'], guessName(link, null).name);
  }
  if (boilerplateText.test(text)) return result('other', 0.03, [...features, 'a legal, contact or ad-choice link'], '');

  // A domain written in the text that the anchor names, with the anchor presenting a company or a product
  // (`Mattermost Raises $20M //mattermost`, `MyBrandNewLogo – A logo generator //mybrandnewlogo`).
  const both = `${text} ${context}`;
  const funding = companyWords.test(both) || moneyAmount.test(both);
  const companyNews = funding || productHeading.test(heading);
  // Without company news no stated domain can make it a startup, so the domains are not looked for.
  for (const match of companyNews ? both.matchAll(statedDomain) : []) {
    const written = (match[1] ?? match[2] ?? '').toLowerCase();
    const label = written.split('.')[0] ?? '';
    if (label.length < 3 || senderLabels.has(label) || (match[2] && lookUpHost(written))) continue;
    if (text.trim().toLowerCase() === written) continue;
    // The exact spelling first: `Papers with Code` rather than `Code`, which only ends `paperswithcode`.
    const spelled = wordRunNaming(text, label);
    const phrase = spelled ?? capitalisedPhrases(text).find((candidate) => namesDomain(candidate, label));
    const name = phrase ? completeFromDomain(phrase, label) : text.toLowerCase().startsWith(written) ? written : null;
    if (!name || lookUpName(name)) continue;
    // `Learn and practice modern JavaScript //learnjavascript`, `Wine 4.0 released //winehq`: a launch names its
    // product first, and a version number is a release of existing software.
    if (!companyWords.test(both) && ((!spelled && !opensWith(text, phrase ?? name)) || /\d+\.\d+/.test(text))) continue;
    if (companyNews) {
      return result(
        'startup',
        0.65,
        [...features, `the text states its domain (${written})`, 'funding, launch or company words nearby'],
        name,
      );
    }
  }

  // `• Pixy: https://www.pixy.com`: the anchor text is the destination itself.
  const written = /^\s*(https?:\/\/[^\s]+)\s*$/i.exec(text)?.[1];
  if (written && URL.canParse(written)) {
    const host = new URL(written).hostname.toLowerCase();
    const known = lookUpHost(host);
    if (known) return result(known.kind, 0.05, [...features, `the anchor text is a link to ${known.feature}`], '');
    const label = domainLabel(getDomain(host, { allowPrivateDomains: true }) ?? host);
    const phrase = capitalisedPhrases(context).find((candidate) => namesDomain(candidate, label));
    if (phrase && !senderLabels.has(label) && !looksLikePerson(phrase) && !personalDomain(label)) {
      return result(
        'startup',
        0.6,
        [...features, `the anchor text is its address, and the sentence names it (${phrase})`],
        phrase,
      );
    }
  }

  const anchorName = nameLikeAnchor(text);
  if (!anchorName || !properName(anchorName)) {
    const named = nameInHeadline(text, context, funding);
    if (named && !lookUpName(named.name) && !isPlace(named.name) && !looksLikePerson(named.name)) {
      return result('startup', 0.55, [...features, named.feature, `the company is ${named.name}`], named.name);
    }
    return result('other', 0.2, [...features, 'the anchor is not a company name'], guessName(link, null).name);
  }
  const known = lookUpName(anchorName);
  if (known) return result(known.kind, 0.05, [...features, `the anchor names ${known.feature}`], anchorName);
  if (isPlace(anchorName)) return result('other', 0.05, [...features, 'the anchor names a place'], '');
  if (looksLikePerson(anchorName) || isFirstName(anchorName)) {
    return result('other', 0.1, [...features, 'the anchor names a person'], anchorName);
  }

  // `Artificial Analysis Intelligence Index`: a named ranking is a product of its maker, whose name leads.
  const maker = rankingMaker.exec(anchorName)?.[1];
  if (maker && !lookUpName(maker) && !isPlace(maker) && !looksLikePerson(maker) && /\brank|\blead/i.test(context)) {
    return result('startup', 0.55, [...features, `a ranking published by ${maker}`], maker);
  }

  const signals: string[] = [];
  const at = context.indexOf(anchorName);
  if (at >= 0 && basedIn.test(context.slice(at + anchorName.length))) signals.push('says where it is based');
  if (companyWords.test(context) || moneyAmount.test(context)) signals.push('funding or company words nearby');
  if (startupHeading.test(heading)) signals.push('in a section about companies or products');
  if (builtBy(context, anchorName)) signals.push('someone builds or founded it');
  if (usedAsProduct(context, anchorName)) signals.push('the sentence uses it or compares with it as a product');
  const subjectOfSentence = isSubject(anchorName, context);
  // `Stickerbox: un cube … pour $99`, `Dandy is attacking the dentistry supply chain`: a product with a price, or a
  // company doing business. A bare `Name: description` is a tool roundup's item, most often open source.
  if (subjectOfSentence && priced.test(context)) signals.push('the sentence gives its price');
  // `TL;DR: Fixpoint automates…`: the newsletter sums up what it does, as it does for a company it profiles.
  if (summarisedAs(context, anchorName)) {
    signals.push('the newsletter sums it up (TL;DR)');
  }
  if (doingBusiness(context, anchorName)) signals.push('the sentence says what it is doing');
  if (signals.length > 0) {
    if (subjectOfSentence) signals.push('the sentence is about it');
    const score = Math.min(0.8, 0.5 + 0.1 * signals.length);
    return result('startup', score, [...features, ...signals, `the anchor is a name (${anchorName})`], anchorName);
  }
  return result('other', 0.4, [...features, 'the anchor is a name, but nothing says it is a company'], anchorName);
}

/** Section headings that list launches: every item is a product (`#Show HN`, `Launch HN`). */
const productHeading = /\b(show|launch) hn\b|\bproduct hunt\b/i;

/** The text starts with `name`, after an article (`The Looking Glass – …`). */
function opensWith(text: string, name: string): boolean {
  return text
    .trim()
    .replace(/^(the|a|an)\s+/i, '')
    .startsWith(name);
}

/** `Papers with Code` ~ `paperswithcode`: a run of up to five words of the text that spells the domain's label. */
function wordRunNaming(text: string, label: string): string | null {
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

/** `Looking Glass` with `//lookingglassfactory` → `Looking Glass Factory`: the domain spells the full name. */
function completeFromDomain(phrase: string, label: string): string {
  const squashed = squash(phrase);
  if (squashed.length < 4 || !label.startsWith(squashed) || label.length - squashed.length < 3) return phrase;
  return `${phrase} ${titleCase(label.slice(squashed.length))}`;
}

const nameWord = String.raw`\p{Lu}[\p{L}\p{N}&.'’-]*`;
const nameRun = String.raw`${nameWord}(?:\s+${nameWord}){0,2}`;
/** `July (AU) avec sa nouvelle CaseSafe`: a name, where it is based, then what it makes. */
const basedInHeadline = new RegExp(String.raw`^\s*(${nameRun})\s*\((?:[A-Z]{2}|USA|UAE)\)`, 'u');
/** `ComfyUI raised $30M at a $500M valuation`: a headline whose subject raised, launched or was acquired. */
const newsHeadline = new RegExp(
  String.raw`^\s*(${nameRun})(?:\s*\([^)]{0,40}\))?\s+(?:has\s+|just\s+)?(?:raised|raises|secures|secured|lands|landed|closes|closed|emerges|emerged|launches|launched|unveils|unveiled)\b`,
  'u',
);
/** `Amp’s smart mode now uses Opus 4.7`: a product update whose subject is the product. */
const productUpdate = new RegExp(
  String.raw`^\s*(${nameWord})['’]s\s+[\p{L}\s-]{2,40}?\b(?:now|gets|adds|ships|launches|supports)\b`,
  'u',
);
/** `Rogo Co-Founder & CEO Gabriel Stengel`: a founder introduced by the company's name. */
const founderTitle = new RegExp(String.raw`^\s*(${nameRun})\s+(?:co-?)?founder\b`, 'iu');
/** `Artificial Analysis Intelligence Index`: a maker's name, then what kind of ranking it publishes. */
const rankingMaker = new RegExp(
  String.raw`^(${nameWord}(?:\s+${nameWord})?)\s+(?:[\p{L}-]+\s+)?(?:Index|Leaderboard|Rankings?|Benchmark)$`,
  'u',
);

/** `What’s new: Agility Robotics, based in Oregon, is supplying…`: the sentence's subject is a located company. */
const locatedSubject = new RegExp(
  String.raw`(?:^|[.!?:]\s+)(${nameRun}),\s+(?:based\s+in|headquartered\s+in|a\s+[\p{L}-]+-based)\b`,
  'u',
);

/** `acquired Paris-based, YC-backed Fragment`: the anchor ends on the company a deal is about. */
const dealTarget = new RegExp(
  String.raw`\b(?:acquired|acquires|buys|bought|[\p{L}]+-backed|backed\s+by\s+\S+)\s+(${nameRun})\W*$`,
  'u',
);
/** `I switched over to Raycast`, `sort of like Postman`: the anchor ends on a product someone uses. */
const usedAtEnd = new RegExp(
  String.raw`\b(?:switched(?:\s+over)?\s+to|moved\s+to|migrated\s+to|(?:sort|kind)\s+of\s+like|alternative\s+to|type)\s+(${nameRun})\W*$`,
  'u',
);

/**
 * A headline or sentence fragment as anchor: the company it is about, when its shape says so — the subject of a
 * funding or launch headline, of a product update, a founder's company, a product someone switched to, or the
 * subject of the sentence around it when that sentence is funding news.
 */
function nameInHeadline(text: string, context: string, funding: boolean): { name: string; feature: string } | null {
  // Each shape is tried only when a cheap look at the text allows it: this runs for most wrapped links.
  // Not `clean`: `July (AU)` is a company whose name is a month.
  const basedName = text.includes('(') ? basedInHeadline.exec(text)?.[1]?.trim() : undefined;
  if (basedName) return { name: basedName, feature: 'the anchor names a company and where it is based' };
  if (funding) {
    const newsName = clean(newsHeadline.exec(text)?.[1]);
    if (newsName) return { name: newsName, feature: 'the anchor is a funding or launch headline' };
  }
  if (text.includes('’s ') || text.includes("'s ")) {
    const productName = clean(productUpdate.exec(text)?.[1]);
    if (productName) return { name: productName, feature: "the anchor is a product's update" };
  }
  if (/founder/i.test(text)) {
    const founded = clean(founderTitle.exec(text)?.[1]);
    if (founded && properName(founded)) return { name: founded, feature: "the anchor names its founder's company" };
  }
  if (endsOnCapital(text)) {
    // Both shapes end the anchor: its last words are enough, and long anchors cost no more than short ones.
    const tail = text.length > 80 ? text.slice(-80) : text;
    const target = clean(dealTarget.exec(tail)?.[1]);
    if (target && properName(target)) {
      return { name: target, feature: 'the anchor ends on a company acquired or backed' };
    }
    const used = clean(usedAtEnd.exec(tail)?.[1]);
    if (used && properName(used)) return { name: used, feature: 'the anchor names a product someone uses' };
  }
  if (context.includes('based') || context.includes('headquartered')) {
    const located = clean(locatedSubject.exec(context)?.[1]);
    if (located && properName(located)) {
      return { name: located, feature: 'the sentence around it presents a company and where it is based' };
    }
  }
  // Funding words, not amounts: `Elon Musk is an underdog in his $180 billion fight` is not about a company.
  if (funding && companyWords.test(context)) {
    const subject = clean(subjectOfNews.exec(context)?.[1]);
    if (subject && properName(subject)) {
      return { name: subject, feature: 'the sentence around it is funding news about a company' };
    }
  }
  return null;
}

/** A name a headline shape captured, without trailing punctuation; null for a stock word (`New`, `Today`). */
function clean(name: string | undefined): string | null {
  const trimmed = (name ?? '').replace(/[.,:;]+$/, '').trim();
  return trimmed.length >= 2 && !notNames.has(trimmed.toLowerCase()) ? trimmed : null;
}

/** The last word of `text` starts with a capital (`… YC-backed Fragment`, `… over to Raycast.`). */
function endsOnCapital(text: string): boolean {
  const trimmed = text.trimEnd();
  const start = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\u00a0')) + 1;
  return /\p{Lu}/u.test(trimmed.charAt(start));
}

const tldr = /\bTL;?DR\s*:\s*/gi;

/** `TL;DR: Fixpoint automates…`: the summary starts with the name. */
function summarisedAs(context: string, name: string): boolean {
  if (!context.includes('DR') && !context.includes('dr')) return false;
  tldr.lastIndex = 0;
  for (let match = tldr.exec(context); match; match = tldr.exec(context)) {
    if (context.startsWith(name, match.index + match[0].length)) return true;
  }
  return false;
}

const priced = /[$€£]\s?\d+|\b\d+\s?(€|\$|euros?|dollars?)(?!\p{L})/iu;
const businessVerb = /^\s+is\s+(attacking|building|making|selling|supplying|disrupting|bringing|helping|rebuilding)\b/;

function doingBusiness(context: string, name: string): boolean {
  let at = context.indexOf(name);
  while (at >= 0) {
    if (businessVerb.test(context.slice(at + name.length, at + name.length + 30))) return true;
    at = context.indexOf(name, at + name.length);
  }
  return false;
}

/** `switched over to Raycast`, `sort of like Postman`, `modèles type Take a Chef`: used or compared as a product. */
const productVerbs =
  /\b(switched (over )?to|moved to|migrated to|(sort|kind) of like|alternative to|type|built with)\s*$/i;

function usedAsProduct(context: string, name: string): boolean {
  const at = context.indexOf(name);
  // `Just like The Basics`: a title, not a product.
  return at > 0 && !name.startsWith('The ') && productVerbs.test(context.slice(Math.max(0, at - 24), at));
}

const builderVerbs =
  /\b(working on|building|built|founded|co-?founded|started|launched|created|runs?|CEO of|founder of)\s*$/i;

/** `I am working on Lex`, `the founder of Acme`: the sentence says someone makes it. */
function builtBy(context: string, name: string): boolean {
  const at = context.indexOf(name);
  return at > 0 && builderVerbs.test(context.slice(Math.max(0, at - 20), at));
}

/**
 * A proper name rather than a title: starts with a letter, and every word is capitalised or a joiner
 * (`Gens de Confiance`, `Papers with Code`), with no possessive (`Go’s Version Control History` is a title).
 */
function properName(text: string): boolean {
  if (!/^\p{L}/u.test(text) || /['’]s\b/.test(text) || /\d+\.\d+/.test(text)) return false;
  // `FIND OUT MORE`: a shouted call to action, not a name.
  if (/\s/.test(text) && text === text.toUpperCase()) return false;
  // `Per Sportico`, `Via Reuters`: a source introduced by a preposition.
  if (leadingPrepositions.has(text.split(/\s+/)[0]!.toLowerCase())) return false;
  return text.split(/\s+/).every((word) => /^(\p{Lu}|\p{N})/u.test(word) || joiners.has(word.toLowerCase()));
}
const leadingPrepositions = new Set([
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
const joiners = new Set(['of', 'de', 'du', 'des', 'la', 'le', 'a', 'with', 'and', '&', 'for', 'on', 'the', 'by']);

/** Classify every link of one document; the result is index-aligned with `links`. */
export function classifyLinks(links: UnclassifiedLink[], doc: DocumentContext): Classification[] {
  const senders = new Set(
    doc.senderDomains.map((host) => getDomain(host, { allowPrivateDomains: true }) ?? host.toLowerCase()),
  );
  const paths = links.map((link) => parsePath(link.url));
  // A domain that serves one of the newsletter's own pages (subscribe, sponsor us…) is the newsletter's own.
  links.forEach((link, index) => {
    if (link.needsNetwork || senders.has(link.domain) || lookUpHost(link.host)) return;
    if (senderEvidenceText.test(cut(link.text)) || senderEvidencePath.test(paths[index]!)) senders.add(link.domain);
  });
  const senderLabels = new Set([...senders].map(domainLabel).filter((label) => label.length >= 4));
  const results = links.map((link, index) => classifyOne(link, paths[index]!, senders, senderLabels));
  return spreadSponsorBlocks(links, results);
}

/**
 * A sponsor block has several links (the product, its docs, a sign-up page) and usually only one says "(Sponsor)":
 * a candidate right next to a sponsor link, under the same heading, belongs to the same block.
 */
function spreadSponsorBlocks(links: UnclassifiedLink[], results: Classification[]): Classification[] {
  const order = links.map((_, index) => index).sort((a, b) => links[a]!.firstPosition - links[b]!.firstPosition);
  for (let i = 0; i < order.length; i++) {
    const index = order[i]!;
    const current = results[index]!;
    if (current.kind !== 'startup' && current.kind !== 'other') continue;
    if (current.features.some((feature) => feature.startsWith('a person') || feature.startsWith('an investor')))
      continue;
    for (const neighbour of [order[i - 1], order[i + 1]]) {
      if (neighbour === undefined) continue;
      const near = links[neighbour]!;
      const sameBlock =
        near.heading === links[index]!.heading && Math.abs(near.firstPosition - links[index]!.firstPosition) <= 2;
      if (sameBlock && results[neighbour]!.kind === 'sponsor' && !links[index]!.needsNetwork) {
        results[index] = { ...current, kind: 'sponsor', features: [...current.features, 'next to a sponsor link'] };
        break;
      }
    }
  }
  return results;
}
