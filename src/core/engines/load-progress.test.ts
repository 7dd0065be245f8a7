import { describe, expect, it } from 'vitest';
import { TransferRate, formatDuration, parseWebLLMProgress } from './load-progress.ts';

describe('parseWebLLMProgress', () => {
  it('reads a WebLLM 0.2.86 download report into bytes, total and shard count', () => {
    const progress = parseWebLLMProgress({
      progress: 0.25,
      text: 'Fetching param cache[3/24]: 120MB fetched. 25% completed, 4 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
    });
    expect(progress).toMatchObject({
      phase: 'download',
      fraction: 0.25,
      loadedBytes: 120 * 2 ** 20,
      totalBytes: 480 * 2 ** 20,
      step: { done: 3, of: 24 },
    });
  });

  it('tells a load from the browser cache apart from a download', () => {
    expect(
      parseWebLLMProgress({
        progress: 0.5,
        text: 'Loading model from cache[12/24]: 240MB loaded. 50% completed, 2 secs elapsed.',
      }),
    ).toMatchObject({ phase: 'cache', step: { done: 12, of: 24 }, loadedBytes: 240 * 2 ** 20 });
  });

  it('reads shader compilation and the final report', () => {
    expect(
      parseWebLLMProgress({ progress: 0.1, text: 'Loading GPU shader modules[8/80]: 10% completed, 1 secs elapsed.' }),
    ).toMatchObject({ phase: 'shaders', step: { done: 8, of: 80 }, fraction: 0.1 });
    expect(parseWebLLMProgress({ progress: 1, text: 'Finish loading on WebGPU - swiftshader' }).phase).toBe('ready');
  });

  it('keeps unknown texts and clamps odd fractions instead of failing', () => {
    expect(parseWebLLMProgress({ progress: Number.NaN, text: 'something new' })).toEqual({
      phase: 'starting',
      fraction: 0,
      text: 'something new',
    });
    expect(parseWebLLMProgress({ progress: 7, text: '' }).fraction).toBe(1);
  });
});

describe('TransferRate', () => {
  it('measures speed over its window and estimates time left', () => {
    const rate = new TransferRate(5000);
    expect(rate.bytesPerSecond()).toBeNull();
    rate.add(0, 0);
    rate.add(1000, 1_000_000);
    rate.add(2000, 2_000_000);
    expect(rate.bytesPerSecond()).toBe(1_000_000);
    expect(rate.secondsLeft(10_000_000)).toBe(8);
  });

  it('forgets old samples, so a stall shows as a falling speed', () => {
    const rate = new TransferRate(2000);
    rate.add(0, 0);
    rate.add(1000, 5_000_000);
    rate.add(10_000, 5_000_000);
    rate.add(11_000, 5_000_000);
    expect(rate.bytesPerSecond()).toBe(0);
    expect(rate.secondsLeft(6_000_000)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('writes durations the way a progress bar shows them', () => {
    expect(formatDuration(42.2)).toBe('43 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3 h 1 min');
  });
});
