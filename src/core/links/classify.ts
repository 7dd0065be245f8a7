/**
 * The document pass: every distinct link of one newsletter gets a kind, a score (0..1, how likely it is a startup's
 * own site), the features that moved the score, a reason in words and a company-name guess. Knowledge decides what
 * it can (destination.ts); the learned scorer (features.ts → scorer.ts) ranks the rest; a sponsor block spreads to
 * its neighbours. Nothing is dropped: a link the scorer turns down keeps its score and its reason, so a "Maybe"
 * view can show it.
 */
import type { LinkCandidate, LinkKind, LookAlike } from './types.ts';
import { lookUpName } from './data/index.ts';
import { fixed, knownDestination, sendersOf } from './destination.ts';
import { documentFacts, readLink, readNeighbours } from './features.ts';
import type { LinkReading } from './features.ts';
import { findLookAlikes } from './lookalike.ts';
import { linkName } from './names.ts';
import { committedModel, explain, probability } from './scorer.ts';
import type { LinkModel } from './scorer.ts';
import { cut, parsePath } from './signals.ts';

/** What the document says about itself: the newsletter's own registrable domains (see `sender-domains.ts`). */
export interface DocumentContext {
  senderDomains: string[];
}

export type UnclassifiedLink = Omit<
  LinkCandidate,
  'id' | 'kind' | 'score' | 'features' | 'name' | 'reason' | 'lookAlike'
>;

export interface Classification {
  kind: LinkKind;
  score: number;
  features: string[];
  name: string;
  /** One sentence: the verdict and what decided it. */
  reason: string;
  lookAlike?: LookAlike;
}

/** At or above: the scorer calls the link a startup (the agent's "leaning" line is the same 0.5). */
export const startupThreshold = 0.5;

/** The verdict in words for a score and kind ("Probably a startup"); the personal layer words its reasons alike. */
export function verdict(score: number, kind: LinkKind): string {
  if (kind === 'sponsor') return score >= startupThreshold ? 'A sponsor, likely a startup' : 'A sponsor';
  if (score >= 0.8) return 'A startup';
  if (score >= startupThreshold) return 'Probably a startup';
  if (score >= 0.2) return 'Maybe a startup';
  return 'Not a startup';
}

/** One link as the scorer sees it: null when knowledge decided it, else its features (for training and scoring). */
export type ScoredInput = { known: Classification; reading: null } | { known: null; reading: LinkReading };

/** What the document pass knows about every link before any weight is applied; index-aligned with `links`. */
export function readDocument(links: readonly UnclassifiedLink[], doc: DocumentContext): ScoredInput[] {
  const senders = sendersOf(doc.senderDomains);
  const facts = documentFacts(links, senders.labels);
  const inputs = links.map((link): ScoredInput => {
    const path = parsePath(link.url);
    const known = knownDestination(link, path, cut(link.text), senders);
    return known ? { known, reading: null } : { known: null, reading: readLink(link, path, facts) };
  });
  readNeighbours(
    links,
    inputs.map((input) => input.reading),
  );
  return inputs;
}

/** Classify every link of one document with `model` (the committed one by default); index-aligned with `links`. */
export function classifyLinks(
  links: UnclassifiedLink[],
  doc: DocumentContext,
  model: LinkModel = committedModel(),
): Classification[] {
  return classifyRead(links, readDocument(links, doc), model);
}

/** `classifyLinks` over links already read by `readDocument` (training and evaluation read each file once). */
export function classifyRead(
  links: readonly UnclassifiedLink[],
  inputs: readonly ScoredInput[],
  model: LinkModel,
): Classification[] {
  const writtenNames = namesWrittenPerDomain(links, inputs);
  const results = inputs.map(({ known, reading }, index): Classification => {
    if (known) return known;
    const link = links[index]!;
    const hundredths = Math.round(probability(reading.vector, model) * 100);
    const score = hundredths / 100;
    const kind: LinkKind = reading.sponsored
      ? 'sponsor'
      : score >= startupThreshold
        ? 'startup'
        : (reading.shapeKind ?? 'other');
    const name = (reading.guess.from === 'domain' && writtenNames.get(link.domain)) || linkName(link, reading);
    // Behind a tracker the name is all there is to go on: one the knowledge lists know ("Apple's latest attempt…")
    // is that company's link, as a known name for an anchor is (destination.ts).
    const knownName = link.needsNetwork && name !== '' ? lookUpName(name) : null;
    if (knownName)
      return fixed(knownName.kind, Math.min(score, 0.05), `the link is named for ${knownName.feature}`, name);
    const features = explain(reading.vector, model);
    return {
      kind,
      score,
      features,
      name,
      reason: `${verdict(score, kind)} (${scoreTexts[hundredths] ?? score.toFixed(2)}): ${leadingFeatures(features) || 'no signal either way'}.`,
    };
  });
  spreadSponsorBlocks(links, results);
  const lookAlikes = findLookAlikes(links.map((link) => link.domain));
  lookAlikes.forEach((lookAlike, index) => {
    if (lookAlike) results[index] = { ...results[index]!, lookAlike };
  });
  return results;
}

/** A score as a reason writes it, by hundredths (`0.42`): made once, not by `toFixed` for every link scored. */
const scoreTexts = Array.from({ length: 101 }, (_, hundredths) => (hundredths / 100).toFixed(2));

/** The first three features joined as a reason lists them, without the copy and the join of an array per link. */
function leadingFeatures(features: readonly string[]): string {
  let text = features[0] ?? '';
  for (let i = 1; i < features.length && i < 3; i++) text += `; ${features[i]}`;
  return text;
}

/**
 * The name a newsletter writes for each known domain, where one of its links' anchor or sentence spells it: another
 * link to the same site whose words name nothing (a tagline, a bare address) takes that name rather than the domain's
 * label (`Fern` for buildwithfern.com, not `Buildwithfern`).
 */
function namesWrittenPerDomain(
  links: readonly UnclassifiedLink[],
  inputs: readonly ScoredInput[],
): Map<string, string> {
  const names = new Map<string, string>();
  inputs.forEach(({ reading }, index) => {
    const link = links[index]!;
    if (reading?.guess.matchesDomain && !link.needsNetwork && !names.has(link.domain)) {
      names.set(link.domain, reading.guess.name);
    }
  });
  return names;
}

/**
 * A sponsor block has several links (the product, its docs, a sign-up page) and usually only one says "(Sponsor)":
 * a candidate right next to a sponsor link, under the same heading and on the sponsor's own domain, belongs to the
 * same block. The domain is what tells the block apart: in a digest the story after a sponsor is someone else's
 * (on the corpus, 8 of the 11 neighbours the rule once marked were unrelated articles and startups, and the mark
 * then ran on down the list from each of them).
 */
function spreadSponsorBlocks(links: readonly UnclassifiedLink[], results: Classification[]): void {
  const order = links.map((_, index) => index).sort((a, b) => links[a]!.firstPosition - links[b]!.firstPosition);
  for (let i = 0; i < order.length; i++) {
    const index = order[i]!;
    const current = results[index]!;
    const link = links[index]!;
    if ((current.kind !== 'startup' && current.kind !== 'other') || link.needsNetwork) continue;
    for (const neighbour of [order[i - 1], order[i + 1]]) {
      if (neighbour === undefined || results[neighbour]!.kind !== 'sponsor') continue;
      const near = links[neighbour]!;
      const sameBlock =
        !near.needsNetwork &&
        near.domain === link.domain &&
        near.heading === link.heading &&
        Math.abs(near.firstPosition - link.firstPosition) <= 2;
      if (sameBlock) {
        results[index] = {
          ...current,
          kind: 'sponsor',
          features: [...current.features, 'next to a sponsor link'],
          reason: `${verdict(current.score, 'sponsor')} (${current.score.toFixed(2)}): next to a sponsor link.`,
        };
        break;
      }
    }
  }
}
