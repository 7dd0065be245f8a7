/**
 * The batch side of the tools worker: a mailbox export, a zip or many files read as streams here (the page stays
 * responsive and no file is held whole), newsletters told from personal mail by their headers, each newsletter
 * through the link pipeline. Spread into the tools worker's `api` (`workers/tools.worker.ts`); `npm run bench:batch`
 * calls the same functions.
 *
 * Comlink-friendly: arguments are files (a `File` crosses by reference, not by copy), plain options and callbacks
 * (Comlink proxies them). Each call takes its own cancel port (`core/cancel-port.ts`): aborting stops that call
 * at its next message and resolves it with what was done; the worker and its CRM index stay up.
 */
import { signalFromPort } from '../src/core/cancel-port.ts';
import type { Mention } from '../src/core/batch/merge.ts';
import type { UncertainLinks } from '../src/core/batch/batch-judge.ts';
import { newsletterMentions } from '../src/core/batch/mentions.ts';
import { judgeWork, type JudgeWork } from '../src/core/batch/model-budget.ts';
import { prescan, type PrescanProgress, type PrescanSummary } from '../src/core/batch/prescan.ts';
import {
  type BatchEvent,
  type BatchProgress,
  type BatchSummary,
  type NewsletterInput,
  runBatch,
} from '../src/core/batch/runner.ts';
import { readSources, totalBytes } from '../src/core/batch/sources.ts';
import type { BatchFile, SourceLimits } from '../src/core/batch/types.ts';
import { extractLinks } from '../src/core/links/pipeline.ts';
import type { LinkReport } from '../src/core/links/types.ts';
import { correctedReport, readStoredCorrections, type StoredCorrections } from './corrections-api.ts';

/** What the batch gives for each newsletter: its link report, and the mentions the merged table is built from. */
export interface NewsletterLinks {
  report: LinkReport;
  mentions: Mention[];
  /** What judging the links the rules were unsure of would cost the model: the batch's budget line. */
  judgeWork: JudgeWork;
  /** Those links, kept with the batch for the model to judge later; null when the rules were sure of every link. */
  uncertain: UncertainLinks | null;
}

/** Events that cross to the page: per-message skips are left out (their tally is in `progress` and the summary). */
export type BatchRunEvent = Exclude<BatchEvent<NewsletterLinks>, { type: 'skipped' | 'progress' }>;

export interface BatchEventBatch {
  events: BatchRunEvent[];
  progress: BatchProgress;
}

export interface BatchRunOptions {
  /** Sender keys the user unticked in the pre-scan's list. */
  excludedSenders?: string[];
  /** `BatchCheckpoint.done` of an earlier run of the same files: those newsletters are not read again. */
  done?: string[];
  /** The pre-scan's newsletter count, less the unticked senders': the basis of the time-left estimate. */
  expectedNewsletters?: number;
  limits?: Partial<SourceLimits>;
}

/** How often events cross to the page, at most: a progress bar needs no more, and each crossing costs a message. */
const FLUSH_INTERVAL_MS = 100;
/** Newsletters per crossing at most: the page can show (and save) the first results without waiting for a batch. */
const FLUSH_NEWSLETTERS = 8;

/**
 * One newsletter through the same pipeline as a paste, the person's corrections included; the batch's notes about
 * the input lead its warnings.
 */
export async function readNewsletter(input: NewsletterInput, stored: StoredCorrections): Promise<NewsletterLinks> {
  const report = correctedReport(await extractLinks(input.bytes, { fileName: input.fileName }), stored);
  if (input.meta.notes.length > 0) report.warnings.unshift(...input.meta.notes);
  const { mentions, uncertain } = newsletterMentions(report.links, input.meta);
  return { report, mentions, judgeWork: judgeWork(uncertain?.links ?? []), uncertain };
}

export const batchApi = {
  /**
   * Reads every message's headers, no body: the senders to choose from, how many newsletters, what is skipped and
   * why. Cancelling gives the counts so far, with `complete: false`.
   */
  async prescanBatch(
    files: BatchFile[],
    options: { limits?: Partial<SourceLimits> } = {},
    onProgress?: (progress: PrescanProgress) => unknown,
    cancel?: MessagePort,
  ): Promise<PrescanSummary> {
    const { signal, close } = signalFromPort(cancel);
    try {
      return await prescan(readSources(files, { signal, limits: options.limits }), {
        signal,
        onProgress: onProgress
          ? (progress) => void Promise.resolve(onProgress(progress)).catch(() => undefined)
          : undefined,
      });
    } finally {
      close();
    }
  },

  /**
   * Runs the batch. Results cross in small batches through `onEvents`, which is awaited: a page that saves each
   * result (or runs the model on it) before answering holds the reading back instead of queueing results in memory.
   * Resolves with the summary, `status: 'cancelled'` after an abort; everything sent before it stays valid.
   */
  async runBatch(
    files: BatchFile[],
    options: BatchRunOptions,
    onEvents: (batch: BatchEventBatch) => unknown,
    cancel?: MessagePort,
  ): Promise<BatchSummary> {
    const { signal, close } = signalFromPort(cancel);
    let pending: BatchRunEvent[] = [];
    let newsletters = 0;
    let lastFlush = performance.now();
    const flush = async (progress: BatchProgress) => {
      const events = pending;
      pending = [];
      newsletters = 0;
      lastFlush = performance.now();
      await onEvents({ events, progress });
    };
    try {
      // Read once per batch: a batch is one run, so a correction made while it runs holds from the next one.
      const stored = await readStoredCorrections();
      const events = runBatch(
        readSources(files, { signal, limits: options.limits }),
        (input) => readNewsletter(input, stored),
        {
          signal,
          excludedSenders: options.excludedSenders,
          done: options.done,
          expectedNewsletters: options.expectedNewsletters,
          totalBytes: totalBytes(files),
        },
      );
      for await (const event of events) {
        if (event.type === 'finished') {
          pending.push(event);
          await flush(event.summary.progress);
          return event.summary;
        }
        if (event.type !== 'skipped' && event.type !== 'progress') pending.push(event);
        if (event.type === 'newsletter') newsletters += 1;
        if (newsletters >= FLUSH_NEWSLETTERS || performance.now() - lastFlush >= FLUSH_INTERVAL_MS) {
          await flush(event.progress);
        }
      }
      throw new Error('The batch ended without a summary.');
    } finally {
      close();
    }
  },
};
