/**
 * From a newsletter's link report to the mentions the merged table is built from: the links the rules are sure
 * are startups (`splitCandidates`' certain ones). The links they were unsure of are the judge's
 * (`batch-judge.ts`), as in a paste.
 */
import { splitCandidates } from '../agent/candidates.ts';
import type { LinkCandidate } from '../links/types.ts';
import { mentionOf, type UncertainLinks } from './batch-judge.ts';
import type { Mention } from './merge.ts';
import type { NewsletterMeta } from './screen.ts';

/** How a newsletter is named in the table: its sender, or the file's title for a chosen document. */
export function newsletterName(meta: NewsletterMeta): string {
  return meta.sender.key === 'files' ? meta.subject : meta.sender.name;
}

/** Who a newsletter's mentions name as their source. */
function newsletterOf(meta: NewsletterMeta): Omit<UncertainLinks, 'links'> {
  return { newsletterId: meta.key, newsletterName: newsletterName(meta), date: meta.date };
}

/**
 * A newsletter's links in one split: the ones the rules are sure of as mentions, and the ones they were unsure of
 * kept for the judge (null when there are none).
 */
export function newsletterMentions(
  links: readonly LinkCandidate[],
  meta: NewsletterMeta,
): { mentions: Mention[]; uncertain: UncertainLinks | null } {
  const newsletter = newsletterOf(meta);
  const { certain, uncertain } = splitCandidates(links);
  return {
    mentions: certain.map((link) => mentionOf(link, newsletter)),
    uncertain: uncertain.length > 0 ? { ...newsletter, links: uncertain } : null,
  };
}
