/**
 * The pre-scan: every message's headers, no body. It tells the user who the newsletters are from (so senders can be
 * unticked before the run), how many there are (the run's total for its progress bar and time left), and how much
 * was skipped and why.
 */
import type { Sender } from './headers.ts';
import type { SignalStrength } from './newsletter-signals.ts';
import { screenItem } from './screen.ts';
import { addSkip, describeSkips, type SkipTally } from './skip-reasons.ts';
import { describeOrigin, type ItemOrigin, type SourceItem } from './types.ts';

export interface BatchProblem {
  /** Where, for the user (`Inbox.mbox › message 12`). */
  where: string;
  problem: string;
  /** The rest of that file was not read. */
  fatal: boolean;
}

export interface SenderSummary extends Sender {
  /** Newsletters from this sender (copies counted once). */
  count: number;
  firstDate: string | null;
  lastDate: string | null;
  latestSubject: string;
  /** The strongest evidence seen: the page leaves `relay`-only senders unticked by default. */
  strength: SignalStrength | 'chosen-file';
  /** A few of the headers that made it a newsletter, for a tooltip. */
  signals: string[];
}

export interface PrescanSummary {
  /** Emails and chosen documents seen (files left out are in `skipped`). */
  messages: number;
  newsletters: number;
  /** Most newsletters first. */
  senders: SenderSummary[];
  skipped: SkipTally;
  /** `skipped` in sentences, most common first. */
  skippedSentences: string[];
  problems: BatchProblem[];
  /** False when it was cancelled before the end: the counts are then what was seen so far. */
  complete: boolean;
  readBytes: number;
  ms: number;
}

export interface PrescanProgress {
  messages: number;
  newsletters: number;
  readBytes: number;
}

const STRENGTH_ORDER: Record<SenderSummary['strength'], number> = { relay: 0, platform: 1, list: 2, 'chosen-file': 3 };
const MAX_SIGNALS = 4;

export function problemOf(item: { origin: ItemOrigin; problem: string; fatal: boolean }): BatchProblem {
  return { where: describeOrigin(item.origin), problem: item.problem, fatal: item.fatal };
}

export async function prescan(
  items: AsyncIterable<SourceItem>,
  options: { signal?: AbortSignal; onProgress?: (progress: PrescanProgress) => void; now?: () => number } = {},
): Promise<PrescanSummary> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const senders = new Map<string, SenderSummary>();
  const seen = new Set<string>();
  const skipped: SkipTally = {};
  const problems: BatchProblem[] = [];
  let messages = 0;
  let newsletters = 0;
  let readBytes = 0;
  let lastReport = started;
  for await (const item of items) {
    readBytes = item.readBytes;
    if (item.kind === 'problem') problems.push(problemOf(item));
    else if (item.kind === 'ignored') addSkip(skipped, item.reason);
    else {
      messages += 1;
      const screened = await screenItem(item);
      if (screened.kind === 'skipped') addSkip(skipped, screened.reason);
      else if (seen.has(screened.meta.key)) addSkip(skipped, 'duplicate');
      else {
        seen.add(screened.meta.key);
        newsletters += 1;
        const { meta } = screened;
        const summary = senders.get(meta.sender.key);
        if (!summary) {
          senders.set(meta.sender.key, {
            ...meta.sender,
            count: 1,
            firstDate: meta.date,
            lastDate: meta.date,
            latestSubject: meta.subject,
            strength: meta.strength,
            signals: meta.signals.slice(0, MAX_SIGNALS),
          });
        } else {
          summary.count += 1;
          if (meta.date && (!summary.firstDate || meta.date < summary.firstDate)) summary.firstDate = meta.date;
          if (meta.date && (!summary.lastDate || meta.date >= summary.lastDate)) {
            summary.lastDate = meta.date;
            summary.latestSubject = meta.subject;
          }
          if (STRENGTH_ORDER[meta.strength] > STRENGTH_ORDER[summary.strength]) {
            summary.strength = meta.strength;
            summary.signals = meta.signals.slice(0, MAX_SIGNALS);
          }
        }
      }
    }
    if (options.signal?.aborted) break;
    if (options.onProgress && now() - lastReport >= 100) {
      lastReport = now();
      options.onProgress({ messages, newsletters, readBytes });
    }
  }
  return {
    messages,
    newsletters,
    senders: [...senders.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    skipped,
    skippedSentences: describeSkips(skipped),
    problems,
    complete: !options.signal?.aborted,
    readBytes,
    ms: Math.round(now() - started),
  };
}
