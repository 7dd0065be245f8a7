/**
 * Is this message a newsletter? Decided from its headers alone; the body of a message judged personal is never
 * decoded. A newsletter says so in its headers: List-Unsubscribe (required of bulk senders by Gmail and Yahoo
 * since 2024, and by RFC 8058 for one-click), List-Id (RFC 2919), `Precedence: bulk|list`, or the marks of the
 * platform that sent it (`data/mailing-platforms.json`) and its sender domain (`links/data/newsletter-platforms.json`).
 * Mail-client exports add their own marks, read first: Thunderbird's expunged flag, Gmail Takeout's labels.
 */
import newsletterPlatforms from '../links/data/newsletter-platforms.json';
import { registrableDomain } from '../crm/normalise.ts';
import platforms from './data/mailing-platforms.json';
import { domainOfAddress, firstValue, type HeaderBlock, type Sender } from './headers.ts';
import type { SkipReason } from './types.ts';

/**
 * How strong the evidence is: `list` (list headers), `platform` (a newsletter/marketing platform sent it), `relay`
 * (only a transactional relay such as Amazon SES or SendGrid: receipts travel that way too).
 */
export type SignalStrength = 'list' | 'platform' | 'relay';

export type MessageVerdict =
  { newsletter: true; strength: SignalStrength; signals: string[] } | { newsletter: false; reason: SkipReason };

type Tier = 'marketing' | 'relay';

const headerMarks = new Map(platforms.headers.map((mark) => [mark.name, mark]));
const bounceDomains = new Map<string, { platform: string; tier: Tier }>(
  platforms.bounceDomains.map((entry) => [entry.domain, { platform: entry.platform, tier: entry.tier as Tier }]),
);
const platformDomains = new Set(newsletterPlatforms.domains.map((domain) => registrableDomain(domain) ?? domain));

/** Thunderbird marks a deleted message with this bit of X-Mozilla-Status and drops it only on compaction. */
const MOZILLA_EXPUNGED = 0x0008;

function gmailLabels(block: HeaderBlock): Set<string> {
  const raw = firstValue(block, 'x-gmail-labels');
  if (!raw) return new Set();
  return new Set(raw.split(',').map((label) => label.trim().replace(/^"|"$/g, '').toLowerCase()));
}

function exportSkip(block: HeaderBlock): SkipReason | null {
  const status = firstValue(block, 'x-mozilla-status');
  if (status && /^[0-9a-f]{1,8}$/i.test(status) && (parseInt(status, 16) & MOZILLA_EXPUNGED) !== 0) return 'deleted';
  const labels = gmailLabels(block);
  if (labels.has('chat')) return 'chat';
  if (labels.has('spam')) return 'spam';
  if (labels.has('sent') || labels.has('draft') || labels.has('drafts')) return 'sent';
  return null;
}

function automaticSkip(block: HeaderBlock, sender: Sender | null): SkipReason | null {
  const autoSubmitted = firstValue(block, 'auto-submitted')?.toLowerCase() ?? '';
  const precedence = firstValue(block, 'precedence')?.toLowerCase() ?? '';
  if (
    autoSubmitted.startsWith('auto-replied') ||
    precedence.startsWith('auto_reply') ||
    block.fields.has('x-autoreply') ||
    block.fields.has('x-autorespond')
  ) {
    return 'auto-reply';
  }
  const contentType = firstValue(block, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report')) return 'bounce';
  if (sender && /^(?:mailer-daemon|postmaster)@/.test(sender.address)) return 'bounce';
  return null;
}

function domainOfHeader(block: HeaderBlock, name: string): string | null {
  const value = firstValue(block, name);
  if (!value) return null;
  const address = /<([^<>]*@[^<>]*)>/.exec(value)?.[1] ?? value.trim();
  return domainOfAddress(address) || null;
}

/** The platform marks a message carries, with the strongest tier found. */
function platformSignals(block: HeaderBlock, sender: Sender | null): { signals: string[]; tier: Tier | null } {
  const signals = new Set<string>();
  let tier: Tier | null = null;
  const note = (platform: string, how: string, found: Tier) => {
    signals.add(`${platform} (${how})`);
    if (found === 'marketing') tier = 'marketing';
    else tier ??= 'relay';
  };
  for (const name of block.fields.keys()) {
    const mark = headerMarks.get(name);
    if (mark) note(mark.platform, `${name} header`, mark.tier as Tier);
  }
  const mailer = (firstValue(block, 'x-mailer') ?? '').toLowerCase();
  for (const entry of platforms.mailers) {
    if (mailer.includes(entry.contains)) note(entry.platform, 'X-Mailer', 'marketing');
  }
  const feedbackId = (firstValue(block, 'feedback-id') ?? firstValue(block, 'x-feedback-id') ?? '').toLowerCase();
  for (const entry of platforms.feedbackIds) {
    if (feedbackId.endsWith(entry.endsWith)) note(entry.platform, 'Feedback-ID', entry.tier as Tier);
  }
  const senderDomains = [sender?.domain, domainOfHeader(block, 'sender')].filter(
    (domain): domain is string => !!domain,
  );
  for (const domain of senderDomains) {
    if (platformDomains.has(domain)) note(domain, 'sender domain', 'marketing');
  }
  const bounce = domainOfHeader(block, 'return-path');
  if (bounce) {
    const known = bounceDomains.get(bounce);
    if (known) note(known.platform, 'bounce address', known.tier);
    else if (platformDomains.has(bounce)) note(bounce, 'bounce address', 'marketing');
  }
  return { signals: [...signals], tier };
}

export function judgeMessage(block: HeaderBlock, sender: Sender | null): MessageVerdict {
  if (block.fields.size === 0) return { newsletter: false, reason: 'no-headers' };
  const skip = exportSkip(block) ?? automaticSkip(block, sender);
  if (skip) return { newsletter: false, reason: skip };

  const listSignals: string[] = [];
  if (block.fields.has('list-unsubscribe')) listSignals.push('List-Unsubscribe');
  if (block.fields.has('list-id')) listSignals.push('List-Id');
  const precedence = firstValue(block, 'precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk')
    listSignals.push(`Precedence: ${precedence}`);

  const platform = platformSignals(block, sender);
  const signals = [...listSignals, ...platform.signals];
  if (listSignals.length > 0) return { newsletter: true, strength: 'list', signals };
  if (platform.tier === 'marketing') return { newsletter: true, strength: 'platform', signals };
  if (platform.tier === 'relay') return { newsletter: true, strength: 'relay', signals };
  return { newsletter: false, reason: 'personal' };
}
