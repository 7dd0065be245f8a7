/**
 * Adding a company the user found in a newsletter: the one way both the results table's "Add" and
 * the agent's `add_company` write it, so the CRM record reads the same whichever the user used.
 * Callers have the user's confirmation first; this only says what is written.
 */
import type { Company, CompanyDraft, CrmBackend } from './types.ts';

export interface SeenCompany {
  name: string;
  /** The link the newsletter gave. */
  url: string;
  /** The company's registrable domain; null when a tracker hides it (then `url` is not stored as its website). */
  domain: string | null;
  /** The sentence the link appeared in. */
  sentence: string;
  tags?: readonly string[];
}

/** Long enough for a sentence; a paragraph swallowed by a bad split is cut. */
const MAX_QUOTED_CHARS = 300;

/** The note on a company added from a newsletter: where it was seen, in the newsletter's words. */
export function newsletterNote(sentence: string): string {
  const quoted = sentence.replace(/\s+/g, ' ').trim();
  if (!quoted) return 'Seen in a newsletter.';
  const cut = quoted.length > MAX_QUOTED_CHARS ? `${quoted.slice(0, MAX_QUOTED_CHARS - 1).trimEnd()}…` : quoted;
  return `Seen in a newsletter: “${cut}”`;
}

export function newsletterDraft(seen: SeenCompany): CompanyDraft {
  return {
    name: seen.name,
    // Without a domain the link is a tracker's redirect, often carrying the reader's own id: not the company's site.
    website: seen.domain ? seen.url : null,
    domain: seen.domain || null,
    tags: [...(seen.tags ?? [])],
    source: 'sift:newsletter',
    notes: newsletterNote(seen.sentence),
  };
}

export function addSeenCompany(crm: Pick<CrmBackend, 'add'>, seen: SeenCompany): Promise<Company> {
  return crm.add(newsletterDraft(seen));
}
