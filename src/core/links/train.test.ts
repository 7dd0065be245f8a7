import { describe, expect, it } from 'vitest';
import { trainLogistic } from './train.ts';
import type { TrainingRow } from './train.ts';

/** A small separable-with-noise problem: feature 0 says yes, feature 1 says no, feature 2 is noise. */
function rows(): TrainingRow[] {
  const out: TrainingRow[] = [];
  for (let i = 0; i < 60; i++) {
    const positive = i % 3 === 0;
    out.push({
      indices: positive ? [0, 2] : [1, 2],
      values: [1, (i % 7) / 7],
      target: positive ? (i % 9 === 0 ? 0.5 : 1) : 0,
      weight: positive ? 2 : 1,
    });
  }
  return out;
}

describe('trainLogistic', () => {
  it('gives bit-identical weights for the same rows', () => {
    const first = trainLogistic(rows(), { dimensions: 3, l2: 0.01 });
    const second = trainLogistic(rows(), { dimensions: 3, l2: 0.01 });
    expect(second.bias).toBe(first.bias);
    expect([...second.weights]).toEqual([...first.weights]);
  });

  it('learns the sign of each signal and shrinks with a larger penalty', () => {
    const loose = trainLogistic(rows(), { dimensions: 3, l2: 0.001 });
    const tight = trainLogistic(rows(), { dimensions: 3, l2: 0.1 });
    expect(loose.weights[0]).toBeGreaterThan(0);
    expect(loose.weights[1]).toBeLessThan(0);
    expect(Math.abs(tight.weights[0]!)).toBeLessThan(Math.abs(loose.weights[0]!));
  });
});
