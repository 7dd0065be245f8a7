/**
 * From a newsletter's link report to the mentions the merged table is built from: the links the rules are sure
 * are startups (`splitCandidates`' certain ones). The links they were unsure of are the judge's
 * (`batch-judge.ts`), as in a paste.
 */
import { splitCandidates } from '../agent/candidates.ts';
import type { LinkCandidate } from '../links/types.ts';
import { mentionOf } from './batch-judge.ts';
import type { Mention } from './merge.ts';
import type { NewsletterMeta } from './screen.ts';

/** How a newsletter is named in the table: its sender, or the file's title for a chosen document. */
export function newsletterName(meta: NewsletterMeta): string {
  return meta.sender.key === 'files' ? meta.subject : meta.sender.name;
}

/** Who a newsletter's mentions name as their source. */
export function newsletterOf(meta: NewsletterMeta): {
  newsletterId: string;
  newsletterName: string;
  date: string | null;
} {
  return { newsletterId: meta.key, newsletterName: newsletterName(meta), date: meta.date };
}

export function startupMentions(links: readonly LinkCandidate[], meta: NewsletterMeta): Mention[] {
  const newsletter = newsletterOf(meta);
  return splitCandidates(links).certain.map((link) => mentionOf(link, newsletter));
}
