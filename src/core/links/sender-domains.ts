/**
 * The newsletter's own registrable domains, found once per document: from its mail headers (or a pasted `From:`
 * line), from the destinations of its own-page anchors ("View in browser", "Unsubscribe"), and from the pages that
 * only a newsletter serves (archive, preferences, referral). A domain that also wraps links in an opaque tracker is
 * not taken from anchors: those wrapped links lead anywhere, and calling them the sender's own would hide the
 * startups behind them.
 */
import { getDomain, getDomainWithoutSuffix } from 'tldts';
import { lookUpHost } from './data/index.ts';
import { squash } from './names.ts';
import { cut, parsePath } from './signals.ts';

/** What discovery reads of a link. */
export interface SenderEvidenceLink {
  url: string;
  host: string;
  domain: string;
  text: string;
  context: string;
  needsNetwork: boolean;
}

/** Anchors of the newsletter's own pages: their destinations name the sender's domains. */
const ownPageAnchor =
  /\b(?:view (?:(?:it|this|this email|this post|this issue|email) )?(?:in|on) (?:your |a |the )?(?:browser|web)|web version|read (?:it )?online|view online|unsubscribe|manage (?:your )?(?:subscription|preferences|email)|(?:update|email) (?:your )?preferences|forward to a friend|forward this email)\b/i;
/** The pages that prove a domain is the newsletter's own (a startup's site has a sign-up page, never these). */
const senderEvidencePath =
  /^\/(unsubscribe|preferences|manage|referral|refer|archive|archives|action\/disable_email|app-link|leaderboard|p\/[^/]+\/comments|rewards)(\/|$)|^\/(sponsor|advertis|partner-with)[\w-]*\/?$/i;
/** Anchors that prove the same. */
const senderEvidenceText =
  /\b(unsubscribe|view (this )?(email |issue |post )?(in|on) (your |a |the )?(browser|web)|view online|read online|web version|manage (your )?(subscription|preferences)|update (your )?preferences|email preferences|refer (a )?friends?|advertise (with|in) us|sponsor (us|this newsletter)|become a sponsor|past issues)\b/i;

/** The first words of a bare URL's sentence: enough for "View this post on the web at", too few for prose. */
function ownPageLead(context: string): string {
  return context.length <= 80 ? context : '';
}

function registrableDomain(host: string): string | null {
  const trimmed = host.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed === '') return null;
  return getDomain(trimmed, { allowPrivateDomains: true }) ?? null;
}

/**
 * A newsletter platform sends each publication from a mailbox named for it (`notboring@substack.com`,
 * `jetpackcomposeapp@mail.beehiiv.com`; `+deepdives` names a section): that name, letters and digits only, spells
 * the publication's own domain when it has one, with or without its ending (notboring.co, jetpackcompose.app).
 * Mailboxes every sender has (`hello`, `news`…) and short names say nothing.
 */
function platformSlugs(mailboxes: readonly string[]): Set<string> {
  const slugs = new Set<string>();
  for (const mailbox of mailboxes) {
    const at = mailbox.lastIndexOf('@');
    if (at <= 0 || lookUpHost(mailbox.slice(at + 1))?.kind !== 'newsletter') continue;
    const slug = squash(mailbox.slice(0, at).split('+')[0]!);
    if (slug.length >= 5 && !genericMailbox.test(slug)) slugs.add(slug);
  }
  return slugs;
}
const genericMailbox =
  /^(hello|hi|news|newsletters?|info|team|support|contact|noreply|donotreply|updates|digest|mail|editors?|product|post\d*)$/;

/** `notboring.co` is spelled `notboring` or `notboringco`. */
function spellsSlug(domain: string, slugs: ReadonlySet<string>): boolean {
  const label = getDomainWithoutSuffix(domain, { allowPrivateDomains: true }) ?? domain;
  return slugs.has(squash(label)) || slugs.has(squash(domain));
}

/**
 * The sender's registrable domains. `headerHosts` are hosts (or domains) the document names as its sender; `links`
 * are the document's distinct destinations; `mailboxes` are its From, Sender and Reply-To addresses.
 */
export function discoverSenderDomains(
  headerHosts: readonly string[],
  links: readonly SenderEvidenceLink[],
  mailboxes: readonly string[] = [],
): string[] {
  const domains = new Set<string>();
  for (const host of headerHosts) {
    const domain = registrableDomain(host);
    if (domain) domains.add(domain);
  }
  const slugs = platformSlugs(mailboxes);
  const trackerDomains = new Set<string>();
  for (const link of links) {
    if (link.needsNetwork) trackerDomains.add(link.domain);
    // A bare URL has no anchor; its sentence says what it is ("View this post on the web at …").
    else if (ownPageAnchor.test(cut(link.text) || ownPageLead(link.context))) domains.add(link.domain);
    else if (slugs.size > 0 && spellsSlug(link.domain, slugs)) domains.add(link.domain);
  }
  for (const domain of trackerDomains) domains.delete(domain);
  // A domain that serves one of the newsletter's own pages (archive, preferences, sponsor us…) is the newsletter's.
  for (const link of links) {
    if (link.needsNetwork || domains.has(link.domain) || lookUpHost(link.host)) continue;
    if (senderEvidenceText.test(cut(link.text)) || senderEvidencePath.test(parsePath(link.url)))
      domains.add(link.domain);
  }
  return [...domains];
}
