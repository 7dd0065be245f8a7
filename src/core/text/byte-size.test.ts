import { describe, expect, it } from 'vitest';
import { formatBytes } from './byte-size.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1500, '1.5 kB'],
    [599_000, '585 kB'],
    [1.5 * 2 ** 20, '1.5 MB'],
    [7.6 * 2 ** 20, '7.6 MB'],
    [12.4 * 2 ** 20, '12 MB'],
    [50 * 2 ** 20, '50 MB'],
    [1_234_567_890, '1.1 GB'],
    [3 * 2 ** 30, '3.0 GB'],
    [5 * 2 ** 40, '5120 GB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
