/**
 * The batch runner: items in, one newsletter at a time through `process` (the same pipeline as a paste), events out.
 * It knows nothing of engines or the page: `process` is whatever turns a newsletter into a result. It skips what
 * is not a newsletter, copies, unticked senders and newsletters a saved checkpoint already holds; it reports
 * progress with a time-left estimate; it stops at the next newsletter when `signal` aborts, and every result it
 * yielded before that stays the caller's (the caller saves them, and the checkpoint with their keys).
 */
import { type BatchProblem, problemOf } from './prescan.ts';
import { type NewsletterMeta, screenItem } from './screen.ts';
import { addSkip, describeSkips, skippedCount, type SkipTally } from './skip-reasons.ts';
import { describeOrigin, type SkipReason, type SourceItem } from './types.ts';
import type { Sender } from './headers.ts';
import { messageOf } from '../text/error-message.ts';

export interface NewsletterInput {
  meta: NewsletterMeta;
  bytes: Uint8Array;
  /** What the pipeline detects the format from (`message.eml` for an email). */
  fileName: string;
}

/** Turns one newsletter into a result. Should give up when `signal` aborts; the runner stops either way. */
export type ProcessNewsletter<R> = (input: NewsletterInput, signal: AbortSignal) => Promise<R>;

export interface BatchProgress {
  /** Newsletters handled: processed, failed, or already in the checkpoint. */
  done: number;
  /** Newsletters expected (from the pre-scan, unticked senders left out); null when unknown. */
  total: number | null;
  processed: number;
  failed: number;
  resumed: number;
  skipped: number;
  readBytes: number;
  totalBytes: number;
  elapsedMs: number;
  /** Estimated time left, or null before there is anything to estimate from. */
  etaMs: number | null;
}

export type BatchEvent<R> =
  | { type: 'newsletter'; meta: NewsletterMeta; result: R; ms: number; progress: BatchProgress }
  | { type: 'failed'; meta: NewsletterMeta; error: string; progress: BatchProgress }
  | { type: 'skipped'; where: string; reason: SkipReason; sender: Sender | null; progress: BatchProgress }
  | { type: 'problem'; problem: BatchProblem; progress: BatchProgress }
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'finished'; summary: BatchSummary };

export interface BatchSummary {
  status: 'complete' | 'cancelled';
  processed: number;
  failed: number;
  resumed: number;
  skipped: SkipTally;
  skippedSentences: string[];
  problems: BatchProblem[];
  progress: BatchProgress;
}

export interface RunBatchOptions {
  signal?: AbortSignal;
  /** Sender keys (`Sender.key`) the user unticked. */
  excludedSenders?: Iterable<string>;
  /** Keys of newsletters a previous run of the same files finished (`BatchCheckpoint.done`). */
  done?: Iterable<string>;
  /** Newsletters this run will meet, from the pre-scan: the basis of the time-left estimate. */
  expectedNewsletters?: number;
  /** Bytes of all files: the estimate's basis when the newsletters were not counted first. */
  totalBytes?: number;
  now?: () => number;
}

/** Standalone progress events while skipping: often enough for a progress bar, rarely enough to cost nothing. */
const PROGRESS_INTERVAL_MS = 200;
/**
 * Reading a file that is already buffered resolves in microtasks only, which would starve the event loop: a cancel
 * message from the page could not get in. The runner steps out to a macrotask this often.
 */
const YIELD_INTERVAL_MS = 50;

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export async function* runBatch<R>(
  items: AsyncIterable<SourceItem>,
  process: ProcessNewsletter<R>,
  options: RunBatchOptions = {},
): AsyncGenerator<BatchEvent<R>> {
  const now = options.now ?? (() => performance.now());
  const signal = options.signal ?? new AbortController().signal;
  const excluded = new Set(options.excludedSenders ?? []);
  const previouslyDone = new Set(options.done ?? []);
  const seen = new Set<string>();
  const skipped: SkipTally = {};
  const problems: BatchProblem[] = [];
  const started = now();
  let processed = 0;
  let failed = 0;
  let resumed = 0;
  let readBytes = 0;
  let lastProgress = started;
  let lastYield = started;
  /** Time spent in this run per newsletter handled in it, the estimate's rate. */
  let workMs = 0;

  const progress = (): BatchProgress => {
    const elapsedMs = now() - started;
    const done = processed + failed + resumed;
    const total = options.expectedNewsletters ?? null;
    const totalBytes = options.totalBytes ?? 0;
    let etaMs: number | null = null;
    const handledHere = processed + failed;
    if (total !== null && handledHere > 0) etaMs = Math.max(0, total - done) * (workMs / handledHere);
    else if (total === null && totalBytes > 0 && readBytes > 0)
      etaMs = (elapsedMs * (totalBytes - readBytes)) / readBytes;
    return {
      done,
      total: total === null ? null : Math.max(total, done),
      processed,
      failed,
      resumed,
      skipped: skippedCount(skipped),
      readBytes,
      totalBytes,
      elapsedMs: Math.round(elapsedMs),
      etaMs: etaMs === null ? null : Math.round(Math.max(0, etaMs)),
    };
  };

  const skip = function* (where: string, reason: SkipReason, sender: Sender | null): Generator<BatchEvent<R>> {
    addSkip(skipped, reason);
    yield { type: 'skipped', where, reason, sender, progress: progress() };
  };

  let workStarted = now();
  for await (const item of items) {
    if (signal.aborted) break;
    readBytes = Math.max(readBytes, item.readBytes);
    if (item.kind === 'problem') {
      const problem = problemOf(item);
      problems.push(problem);
      yield { type: 'problem', problem, progress: progress() };
    } else if (item.kind === 'ignored') {
      yield* skip(describeOrigin(item.origin), item.reason, null);
    } else {
      const screened = await screenItem(item);
      if (screened.kind === 'skipped') {
        yield* skip(describeOrigin(screened.origin), screened.reason, screened.sender);
      } else {
        const { meta } = screened;
        if (seen.has(meta.key)) yield* skip(describeOrigin(meta.origin), 'duplicate', meta.sender);
        else if (excluded.has(meta.sender.key)) {
          seen.add(meta.key);
          yield* skip(describeOrigin(meta.origin), 'unticked', meta.sender);
        } else if (previouslyDone.has(meta.key)) {
          seen.add(meta.key);
          resumed += 1;
          workStarted = now();
        } else {
          seen.add(meta.key);
          const began = now();
          try {
            const result = await process({ meta, bytes: screened.bytes, fileName: screened.fileName }, signal);
            if (signal.aborted) break;
            processed += 1;
            workMs += now() - workStarted;
            workStarted = now();
            yield { type: 'newsletter', meta, result, ms: Math.round(now() - began), progress: progress() };
          } catch (error) {
            if (isAbort(error, signal)) break;
            failed += 1;
            workMs += now() - workStarted;
            workStarted = now();
            const where = describeOrigin(meta.origin);
            yield {
              type: 'failed',
              meta,
              error: `${where} could not be read as a newsletter (${messageOf(error)}); the batch went on without it.`,
              progress: progress(),
            };
          }
          lastProgress = now();
        }
      }
    }
    if (now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now();
      yield { type: 'progress', progress: progress() };
    }
    if (now() - lastYield >= YIELD_INTERVAL_MS) {
      await macrotask();
      lastYield = now();
    }
  }
  const summary: BatchSummary = {
    status: signal.aborted ? 'cancelled' : 'complete',
    processed,
    failed,
    resumed,
    skipped,
    skippedSentences: describeSkips(skipped),
    problems,
    progress: progress(),
  };
  yield { type: 'finished', summary };
}
