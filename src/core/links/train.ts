/**
 * Learning the link scorer's weights: L2-regularised logistic regression over sparse rows, with a target in 0..1
 * (a soft label is allowed) and a weight per row, minimised by L-BFGS over the whole batch.
 *
 * Why not a library: mljs `ml-logistic-regression` 2.0.0, the obvious candidate, was tried on the corpus's rows
 * (2,844 links × 4,373 columns). It trains one-vs-all on a dense `ml-matrix` (100 MB here) by plain gradient steps
 * at a fixed rate, 50,000 by default, and each step took 1.0 s per class on this machine: ~28 hours for one model,
 * and cross-validation trains 70. It also has no regularisation (the weight of a word seen once grows without
 * bound on separable data), no row weights and no soft targets, which the borderline policy needs. `fmin` and
 * `optimization-js` offer generic optimisers but are unmaintained. The objective here is the textbook one in a
 * few lines over sparse rows; L-BFGS needs ~100 passes. The optimiser is deterministic: no sampling, no shuffling,
 * the rows in the order given, so the same rows give bit-identical weights (no seed is needed).
 */

export interface TrainingRow {
  indices: readonly number[];
  values: readonly number[];
  /** 1 = a startup, 0 = not, between = a soft label. */
  target: number;
  /** How much the row counts in the loss. */
  weight: number;
}

export interface TrainingOptions {
  dimensions: number;
  /** The L2 penalty on every weight but the bias, per unit of total row weight. */
  l2: number;
  /** Where the L2 penalty pulls each weight (index-aligned with the weights); 0 for every weight when absent. */
  priorMeans?: Float64Array;
  /** L-BFGS iterations at most; it stops earlier when the gradient vanishes. */
  maxIterations?: number;
  /** L-BFGS memory. */
  history?: number;
}

export interface TrainedWeights {
  bias: number;
  weights: Float64Array;
  iterations: number;
  loss: number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * The loss and its gradient at `theta` (bias at index 0, then the weights): mean weighted cross-entropy plus
 * `l2 / 2 · |w − means|²`.
 */
function lossAndGradient(
  rows: readonly TrainingRow[],
  theta: Float64Array,
  l2: number,
  means: Float64Array | undefined,
  totalWeight: number,
  gradient: Float64Array,
): number {
  gradient.fill(0);
  let loss = 0;
  for (const row of rows) {
    let z = theta[0]!;
    for (let k = 0; k < row.indices.length; k++) z += theta[row.indices[k]! + 1]! * row.values[k]!;
    // Cross-entropy with a soft target: t·softplus(−z) + (1 − t)·softplus(z).
    loss += row.weight * (row.target * softplus(-z) + (1 - row.target) * softplus(z));
    const residual = (row.weight * (sigmoid(z) - row.target)) / totalWeight;
    gradient[0]! += residual;
    for (let k = 0; k < row.indices.length; k++) gradient[row.indices[k]! + 1]! += residual * row.values[k]!;
  }
  loss /= totalWeight;
  for (let i = 1; i < theta.length; i++) {
    const distance = theta[i]! - (means?.[i - 1] ?? 0);
    loss += 0.5 * l2 * distance * distance;
    gradient[i]! += l2 * distance;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function trainLogistic(rows: readonly TrainingRow[], options: TrainingOptions): TrainedWeights {
  const size = options.dimensions + 1;
  if (options.priorMeans && options.priorMeans.length !== options.dimensions) {
    throw new Error(`priorMeans has ${options.priorMeans.length} entries for ${options.dimensions} weights`);
  }
  const maxIterations = options.maxIterations ?? 400;
  const history = options.history ?? 10;
  const totalWeight = rows.reduce((sum, row) => sum + row.weight, 0) || 1;
  const theta = new Float64Array(size);
  const gradient = new Float64Array(size);
  let loss = lossAndGradient(rows, theta, options.l2, options.priorMeans, totalWeight, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  const direction = new Float64Array(size);
  const nextTheta = new Float64Array(size);
  const nextGradient = new Float64Array(size);
  const alphas = new Float64Array(history);
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    if (Math.sqrt(dot(gradient, gradient)) < 1e-7) break;
    // Two-loop recursion: direction = −H·gradient.
    direction.set(gradient);
    for (let m = steps.length - 1; m >= 0; m--) {
      alphas[m] = rhos[m]! * dot(steps[m]!, direction);
      const change = changes[m]!;
      for (let i = 0; i < size; i++) direction[i]! -= alphas[m]! * change[i]!;
    }
    if (steps.length > 0) {
      const last = steps.length - 1;
      const scale = dot(steps[last]!, changes[last]!) / dot(changes[last]!, changes[last]!);
      for (let i = 0; i < size; i++) direction[i]! *= scale;
    }
    for (let m = 0; m < steps.length; m++) {
      const beta = rhos[m]! * dot(changes[m]!, direction);
      const step = steps[m]!;
      for (let i = 0; i < size; i++) direction[i]! += step[i]! * (alphas[m]! - beta);
    }
    for (let i = 0; i < size; i++) direction[i] = -direction[i]!;
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction: restart from the gradient.
      steps.length = changes.length = rhos.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -gradient[i]!;
      slope = dot(gradient, direction);
    }
    // Backtracking line search (Armijo).
    let rate = steps.length === 0 ? 1 / Math.max(1, Math.sqrt(-slope)) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) nextTheta[i] = theta[i]! + rate * direction[i]!;
      nextLoss = lossAndGradient(rows, nextTheta, options.l2, options.priorMeans, totalWeight, nextGradient);
      if (nextLoss <= loss + 1e-4 * rate * slope) break;
      rate /= 2;
    }
    if (!(nextLoss < loss)) break;
    const step = new Float64Array(size);
    const change = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      step[i] = nextTheta[i]! - theta[i]!;
      change[i] = nextGradient[i]! - gradient[i]!;
    }
    const curvature = dot(step, change);
    if (curvature > 1e-12) {
      if (steps.length === history) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
      steps.push(step);
      changes.push(change);
      rhos.push(1 / curvature);
    }
    const improvement = loss - nextLoss;
    theta.set(nextTheta);
    gradient.set(nextGradient);
    loss = nextLoss;
    if (improvement < 1e-10 * Math.max(1, Math.abs(loss))) {
      iteration++;
      break;
    }
  }
  return { bias: theta[0]!, weights: theta.slice(1), iterations: iteration, loss };
}
