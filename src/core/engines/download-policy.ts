/**
 * The rules Sift's model download follows, kept apart from the worker that applies them: which
 * failures are worth another try and how long to wait, whether a body is the size the listing
 * promised, and whether the browser has room for what is left to fetch.
 */

/** Tries per file, the first included. */
export const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 1000;
/** A server asking for a longer pause than this is told to the person instead of waited out. */
export const MAX_RETRY_AFTER_MS = 120_000;

/** Hosts that say "later" (429) or fail on their side (5xx) may answer the next try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null when
 * absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * The least a 429 waits when its Retry-After cannot be read: a browser shows a cross-origin
 * response's Retry-After only if the host lists it in Access-Control-Expose-Headers.
 */
export const RATE_LIMITED_MIN_WAIT_MS = 5_000;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/**
 * What to do after try number `attempt` (1-based) of a file failed in a way worth retrying: wait
 * as the server asked, else back off exponentially (1 s, 2 s, 4 s, 8 s, with ±20 % jitter so four
 * parallel downloads do not return in step; a 429 at least `RATE_LIMITED_MIN_WAIT_MS`), and give
 * up after `MAX_ATTEMPTS` tries.
 */
export function retryDecision(
  attempt: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
  status?: number,
): RetryDecision {
  if (attempt >= MAX_ATTEMPTS) return { retry: false, why: `gave up after ${attempt} tries` };
  if (retryAfterMs !== null) {
    if (retryAfterMs > MAX_RETRY_AFTER_MS) {
      return {
        retry: false,
        why: `the server asks to wait ${Math.ceil(retryAfterMs / 60_000)} min before trying again`,
      };
    }
    return { retry: true, delayMs: retryAfterMs };
  }
  const base = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
  const delayMs = Math.round(base * (0.8 + 0.4 * random()));
  return { retry: true, delayMs: status === 429 ? Math.max(delayMs, RATE_LIMITED_MIN_WAIT_MS) : delayMs };
}

/** A file's body was not the size the model's listing (or the response's Content-Length) promised. */
export class DownloadSizeError extends Error {
  override name = 'DownloadSizeError';
}

export function checkBodySize(file: string, receivedBytes: number, expectedBytes: number, source: string): void {
  if (receivedBytes === expectedBytes) return;
  const how = receivedBytes < expectedBytes ? 'was cut short' : 'is larger than expected';
  throw new DownloadSizeError(
    `${file} ${how}: the server’s answer has ${receivedBytes.toLocaleString('en')} bytes, ${source} says ` +
      `${expectedBytes.toLocaleString('en')}. Nothing of it was stored; loading again fetches it afresh.`,
  );
}

/** The browser will not keep what is about to be downloaded. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export interface StorageEstimate {
  usageBytes: number | null;
  quotaBytes: number | null;
}

/**
 * Files the listing does not size (the tokenizer, ~7–11 MB for Qwen3, and the model library,
 * a few MB) are counted at this much, so the check errs towards asking for room.
 */
export const UNLISTED_FILES_ALLOWANCE = 32 * 2 ** 20;

/**
 * Refuses a download the browser's quota cannot hold, saying what is needed and what is free.
 * `neededBytes` counts only what is not cached yet. Without an estimate (older browsers) it lets
 * the download try; the cache's own QuotaExceededError is then explained instead.
 */
export function checkRoomForDownload(
  neededBytes: number,
  estimate: StorageEstimate,
  formatBytes: (bytes: number) => string,
): void {
  if (estimate.quotaBytes === null || estimate.usageBytes === null || neededBytes <= 0) return;
  const free = Math.max(0, estimate.quotaBytes - estimate.usageBytes);
  if (neededBytes <= free) return;
  throw new StorageFullError(
    `This model needs about ${formatBytes(neededBytes)} more storage, but the browser lets this site use only ` +
      `${formatBytes(free)} more (${formatBytes(estimate.usageBytes)} used of ${formatBytes(estimate.quotaBytes)}). ` +
      'Nothing was downloaded.',
  );
}
