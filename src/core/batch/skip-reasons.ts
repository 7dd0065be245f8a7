/**
 * Every reason a message or file was left out, in the words the run summary uses. A tally maps a reason to a
 * count; `describeSkips` turns it into sentences, largest first.
 */
import type { SkipReason } from './types.ts';

export type SkipTally = Partial<Record<SkipReason, number>>;

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** A sentence for `count` items left out for `reason`. */
export const SKIP_SENTENCES: Record<SkipReason, (count: number) => string> = {
  personal: (n) =>
    `${plural(n, 'message was', 'messages were')} personal or one-to-one mail (no list headers, not from a newsletter platform) and ${n === 1 ? 'was' : 'were'} left unread beyond ${n === 1 ? 'its' : 'their'} headers.`,
  'auto-reply': (n) =>
    `${plural(n, 'message was an automatic reply', 'messages were automatic replies')} (out of office and the like).`,
  bounce: (n) => `${plural(n, 'message was a delivery report', 'messages were delivery reports')} (bounces).`,
  chat: (n) => `${plural(n, 'message was a Gmail chat transcript', 'messages were Gmail chat transcripts')}.`,
  spam: (n) => `${plural(n, 'message was', 'messages were')} in your Spam folder.`,
  sent: (n) => `${plural(n, 'message was', 'messages were')} sent or drafted by you.`,
  deleted: (n) =>
    `${plural(n, 'message was', 'messages were')} deleted in Thunderbird (kept in the file until the folder is compacted).`,
  duplicate: (n) =>
    `${plural(n, 'message was a copy', 'messages were copies')} of one already read (the same Message-ID, e.g. under two Gmail labels).`,
  unticked: (n) => `${plural(n, 'newsletter was', 'newsletters were')} from senders left unticked.`,
  'no-headers': (n) => `${plural(n, 'message had', 'messages had')} no mail headers to judge by.`,
  'too-large': (n) => `${plural(n, 'file or message was', 'files or messages were')} too large to be a newsletter.`,
  'unsupported-file': (n) =>
    `${plural(n, 'file was', 'files were')} not in a format Sift reads (it reads .mbox, .zip, .eml, .emlx, .json, .html, .htm, .md and .txt).`,
  'not-a-message': (n) =>
    `${plural(n, '.json file held', '.json files held')} no email message (Sift reads a message exported by the Gmail API or a mail tool).`,
  metadata: (n) =>
    `${plural(n, 'file was', 'files were')} mail-client or system bookkeeping (indexes, .DS_Store, __MACOSX), not mail.`,
  'nested-archive': (n) =>
    `${plural(n, 'zip inside the zip was', 'zips inside the zip were')} not opened: unzip ${n === 1 ? 'it' : 'them'} and drop ${n === 1 ? 'it' : 'them'} on their own.`,
  'unsafe-path': (n) =>
    `${plural(n, 'zip entry was', 'zip entries were')} not read: ${n === 1 ? 'its' : 'their'} path climbs out of the archive or is absolute, which no real export has.`,
  'unreadable-entry': (n) =>
    `${plural(n, 'file could', 'files could')} not be decompressed or decoded (encrypted, damaged, or an unknown compression).`,
};

export function addSkip(tally: SkipTally, reason: SkipReason, count = 1): void {
  tally[reason] = (tally[reason] ?? 0) + count;
}

export function skippedCount(tally: SkipTally): number {
  return Object.values(tally).reduce((sum, count) => sum + (count ?? 0), 0);
}

/** One sentence per reason, the most common first. */
export function describeSkips(tally: SkipTally): string[] {
  return (Object.entries(tally) as [SkipReason, number][])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => SKIP_SENTENCES[reason](count));
}
