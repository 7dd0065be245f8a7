/**
 * The labelled corpus as the link scripts (train, eval) read it: `raw/<family>/<file>` and
 * `labels/<family>/<file>.json` (see the corpus's LABELS.md), each file run through the real pipeline once, and
 * each link given its gold verdict the way `eval:links` judges it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { splitCandidates } from '../src/core/agent/candidates.ts';
import { classifyRead, readDocument } from '../src/core/links/classify.ts';
import type { ScoredInput } from '../src/core/links/classify.ts';
import { featureCount, priorMeans } from '../src/core/links/features.ts';
import { linkName } from '../src/core/links/names.ts';
import { extractLinks } from '../src/core/links/pipeline.ts';
import { modelFromFile, modelToFile, probability } from '../src/core/links/scorer.ts';
import type { LinkModel } from '../src/core/links/scorer.ts';
import { trainLogistic } from '../src/core/links/train.ts';
import type { TrainingRow } from '../src/core/links/train.ts';
import type { LinkCandidate, LinkReport } from '../src/core/links/types.ts';

export interface LabelledStartup {
  name: string;
  domain: string | null;
  recoverable: boolean;
  borderline: boolean;
}

export interface LabelFile {
  file: string;
  startups: LabelledStartup[];
}

export interface CorpusFile {
  /** The newsletter family: the folder under `raw/` and `labels/`. */
  family: string;
  /** `<family>/<file name>`. */
  file: string;
  labels: LabelFile;
  report: LinkReport;
  /** Raw bytes, for a look at the text when needed. */
  path: string;
}

export const defaultCorpusDir = '../shared/corpus';

export function hasCorpus(dir: string): boolean {
  return existsSync(join(dir, 'labels')) && existsSync(join(dir, 'raw'));
}

/** Every labelled file, in a fixed order (family, then file name), each with its pipeline report. */
export async function readCorpus(dir: string, onMissing: (path: string) => void = () => {}): Promise<CorpusFile[]> {
  const labelsDir = join(dir, 'labels');
  const files: CorpusFile[] = [];
  for (const family of readdirSync(labelsDir).sort()) {
    for (const labelName of readdirSync(join(labelsDir, family)).sort()) {
      if (!labelName.endsWith('.json')) continue;
      const labels = JSON.parse(readFileSync(join(labelsDir, family, labelName), 'utf8')) as LabelFile;
      const path = join(dir, labels.file ?? join('raw', family, labelName.replace(/\.json$/, '')));
      if (!existsSync(path)) {
        onMissing(path);
        continue;
      }
      const report = await extractLinks(new Uint8Array(readFileSync(path)), { fileName: basename(path) });
      files.push({ family, file: `${family}/${labelName.replace(/\.json$/, '')}`, labels, report, path });
    }
  }
  return files;
}

export function normaliseDomain(domain: string): string {
  return domain
    .toLowerCase()
    .trim()
    .replace(/^www\./, '')
    .replace(/\/.*$/, '');
}

function words(text: string): string {
  return ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

/** A label "Gizmo (Gizmo Labs)" names the company either way. */
function nameVariants(label: string): string[] {
  const inside = /\(([^()]+)\)/.exec(label)?.[1];
  const outside = label.replace(/\([^()]*\)/g, ' ');
  return [label, outside, ...(inside ? [inside] : [])].map(words).filter((variant) => variant.trim() !== '');
}

/** A wrapped link is judged by the words it carries: its name guess or its anchor text names the startup. */
export function namesStartup(link: Pick<LinkCandidate, 'name' | 'text'>, label: string): boolean {
  const name = words(link.name);
  const text = words(link.text);
  return nameVariants(label).some((needle) => name.includes(needle) || text.includes(needle));
}

export type Gold = 'startup' | 'borderline' | 'other';

/**
 * What the labels say a link is, exactly as `eval:links` judges a `startup` link: by its domain when the destination
 * is known, by the words it carries (`namesStartup`) when it sits behind an opaque tracker.
 */
export function goldOf(
  link: Pick<LinkCandidate, 'domain' | 'needsNetwork' | 'name' | 'text'>,
  labels: LabelFile,
): Gold {
  const firm = labels.startups.filter((startup) => !startup.borderline);
  const borderline = labels.startups.filter((startup) => startup.borderline);
  if (link.needsNetwork) {
    if (firm.some((startup) => namesStartup(link, startup.name))) return 'startup';
    if (borderline.some((startup) => namesStartup(link, startup.name))) return 'borderline';
    return 'other';
  }
  const domain = normaliseDomain(link.domain);
  if (firm.some((startup) => startup.domain && normaliseDomain(startup.domain) === domain)) return 'startup';
  if (borderline.some((startup) => startup.domain && normaliseDomain(startup.domain) === domain)) return 'borderline';
  return 'other';
}

/** How the scorer learns from labels: what a borderline entry (sponsor, large private company, unsure) counts as. */
export interface TrainingPolicy {
  /** `exclude`: left out; otherwise the target and weight a borderline link gets. */
  borderline: 'exclude' | { target: number; weight: number };
  l2: number;
  /** The weight of a startup row against 1 for any other: startups are ~3 % of the links the scorer sees. */
  positiveWeight: number;
  /** How far, in log-odds, a pooled shape's weight is pulled towards its pool's sign (see `priorMeans`). */
  prior: number;
}

export interface ReadFile {
  file: CorpusFile;
  inputs: ScoredInput[];
  golds: Gold[];
}

/** Every file's links read once: what knowledge decided, the features of the rest, each link's gold verdict. */
export function readFiles(files: readonly CorpusFile[]): ReadFile[] {
  return files.map((file) => {
    const links = file.report.links;
    const inputs = readDocument(links, { senderDomains: file.report.senderDomains ?? [] });
    // A scored link is judged by the name the pass gives it, which no weight changes.
    const golds = links.map((link, index) => {
      const input = inputs[index]!;
      const name = input.reading ? linkName(link, input.reading) : link.name;
      return goldOf({ ...link, name }, file.labels);
    });
    return { file, inputs, golds };
  });
}

export function trainingRows(files: readonly ReadFile[], policy: TrainingPolicy): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const { inputs, golds } of files) {
    inputs.forEach((input, index) => {
      if (!input.reading) return;
      const gold = golds[index]!;
      let target = gold === 'startup' ? 1 : 0;
      let weight = gold === 'startup' ? policy.positiveWeight : 1;
      if (gold === 'borderline') {
        if (policy.borderline === 'exclude') return;
        ({ target, weight } = policy.borderline);
        weight *= target > 0 ? policy.positiveWeight : 1;
      }
      rows.push({ indices: input.reading.vector.indices, values: input.reading.vector.values, target, weight });
    });
  }
  return rows;
}

export function trainModel(files: readonly ReadFile[], policy: TrainingPolicy): LinkModel {
  const trained = trainLogistic(trainingRows(files, policy), {
    dimensions: featureCount,
    l2: policy.l2,
    priorMeans: priorMeans(policy.prior),
  });
  // What ships is the rounded model: train, evaluate and commit the same numbers.
  return modelFromFile(modelToFile({ bias: trained.bias, weights: trained.weights }));
}

/** The links of one file as `model` classifies them. */
export function classifyFile(read: ReadFile, model: LinkModel): LinkCandidate[] {
  const links = read.file.report.links;
  const classes = classifyRead(links, read.inputs, model);
  return links.map((link, index) => ({ ...link, ...classes[index]! }));
}

export interface FileScore {
  file: string;
  family: string;
  links: number;
  startupLinks: number;
  found: number;
  expected: number;
  truePositives: number;
  falsePositives: number;
  knownTruePositives: number;
  knownFalsePositives: number;
  unrecoverableFound: number;
  unrecoverableExpected: number;
  missed: string[];
  wrong: string[];
  unrecoverableMissed: string[];
}

/**
 * - recall: recoverable, non-borderline startups whose domain is the domain of a link of kind `startup`;
 * - precision: of the links of kind `startup`, those that are a labelled startup (borderline ones left out);
 * - unrecoverable recall: non-borderline startups behind opaque trackers named by a wrapped `startup` link (or whose
 *   stated domain a `startup` link reaches directly).
 */
export function scoreFile(file: CorpusFile, links: readonly LinkCandidate[]): FileScore {
  const startups = links.filter((link) => link.kind === 'startup');
  const labelled = file.labels.startups;
  const firm = labelled.filter((startup) => !startup.borderline);
  const startupDomains = new Set(
    startups.filter((link) => !link.needsNetwork).map((link) => normaliseDomain(link.domain)),
  );
  const expected = firm.filter((startup) => startup.recoverable && startup.domain);
  const missed = expected.filter((startup) => !startupDomains.has(normaliseDomain(startup.domain ?? '')));
  let truePositives = 0;
  let falsePositives = 0;
  let knownTruePositives = 0;
  let knownFalsePositives = 0;
  const wrong: string[] = [];
  for (const link of startups) {
    const gold = goldOf(link, file.labels);
    if (gold === 'startup') {
      truePositives++;
      if (!link.needsNetwork) knownTruePositives++;
    } else if (gold === 'other') {
      falsePositives++;
      if (!link.needsNetwork) knownFalsePositives++;
      wrong.push(
        link.needsNetwork
          ? `${link.tracker}: "${link.name || link.text}"`
          : `${normaliseDomain(link.domain)} ("${link.name}")`,
      );
    }
  }
  const unrecoverable = firm.filter((startup) => !startup.recoverable);
  const unrecoverableMissed = unrecoverable.filter(
    (startup) =>
      !startups.some((link) => link.needsNetwork && namesStartup(link, startup.name)) &&
      !(startup.domain && startupDomains.has(normaliseDomain(startup.domain))),
  );
  return {
    file: file.file,
    family: file.family,
    links: links.length,
    startupLinks: startups.length,
    found: expected.length - missed.length,
    expected: expected.length,
    truePositives,
    falsePositives,
    knownTruePositives,
    knownFalsePositives,
    unrecoverableFound: unrecoverable.length - unrecoverableMissed.length,
    unrecoverableExpected: unrecoverable.length,
    missed: missed.map((startup) => `${startup.name} (${startup.domain})`),
    wrong,
    unrecoverableMissed: unrecoverableMissed.map((startup) => startup.name),
  };
}

/**
 * How the app uses the ranking (src/core/agent/newsletter-job.ts, `splitCandidates`): links of kind `startup` at
 * 0.8 or more are accepted without the model ("certain"); links of an excluded kind or below 0.2 are dropped
 * without it; the model judges the rest. So a startup is *found* by the deterministic step when one of its links is
 * certain or goes to the model, and only the certain links' precision is final before the model step.
 */
export interface StageScore {
  /** `found` / `unrecoverableFound` count the startups certain or passed to the model. */
  passed: FileScore;
  /** True and false startups among the certain links (the model never sees them). */
  certain: FileScore;
  /** How many links the model has to judge. */
  toJudge: number;
}

export function scoreStages(file: CorpusFile, links: readonly LinkCandidate[]): StageScore {
  const split = splitCandidates(links);
  const as = (chosen: readonly LinkCandidate[]) => {
    const ids = new Set(chosen.map((link) => link.id));
    return links.map((link) => ({ ...link, kind: ids.has(link.id) ? ('startup' as const) : ('other' as const) }));
  };
  return {
    passed: scoreFile(file, as([...split.certain, ...split.uncertain])),
    certain: scoreFile(file, as(split.certain)),
    toJudge: split.uncertain.length,
  };
}

export interface StageFigures {
  /** Startups (recoverable, non-borderline) certain or passed to the model: the bar is 0.98. */
  found_recall: number | null;
  found_unrecoverable_recall: number | null;
  /** Precision of the links accepted without the model. */
  certain_precision: number | null;
  certain_links: number;
  /** Links the model judges per file, on average. */
  judged_per_file: number;
}

export function stageFigures(stages: readonly StageScore[]): StageFigures {
  const passed = figures(stages.map((stage) => stage.passed));
  const certain = figures(stages.map((stage) => stage.certain));
  const judged = stages.reduce((sum, stage) => sum + stage.toJudge, 0);
  return {
    found_recall: passed.recall,
    found_unrecoverable_recall: passed.unrecoverable_recall,
    certain_precision: certain.precision,
    certain_links: certain.true_startup_links + certain.false_startup_links,
    judged_per_file: stages.length === 0 ? 0 : Math.round((judged / stages.length) * 10) / 10,
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;
}

export interface Figures {
  recall: number | null;
  precision: number | null;
  unrecoverable_recall: number | null;
  recall_found: number;
  recall_total: number;
  true_startup_links: number;
  false_startup_links: number;
  precision_known_domain: number | null;
  unrecoverable_found: number;
  unrecoverable_total: number;
}

export function figures(scores: readonly FileScore[]): Figures {
  const sum = (pick: (row: FileScore) => number) => scores.reduce((total, row) => total + pick(row), 0);
  const found = sum((row) => row.found);
  const expected = sum((row) => row.expected);
  const tp = sum((row) => row.truePositives);
  const fp = sum((row) => row.falsePositives);
  const knownTp = sum((row) => row.knownTruePositives);
  const knownFp = sum((row) => row.knownFalsePositives);
  const unrecoverableFound = sum((row) => row.unrecoverableFound);
  const unrecoverableExpected = sum((row) => row.unrecoverableExpected);
  return {
    recall: ratio(found, expected),
    precision: ratio(tp, tp + fp),
    unrecoverable_recall: ratio(unrecoverableFound, unrecoverableExpected),
    recall_found: found,
    recall_total: expected,
    true_startup_links: tp,
    false_startup_links: fp,
    precision_known_domain: ratio(knownTp, knownTp + knownFp),
    unrecoverable_found: unrecoverableFound,
    unrecoverable_total: unrecoverableExpected,
  };
}

/**
 * Leave-one-family-out cross-validation: for each newsletter family, a model trained on every other family scores
 * that family's files. Returns the file scores in corpus order.
 */
export function crossValidate(files: readonly ReadFile[], policy: TrainingPolicy): FileScore[] {
  return crossValidateLinks(files, policy).map(({ read, links }) => scoreFile(read.file, links));
}

/**
 * The links of every file as the model trained without its family classifies them, in corpus order, with the
 * model that did it. `trainOn` picks which of the other families train each fold (all of them by default; the
 * learning curve gives it fewer).
 */
export function crossValidateLinks(
  files: readonly ReadFile[],
  policy: TrainingPolicy,
  trainOn: (others: readonly string[], heldOut: string) => ReadonlySet<string> = (others) => new Set(others),
): Array<{ read: ReadFile; links: LinkCandidate[]; model: LinkModel }> {
  const families = [...new Set(files.map((read) => read.file.family))];
  const out: Array<{ read: ReadFile; links: LinkCandidate[]; model: LinkModel }> = [];
  for (const family of families) {
    const chosen = trainOn(
      families.filter((other) => other !== family),
      family,
    );
    const model = trainModel(
      files.filter((read) => chosen.has(read.file.family)),
      policy,
    );
    for (const read of files.filter((candidate) => candidate.file.family === family)) {
      out.push({ read, links: classifyFile(read, model), model });
    }
  }
  return out;
}

/**
 * Average precision of the scores over every link the scorer ranked (borderline ones left out): how well the
 * ranking orders startups above the rest, whatever the threshold.
 */
export function averagePrecision(folds: ReadonlyArray<{ read: ReadFile; model: LinkModel }>): number | null {
  const ranked: Array<[score: number, startup: boolean]> = [];
  for (const { read, model } of folds) {
    read.inputs.forEach((input, index) => {
      const gold = read.golds[index]!;
      if (input.reading && gold !== 'borderline')
        ranked.push([probability(input.reading.vector, model), gold === 'startup']);
    });
  }
  // Ties are broken against the startups, so the figure never flatters.
  ranked.sort((a, b) => b[0] - a[0] || Number(a[1]) - Number(b[1]));
  let found = 0;
  let sum = 0;
  ranked.forEach(([, startup], rank) => {
    if (startup) sum += ++found / (rank + 1);
  });
  return ratio(sum, found);
}

/**
 * What more labelled families would buy: cross-validation with each fold trained on a seeded random share of the
 * other families. Each seed draws its own shares; the same seed draws the same ones.
 */
export function learningCurve(
  files: readonly ReadFile[],
  policy: TrainingPolicy,
  share: number,
  seed: number,
): Figures & { average_precision: number | null } {
  let state = Math.imul(seed, 2654435761) >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const folds = crossValidateLinks(files, policy, (others) => {
    const shuffled = others
      .map((family) => [random(), family] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, family]) => family);
    return new Set(shuffled.slice(0, Math.max(1, Math.round(others.length * share))));
  });
  return {
    ...figures(folds.map(({ read, links }) => scoreFile(read.file, links))),
    average_precision: averagePrecision(folds),
  };
}

/**
 * The policy `train:links` commits, chosen by the cross-validation of eval:links. Borderline links (sponsors, large
 * private companies, unsure cases) are left out of training, as eval:links leaves them out of its counts: as soft
 * positives (target 1, weight 0.3) or half-labels (target 0.5) they cost precision at every recall (see README).
 * Startups weigh 12 against 1 for any other link, which puts the decision threshold at 0.5. Pooled shapes are pulled
 * towards their pool's sign by 1 log-odds: 0.5 gave average precision 0.550, 1 gave 0.557, and 2 or 3 gave 0.564 or
 * 0.565 but lower precision at the line (0.479, 0.469 against 0.507).
 */
export const trainingPolicy: TrainingPolicy = { borderline: 'exclude', l2: 0.003, positiveWeight: 12, prior: 1 };

/**
 * `--l2=X`, `--positive-weight=X`, `--prior=X`, `--borderline=exclude|soft|positive|negative` override the committed
 * policy (for experiments).
 */
export function policyFromArgs(args: readonly string[]): TrainingPolicy {
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const l2 = Number(value('l2') ?? trainingPolicy.l2);
  const positiveWeight = Number(value('positive-weight') ?? trainingPolicy.positiveWeight);
  const prior = Number(value('prior') ?? trainingPolicy.prior);
  const borderline = value('borderline');
  const choices: Record<string, TrainingPolicy['borderline']> = {
    exclude: 'exclude',
    soft: { target: 1, weight: 0.3 },
    half: { target: 0.5, weight: 1 },
    positive: { target: 1, weight: 1 },
    negative: { target: 0, weight: 1 },
  };
  if (borderline !== undefined && !(borderline in choices)) {
    throw new Error(`--borderline must be one of ${Object.keys(choices).join(', ')}`);
  }
  if (!(l2 >= 0)) throw new Error('--l2 must be a number ≥ 0');
  if (!(positiveWeight > 0)) throw new Error('--positive-weight must be a number > 0');
  if (!(prior >= 0)) throw new Error('--prior must be a number ≥ 0');
  return {
    l2,
    positiveWeight,
    prior,
    borderline: borderline === undefined ? trainingPolicy.borderline : choices[borderline]!,
  };
}
