/**
 * The personal layer: what the person's corrections teach the shipped link scorer, per newsletter sender. It adds
 * a shift to the shipped log-odds of a link, learned by a few passes of stochastic gradient descent on the logistic
 * loss over that sender's corrections, starting from the shipped ranking (shift 0) and pulled back towards it.
 *
 * Bounded, on purpose, so a few clicks cannot make everything a startup:
 * - each learned weight is clamped; features every link shares (the sender's bias, direct-or-tracker, the TLD)
 *   to `broadLimit`, so a link that shares nothing else with the corrections moves by at most `unrelatedLimit`, and
 *   only downwards; upwards, any other weight gets only `raiseShare` of its limit;
 * - any other feature is learned only once `minSupport` corrections carry it;
 * - a link's whole shift is clamped to `shiftLimit` log-odds.
 * Deterministic: corrections are learned in (date, id) order, with no randomness.
 * Scoped: one sender's corrections never train another sender's weights (only exact domain verdicts cross senders,
 * and those live in apply.ts, not here).
 */
import type { Correction } from './correction.ts';
import { isBroadFeature } from './personal-features.ts';

export const personalSettings = {
  epochs: 25,
  learningRate: 0.4,
  /** The pull back towards the shipped ranking, per step. */
  l2: 0.02,
  weightLimit: 1.5,
  broadLimit: 0.3,
  shiftLimit: 3,
  /** A weight may raise scores by this share of its limit only: a wrong "startup" costs more than a missed one. */
  raiseShare: 0.5,
  /**
   * The features every link of a sender shares never raise: startups are a few in a hundred of a newsletter's links,
   * so a sender-wide raise adds more false startups than it finds (eval:corrections: strictlyvc's news sources crossed
   * the line on two "is a startup" clicks); a sender-wide lowering costs only that sender's borderline links.
   */
  broadRaiseShare: 0,
  /**
   * A feature other than the broad ones is learned only once this many corrections of different links carry it: one
   * click decides its own link (an exact verdict) and teaches nothing about its heading or its neighbours' words,
   * which its wrong and right links share alike; a pattern is what recurs.
   */
  minSupport: 2,
} as const;

/** The most a link sharing only broad features with every correction can move: three broad features. */
export const unrelatedLimit = 3 * personalSettings.broadLimit;

/** Log-odds of a probability, kept finite at 0 and 1 (the ranking rounds scores to hundredths). */
export function logOdds(probability: number): number {
  const p = Math.min(0.995, Math.max(0.005, probability));
  return Math.log(p / (1 - p));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export interface PersonalLayer {
  /** How many corrections it learned from. */
  readonly learnedFrom: number;
  /** The shift to a link's shipped log-odds, within ±shiftLimit; 0 when nothing was learned. */
  shift(features: readonly string[]): number;
}

const clampTo = (value: number, limit: number) => Math.min(limit, Math.max(-limit, value));

/** Learns the weights of one newsletter's senders from their verdict corrections (renames teach the scorer nothing). */
function learnWeights(corrections: readonly Correction[]): Map<string, number> {
  const weights = new Map<string, number>();
  const examples = corrections
    .filter((correction) => correction.kind !== 'rename' && correction.features.length > 0)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { epochs, learningRate, l2, weightLimit, broadLimit, shiftLimit, raiseShare, broadRaiseShare, minSupport } =
    personalSettings;
  const support = new Map<string, number>();
  for (const example of examples) {
    for (const feature of new Set(example.features)) support.set(feature, (support.get(feature) ?? 0) + 1);
  }
  const learnable = (feature: string) => isBroadFeature(feature) || (support.get(feature) ?? 0) >= minSupport;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const example of examples) {
      const target = example.kind === 'is-startup' ? 1 : 0;
      const features = new Set(example.features.filter(learnable));
      let shift = 0;
      for (const feature of features) shift += weights.get(feature) ?? 0;
      const error = sigmoid(logOdds(example.score) + clampTo(shift, shiftLimit)) - target;
      for (const feature of features) {
        const weight = weights.get(feature) ?? 0;
        const next = weight - learningRate * (error + l2 * weight);
        const limit = isBroadFeature(feature) ? broadLimit : weightLimit;
        const raiseLimit = isBroadFeature(feature) ? limit * broadRaiseShare : limit * raiseShare;
        weights.set(feature, Math.min(raiseLimit, Math.max(-limit, next)));
      }
    }
  }
  return weights;
}

/** The personal layer for one newsletter: the corrections made on newsletters from any of `senders`. */
export function learnPersonalLayer(corrections: readonly Correction[], senders: readonly string[]): PersonalLayer {
  const scoped = senders.length > 0 ? senders : [''];
  const own = corrections.filter((item) => scoped.includes(item.sender));
  const weights = learnWeights(own);
  return {
    learnedFrom: own.filter((item) => item.kind !== 'rename').length,
    shift(features) {
      let sum = 0;
      for (const feature of new Set(features)) sum += weights.get(feature) ?? 0;
      return clampTo(sum, personalSettings.shiftLimit);
    },
  };
}
