/**
 * From a newsletter's link report to the mentions the merged table is built from: its links ranked `startup`.
 * A link behind an opaque tracker has no known destination, so it is merged by name only.
 */
import type { LinkCandidate } from '../links/types.ts';
import type { Mention } from './merge.ts';
import type { NewsletterMeta } from './screen.ts';

/** How a newsletter is named in the table: its sender, or the file's title for a chosen document. */
export function newsletterName(meta: NewsletterMeta): string {
  return meta.sender.key === 'files' ? meta.subject : meta.sender.name;
}

export function startupMentions(links: readonly LinkCandidate[], meta: NewsletterMeta): Mention[] {
  return links
    .filter((link) => link.kind === 'startup')
    .map((link) => ({
      name: link.name || link.text || link.domain,
      url: link.url,
      domain: link.needsNetwork ? null : link.domain,
      context: link.context,
      newsletterId: meta.key,
      newsletterName: newsletterName(meta),
      date: meta.date,
    }));
}
