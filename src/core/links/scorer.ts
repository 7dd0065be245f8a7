/**
 * The learned link scorer at inference: a weight per feature and a bias, read from `model/link-model.json`
 * (written by `npm run train:links`), and a link's probability of being a startup's own site is the logistic of
 * their sum over its features. A few array reads per link; no randomness.
 */
import modelFile from './model/link-model.json';
import { featureCount, firedMember, namedFeatureCount, namedSignals, poolMembers } from './features.ts';
import type { FeatureVector } from './features.ts';

/** The model file: weights as integers over `scale`, so the committed file is short and byte-stable. */
export interface LinkModelFile {
  format: 1;
  features: number;
  scale: number;
  bias: number;
  weights: number[];
}

export interface LinkModel {
  bias: number;
  weights: Float64Array;
}

export function modelFromFile(file: LinkModelFile): LinkModel {
  if (file.format !== 1 || file.features !== featureCount || file.weights.length !== featureCount) {
    throw new Error(
      `The link model has ${file.weights.length} weights for ${file.features} features; this build reads ${featureCount}. Run npm run train:links.`,
    );
  }
  return { bias: file.bias / file.scale, weights: Float64Array.from(file.weights, (weight) => weight / file.scale) };
}

export const modelScale = 10_000;

/** What gets committed: weights rounded to 1/10,000, which moves no probability by more than ~0.1 %. */
export function modelToFile(model: LinkModel): LinkModelFile {
  return {
    format: 1,
    features: featureCount,
    scale: modelScale,
    bias: Math.round(model.bias * modelScale),
    weights: Array.from(model.weights, (weight) => Math.round(weight * modelScale) + 0),
  };
}

let committed: LinkModel | null = null;

/** The weights `train:links` committed; read on first use, so a build whose features changed can still train. */
export function committedModel(): LinkModel {
  committed ??= modelFromFile(modelFile as LinkModelFile);
  return committed;
}

/** The log-odds that the link is a startup's own site. */
export function logit(vector: FeatureVector, model: LinkModel): number {
  let sum = model.bias;
  for (let k = 0; k < vector.indices.length; k++) sum += model.weights[vector.indices[k]!]! * vector.values[k]!;
  return sum;
}

export function probability(vector: FeatureVector, model: LinkModel): number {
  const z = logit(vector, model);
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

const signalCount = namedSignals.length;
/** Where each named signal's amount sits while one vector is explained; -1 when it has none yet. */
const signalSlot = new Int32Array(signalCount).fill(-1);

function describe(index: number, namespace: string, words: string): string {
  if (index < namedFeatureCount) return namedSignals[index % signalCount]![1];
  switch (namespace) {
    case 'anchor':
    case 'anchor2':
      return `the anchor's words ("${words}")`;
    case 'sentence':
      return `the word "${words}" in the sentence`;
    case 'heading':
      return `the word "${words}" in the heading`;
    case 'left1':
    case 'left2':
      return `"${words}" just before it`;
    case 'right1':
    case 'right2':
      return `"${words}" just after it`;
    case 'tracker':
      return `wrapped by ${words}`;
    case 'path':
      return `a /${words} page`;
    case 'tld':
      return `a .${words} domain`;
    default:
      return namespace ? `${namespace}:${words}` : words;
  }
}

/**
 * The signal a named feature is told as: a pool's weight goes to the first of its shapes that fired, since "someone
 * founded it" tells a reader more than "the text presents it as a company".
 */
export function shownSignal(signal: number, vector: FeatureVector): number {
  const members = poolMembers.get(signal);
  if (!members) return signal;
  return firedMember(members, vector) ?? signal;
}

/**
 * Whether contribution `a` is told before `b`: stronger first, then by key. A function of the module, not a closure
 * in `explain`: a closure is made anew for every link explained.
 */
function precedes(amounts: readonly number[], keys: readonly number[], a: number, b: number): boolean {
  return (Math.abs(amounts[b]!) - Math.abs(amounts[a]!) || keys[a]! - keys[b]!) < 0;
}

/**
 * The features that moved the score most, in words, strongest first: those for (+) and against (−) a startup.
 * A named signal's shared and group copies count as one; words are described only once chosen.
 */
export function explain(vector: FeatureVector, model: LinkModel, limit = 5): string[] {
  // Named signals by signal id (their copies add up); hashed words by their entry.
  const amounts: number[] = [];
  const keys: number[] = [];
  const touched: number[] = [];
  // A signal's shared and group copies sit next to each other: the second asks `shownSignal` what the first did.
  let lastSignal = -1;
  let lastShown = -1;
  try {
    for (let k = 0; k < vector.indices.length; k++) {
      const index = vector.indices[k]!;
      const amount = model.weights[index]! * vector.values[k]!;
      if (amount === 0) continue;
      if (index < namedFeatureCount) {
        if (index % signalCount !== lastSignal) {
          lastSignal = index % signalCount;
          lastShown = shownSignal(lastSignal, vector);
        }
        const signal = lastShown;
        const at = signalSlot[signal]!;
        if (at >= 0) {
          amounts[at]! += amount;
          continue;
        }
        signalSlot[signal] = amounts.length;
        touched.push(signal);
        keys.push(-1 - signal);
      } else {
        keys.push(k);
      }
      amounts.push(amount);
    }
  } finally {
    for (const signal of touched) signalSlot[signal] = -1;
  }
  // The strongest `limit`, kept in order as they come: every scored link is explained, and sorting all its
  // contributions to keep five was most of the cost. Keys are unique, so the order is total and the same as a sort's.
  const top: number[] = [];
  for (let at = 0; at < amounts.length; at++) {
    if (Math.abs(amounts[at]!) < 0.05) continue;
    let place = top.length;
    while (place > 0 && precedes(amounts, keys, at, top[place - 1]!)) place--;
    if (place >= limit) continue;
    // Inserted by hand, the last one falling off a full list: this runs for every scored link, and `splice` is a
    // costly call for a list of five.
    let end = top.length < limit ? top.push(at) - 1 : limit - 1;
    for (; end > place; end--) top[end] = top[end - 1]!;
    top[place] = at;
  }
  return top.map((at) => {
    const key = keys[at]!;
    const text =
      key < 0
        ? namedSignals[-1 - key]![1]
        : describe(vector.indices[key]!, vector.namespaces[key]!, vector.words[key]!);
    return `${amounts[at]! > 0 ? '+' : '−'} ${text}`;
  });
}
