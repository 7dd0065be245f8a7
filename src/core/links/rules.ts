/**
 * The hand-set rules that rank one link: a destination the knowledge lists or the newsletter's own pages explain,
 * else a score summed from the signals around it, or, behind an opaque tracker, the shapes that present a company.
 */
import { getDomain } from 'tldts';
import { isFirstName, isPlace, lookUpHost, lookUpName } from './data/index.ts';
import type { LinkKind } from './types.ts';
import type { Classification, UnclassifiedLink } from './classify.ts';
import {
  basedIn,
  boilerplatePath,
  boilerplateText,
  companyPath,
  companyWords,
  cut,
  datedPath,
  imagePath,
  investorLabel,
  libraryHost,
  moneyAmount,
  outletLabel,
  ownNews,
  ownPagePath,
  ownPageText,
  pictureAlt,
  pixelPath,
  podcastTld,
  pressHost,
  productHeading,
  slugNews,
  sponsorWords,
  startupHeading,
  startupTld,
  startupWords,
  statedDomain,
} from './signals.ts';
import {
  capitalisedPhrases,
  completeFromDomain,
  domainLabel,
  guessName,
  looksLikePerson,
  nameInHeadline,
  nameLikeAnchor,
  namesDomain,
  opensWith,
  personalDomain,
  properName,
  rankingMaker,
  squash,
  subjectOfNews,
  titleCase,
  wordRunNaming,
} from './names.ts';

function result(kind: LinkKind, score: number, features: string[], name: string): Classification {
  return { kind, score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, features, name };
}

export function classifyOne(
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
