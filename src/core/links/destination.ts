/**
 * What a destination is when knowledge, not judgement, says so: the newsletter's own pages, images and pixels,
 * legal footers, and hosts or names the knowledge lists (./data, each from a cited public source) know. These links
 * are not scored: the learned scorer ranks only the links nothing here explains.
 */
import { getDomain } from 'tldts';
import { lookUpHost, lookUpName } from './data/index.ts';
import type { Classification } from './classify.ts';
import type { LinkKind } from './types.ts';
import { capitalisedPhrases, domainLabel, guessName, nameLikeAnchor, namesDomain, squash, titleCase } from './names.ts';
import { boilerplateText, imagePath, ownPagePath, ownPageText, pictureAlt, pixelPath } from './signals.ts';
import type { UnclassifiedLink } from './classify.ts';

export interface Senders {
  domains: ReadonlySet<string>;
  /** The senders' domain labels of four letters or more: `strictlyvc` also owns `strictlyvc.substack.com`. */
  labels: ReadonlySet<string>;
}

export function sendersOf(domains: readonly string[]): Senders {
  return {
    domains: new Set(domains),
    labels: new Set(domains.map(domainLabel).filter((label) => label.length >= 4)),
  };
}

export function fixed(kind: LinkKind, score: number, feature: string, name = ''): Classification {
  return { kind, score, features: [feature], name, reason: feature };
}

/** `https://www.pixy.com` as the anchor text of a wrapped link: the destination is written out. */
export function writtenDestination(text: string): string | null {
  const written = /^\s*(https?:\/\/[^\s]+)\s*$/i.exec(text)?.[1];
  return written && URL.canParse(written) ? new URL(written).hostname.toLowerCase() : null;
}

/**
 * `DeepLearning.AI` from deeplearning.ai, `Stratechery` from stratechery.com: the whole name spells a sender's domain
 * or its label. Exactly, not as a prefix: `Letter` is a part of `hackernewsletter`, not its name.
 */
function namesSenderExactly(name: string, senders: Senders): boolean {
  const squashed = squash(name);
  if (squashed.length < 4) return false;
  if (senders.labels.has(squashed)) return true;
  for (const domain of senders.domains) if (squash(domain) === squashed) return true;
  return false;
}

/** A Product Hunt page of one launch: the product's own page on the launch platform. */
function launchPage(link: UnclassifiedLink, path: string): boolean {
  return link.domain === 'producthunt.com' && /^\/(posts|products)\/[^/]/.test(path);
}

/** The verdict knowledge gives for a link, or null when the scorer must judge it. */
export function knownDestination(
  link: UnclassifiedLink,
  path: string,
  text: string,
  senders: Senders,
): Classification | null {
  if (ownPageText.test(text)) return fixed('newsletter', 0.03, "anchor text of a newsletter's own page");
  if (boilerplateText.test(text)) return fixed('other', 0.03, 'a legal, contact or ad-choice link');
  if (link.needsNetwork) {
    const host = writtenDestination(text);
    const knownHost = host ? lookUpHost(host) : null;
    if (knownHost) return fixed(knownHost.kind, 0.05, `the anchor text is a link to ${knownHost.feature}`);
    if (host && senders.labels.has(domainLabel(getDomain(host, { allowPrivateDomains: true }) ?? host))) {
      return fixed('newsletter', 0.03, "the anchor text is the newsletter's own address");
    }
    const anchorName = nameLikeAnchor(text);
    if (anchorName && namesSenderExactly(anchorName, senders)) {
      return fixed('newsletter', 0.03, "the anchor is the newsletter's own name", anchorName);
    }
    const knownName = anchorName ? lookUpName(anchorName) : null;
    if (knownName) return fixed(knownName.kind, 0.05, `the anchor names ${knownName.feature}`, anchorName ?? '');
    return null;
  }
  if (senders.domains.has(link.domain)) return fixed('newsletter', 0.02, "the newsletter's own domain");
  if (ownPagePath.test(path)) return fixed('newsletter', 0.03, 'a newsletter page (subscribe, archive, preferences…)');
  if (senders.labels.has(domainLabel(link.domain))) {
    return fixed('newsletter', 0.03, "a sibling of the newsletter's own domain");
  }
  if (imagePath.test(path) || pixelPath.test(path)) return fixed('image', 0.01, 'an image file or tracking pixel');
  if (launchPage(link, path)) {
    // "Gizmo on Product Hunt": the platform's own name is neither the product nor its maker.
    const platform = domainLabel(link.domain);
    const phrases = capitalisedPhrases(text).filter((phrase) => !namesDomain(phrase, platform));
    const guess = guessName(link, null).name;
    const name = guess && namesDomain(guess, platform) ? (phrases[0] ?? '') : guess;
    // "GPT-5.5 by OpenAI": a large company's launch is not a startup's.
    const maker = phrases.find((phrase) => lookUpName(phrase) ?? lookUpName(phrase.split(' ')[0] ?? ''));
    if (maker) return fixed('bigco', 0.2, `a Product Hunt launch by a known company (${maker})`, name);
    return fixed('startup', 0.75, 'a Product Hunt launch page', name || titleCase(path.split('/')[2] ?? ''));
  }
  const known = lookUpHost(link.host);
  if (known) return fixed(known.kind, known.kind === 'other' ? 0.05 : 0.03, known.feature);
  if (link.isImage && pictureAlt.test(text)) return fixed('image', 0.02, 'a photo or logo');
  return null;
}
