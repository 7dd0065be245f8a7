/**
 * The shapes link intelligence hands to the rest of Sift (the CRM match, the agent, the table).
 * Change them only together with their users.
 */

export type InputFormat = 'html' | 'eml' | 'markdown' | 'text';

export type LinkKind =
  'startup' | 'social' | 'media' | 'newsletter' | 'sponsor' | 'image' | 'appstore' | 'code' | 'bigco' | 'other';

/** One occurrence of a link in the source, before unwrapping and merging. */
export interface ExtractedLink {
  /** Exactly as written in the source (entity-decoded). */
  href: string;
  /** Anchor text; '' for a bare URL or an image-only link (then `alt` text if any). */
  text: string;
  /** The sentence around the link, whitespace collapsed, at most ~300 characters. */
  context: string;
  /** The nearest heading above the link, '' if none. */
  heading: string;
  isImage: boolean;
  /** Document order, 0-based, across all parts of the input. */
  position: number;
  /** Which part of the input it came from (an email may give both an HTML and a text part). */
  part: 'html' | 'text' | 'markdown';
  /**
   * Where a mail client recorded the link going when the message was written in it: Gmail's
   * `data-saferedirecturl`. A newsletter written in Gmail and sent through a mailing service keeps it beside the
   * service's tracker, so it can say where an opaque tracker goes.
   */
  recordedHref?: string;
}

/** Where a (possibly tracking-wrapped) URL really goes, decoded offline. */
export interface UnwrapResult {
  /** The innermost destination recovered; the input itself when nothing could be unwrapped. */
  url: string;
  /** Every URL from the original to `url`, in order. */
  chain: string[];
  /** A known tracker wraps the destination and only a network request could reveal it. */
  needsNetwork: boolean;
  /** The wrapper family's name (`beehiiv`, `mailchimp`, `substack`...), null when not wrapped. */
  tracker: string | null;
}

export interface CanonicalUrl {
  /** Tracking and personal parameters stripped, normalised. */
  url: string;
  host: string;
  /** Registrable domain; private suffixes kept whole (`acme.vercel.app`, not `vercel.app`). */
  domain: string;
}

/** One distinct destination after unwrapping, canonicalisation and merging of duplicates. */
export interface LinkCandidate {
  /** Short stable id within one report (`L1`, `L2`...): the model refers to links by it. */
  id: string;
  url: string;
  host: string;
  domain: string;
  kind: LinkKind;
  /** 0..1: how likely this is a startup's own site; ranks the candidates. */
  score: number;
  /** The features that decided `kind` and `score`, human-readable (`anchor names a company`...). */
  features: string[];
  /** Company-name guess from anchor text, context and domain. */
  name: string;
  text: string;
  context: string;
  heading: string;
  isImage: boolean;
  needsNetwork: boolean;
  tracker: string | null;
  /** How many occurrences were merged into this one. */
  occurrences: number;
  firstPosition: number;
  /** The first occurrence's href as written, before unwrapping. */
  originalHref: string;
  /**
   * The verdict and what decided it, in one sentence ("Maybe a startup (0.35): + the anchor is a proper name; …").
   * Set by the pipeline for every link, those the scorer turned down included.
   */
  reason?: string;
  /** Set when the domain is an internationalised look-alike of another (see `lookalike.ts`). */
  lookAlike?: LookAlike;
  /** Set when one of the person's corrections decided the link (src/core/corrections): what it was, in words. */
  correctedBy?: string;
  /** What a correction of this link records: its identity and how the ranking saw it (set with the corrections). */
  correction?: { domain: string | null; name: string; sender: string; features: string[]; score: number };
}

/**
 * The registrable domain of the company's own site, or null when the link is behind an opaque tracker: its only
 * domain is then the tracker's (sendgrid.net, substack.com), which says nothing about the company. Matching the CRM,
 * adding a company and what the model is shown go by this, never by the tracker's domain: otherwise every startup a
 * newsletter wraps the same way would match the first one added.
 */
export const destinationDomain = (link: Pick<LinkCandidate, 'needsNetwork' | 'domain'>): string | null =>
  link.needsNetwork ? null : link.domain;

/**
 * What an export's `website` column holds: the link when it leads to the company's own site (`domain` is that site's,
 * as `destinationDomain` gives it), '' when a tracker hides the destination. An importer maps `website` onto the
 * CRM's website field, and a tracker's redirect is not the company's site (it often carries the reader's own id);
 * exports keep the link itself in a column of its own.
 */
export const companyWebsite = (entry: { url: string; domain: string | null }): string =>
  entry.domain ? entry.url : '';

/** A domain that passes for another: what the reader sees, what it really is, and why it is suspicious. */
export interface LookAlike {
  /** The readable form (`аpple.com` with a Cyrillic а). */
  unicode: string;
  /** The form the browser resolves (`xn--pple-43d.com`). */
  punycode: string;
  /** In words: "looks like apple.com", "mixes Latin and Cyrillic letters in …". */
  why: string;
  /** The domain it passes for, when there is one. */
  looksLike: string | null;
}

export interface LinkReport {
  format: InputFormat;
  links: LinkCandidate[];
  /** What was skipped or truncated, in words for the user ("the 20 MB paste was cut at 16 MB"). */
  warnings: string[];
  /** The newsletter's own registrable domains, as found in its headers and its own-page links. */
  senderDomains?: string[];
  stats: { bytes: number; occurrences: number; ms: number };
}
