/**
 * Deterministic classification of each distinct link: what kind of destination it is, how likely it is a startup's
 * own site (score 0..1), the human-readable features that decided it, and a company-name guess. Knowledge (which
 * hosts are social networks, outlets, large companies…) lives in ./data; `rules.ts` ranks one link, this file runs the document pass.
 * Per link the work is a handful of Map lookups and a few bounded regular expressions over short strings.
 */
import type { LinkCandidate, LinkKind } from './types.ts';
import { parsePath } from './signals.ts';
import { classifyOne } from './rules.ts';
import { domainLabel } from './names.ts';

/** What the document says about itself: the newsletter's own registrable domains (see `sender-domains.ts`). */
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

/** Classify every link of one document; the result is index-aligned with `links`. */
export function classifyLinks(links: UnclassifiedLink[], doc: DocumentContext): Classification[] {
  const senders = new Set(doc.senderDomains);
  const senderLabels = new Set([...senders].map(domainLabel).filter((label) => label.length >= 4));
  const results = links.map((link) => classifyOne(link, parsePath(link.url), senders, senderLabels));
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
