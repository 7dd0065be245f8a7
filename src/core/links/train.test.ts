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

  it('pulls a weight towards its prior mean: all the way where no row has the feature, part of the way against data', () => {
    // Feature 3 fires on no row; feature 1 says no, and its prior says yes.
    const means = Float64Array.from([0, 1, 0, -0.7]);
    const trained = trainLogistic(rows(), { dimensions: 4, l2: 0.01, priorMeans: means });
    const plain = trainLogistic(rows(), { dimensions: 4, l2: 0.01 });
    expect(trained.weights[3]).toBeCloseTo(-0.7, 4);
    expect(plain.weights[3]).toBe(0);
    expect(trained.weights[1]).toBeGreaterThan(plain.weights[1]!);
    expect(trained.weights[1]).toBeLessThan(0);
  });

  it('refuses prior means of the wrong length', () => {
    expect(() => trainLogistic(rows(), { dimensions: 3, l2: 0.01, priorMeans: new Float64Array(2) })).toThrow(
      /2 entries for 3 weights/,
    );
  });
});
