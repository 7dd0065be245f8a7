import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featureCount, namedFeatureCount, namedSignals } from './features.ts';
import type { FeatureVector } from './features.ts';
import { explain, shownSignal } from './scorer.ts';
import type { LinkModel } from './scorer.ts';

/** The plain reading of `explain`: sum the copies of each named signal, sort every contribution, keep the first. */
function explainBySorting(vector: FeatureVector, model: LinkModel, limit: number): string[] {
  const signalCount = namedSignals.length;
  const amounts = new Map<number, number>();
  for (let k = 0; k < vector.indices.length; k++) {
    const index = vector.indices[k]!;
    const amount = model.weights[index]! * vector.values[k]!;
    if (amount === 0) continue;
    const key = index < namedFeatureCount ? -1 - shownSignal(index % signalCount, vector) : k;
    amounts.set(key, (amounts.get(key) ?? 0) + amount);
  }
  return [...amounts]
    .filter(([, amount]) => Math.abs(amount) >= 0.05)
    .sort(([keyA, a], [keyB, b]) => Math.abs(b) - Math.abs(a) || keyA - keyB)
    .slice(0, limit)
    .map(([key, amount]) => {
      const text = key < 0 ? namedSignals[-1 - key]![1] : vector.words[key]!;
      return `${amount > 0 ? '+' : '−'} ${text}`;
    });
}

describe('explain', () => {
  it('names the same strongest contributions, in the same order, as sorting them all', () => {
    // Few distinct weights, so ties (broken by the feature's order) are common.
    const weight = fc.constantFrom(0, 0.01, -0.04, 0.05, -0.05, 0.3, -0.3, 0.7, 1.2, -1.2);
    const entry = fc.record({
      index: fc.oneof(
        fc.integer({ min: 0, max: namedFeatureCount - 1 }),
        fc.integer({ min: namedFeatureCount, max: namedFeatureCount + 5 }),
      ),
      value: fc.constantFrom(1, 0.5, 2),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.array(weight, { minLength: 1, maxLength: 8 }),
        fc.nat(7),
        (entries, weights, limit) => {
          const model: LinkModel = { bias: 0, weights: new Float64Array(featureCount) };
          for (let index = 0; index < featureCount; index++) model.weights[index] = weights[index % weights.length]!;
          const vector: FeatureVector = {
            indices: entries.map((e) => e.index),
            values: entries.map((e) => e.value),
            // Words that describe() leaves as they are, so the reference can print them too.
            namespaces: entries.map(() => ''),
            words: entries.map((e, k) => (e.index < namedFeatureCount ? '' : `w${k}`)),
          };
          expect(explain(vector, model, limit)).toEqual(explainBySorting(vector, model, limit));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("tells a pool's weight as the shape that fired it", () => {
    const at = (id: string) => namedSignals.findIndex(([name]) => name === id);
    const model: LinkModel = { bias: 0, weights: new Float64Array(featureCount) };
    model.weights[at('builtBy')] = 0.2;
    model.weights[at('presentedAsCompany')] = 0.5;
    const vector: FeatureVector = {
      indices: [at('builtBy'), at('presentedAsCompany')],
      values: [1, 1],
      namespaces: ['', ''],
      words: ['', ''],
    };
    expect(explain(vector, model)).toEqual(['+ someone builds, runs or founded it']);
  });
});
