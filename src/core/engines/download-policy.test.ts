import { describe, expect, it } from 'vitest';
import {
  DownloadSizeError,
  MAX_ATTEMPTS,
  StorageFullError,
  checkBodySize,
  checkRoomForDownload,
  isRetryableStatus,
  parseRetryAfter,
  retryDecision,
} from './download-policy.ts';
import { formatBytes } from './load-progress.ts';

describe('which failures are retried', () => {
  it.each([
    [429, true],
    [503, true],
    [500, true],
    [408, true],
    [404, false],
    [403, false],
    [401, false],
  ])('HTTP %i → %s', (status, retried) => {
    expect(isRetryableStatus(status)).toBe(retried);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('retryDecision', () => {
  it('waits as the server asks', () => {
    expect(retryDecision(1, 2000)).toEqual({ retry: true, delayMs: 2000 });
  });
  it('backs off exponentially with jitter when the server says nothing', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((attempt) => retryDecision(attempt, null, middle))).toEqual([
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 2000 },
      { retry: true, delayMs: 4000 },
      { retry: true, delayMs: 8000 },
    ]);
    expect(retryDecision(1, null, () => 0)).toEqual({ retry: true, delayMs: 800 });
  });
  it('waits longer after a 429 whose Retry-After the browser hid (not in Access-Control-Expose-Headers)', () => {
    expect(retryDecision(1, null, () => 0.5, 429)).toEqual({ retry: true, delayMs: 5000 });
    expect(retryDecision(4, null, () => 0.5, 429)).toEqual({ retry: true, delayMs: 8000 });
  });
  it('gives up after the last try, or when the server asks for too long a pause', () => {
    expect(retryDecision(MAX_ATTEMPTS, null)).toEqual({ retry: false, why: `gave up after ${MAX_ATTEMPTS} tries` });
    expect(retryDecision(1, 3_600_000)).toEqual({
      retry: false,
      why: 'the server asks to wait 60 min before trying again',
    });
  });
});

describe('checkBodySize', () => {
  it('accepts the promised size and refuses a short or long body, saying nothing was stored', () => {
    expect(() => checkBodySize('params_shard_0.bin', 100, 100, 'the listing')).not.toThrow();
    expect(() => checkBodySize('params_shard_0.bin', 60, 100, 'the listing')).toThrow(DownloadSizeError);
    expect(() => checkBodySize('params_shard_0.bin', 60, 100, 'the listing')).toThrow(
      'params_shard_0.bin was cut short: the server’s answer has 60 bytes, the listing says 100. Nothing of it was stored',
    );
    expect(() => checkBodySize('x.bin', 160, 100, 'the listing')).toThrow(/larger than expected/);
  });
});

describe('checkRoomForDownload', () => {
  const MB = 2 ** 20;
  it('lets a download start when the quota holds it, or when the browser gives no estimate', () => {
    expect(() =>
      checkRoomForDownload(500 * MB, { usageBytes: 100 * MB, quotaBytes: 1000 * MB }, formatBytes),
    ).not.toThrow();
    expect(() => checkRoomForDownload(500 * MB, { usageBytes: null, quotaBytes: null }, formatBytes)).not.toThrow();
  });
  it('refuses one that does not fit, saying what is needed and what is free', () => {
    const check = () => checkRoomForDownload(1400 * MB, { usageBytes: 200 * MB, quotaBytes: 1000 * MB }, formatBytes);
    expect(check).toThrow(StorageFullError);
    expect(check).toThrow(
      'This model needs about 1.4 GB more storage, but the browser lets this site use only 800 MB more (200 MB used of 1000 MB). Nothing was downloaded.',
    );
  });
});
