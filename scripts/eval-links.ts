/**
 * `npm run -s eval:links [-- DIR] [--verbose] [--l2=X] [--borderline=exclude|soft|positive|negative]`: how well the
 * link ranking holds on newsletters it has never seen. The headline is leave-one-family-out cross-validation: for
 * each newsletter family of the labelled corpus (DIR, default ../shared/corpus; see its LABELS.md), a scorer
 * trained on every other family ranks that family's links. Beside it, the in-sample figures of the committed
 * weights on the whole corpus. Prints the cross-validated figures per family (worst first), then one JSON line:
 *
 *   {"cv":{"recall","precision","unrecoverable_recall",…},"in_sample":{…},"files":N,"families":N}
 *
 * recall, precision and unrecoverable recall are defined in scripts/links-corpus.ts (`scoreFile`): they read the
 * ranking at the scorer's own line (kind `startup`, score ≥ 0.5), which is what a user without a model gets. Beside
 * them, each object carries the figures of the ranking as the app uses it (`scoreStages`): `found_recall` and
 * `found_unrecoverable_recall` count the startups the deterministic step accepts or hands to the model (the brief's
 * recall bar, 0.98, is on these), `certain_precision` is the precision of the links accepted without the model (the
 * precision bar, 0.90, is after the model step), `judged_per_file` what the model is left to judge, and
 * `average_precision` how well the scores order startups above the rest whatever the threshold.
 *
 * `--curve` prints the learning curve instead: the cross-validation again with each fold trained on a quarter, a
 * half and three quarters of the other families (three seeded draws each) beside all of them, to say whether more
 * labelled newsletters would move the figures. Its last line is {"curve":[{"share","seed",…figures}]}.
 */
import { resolve } from 'node:path';
import { committedModel } from '../src/core/links/scorer.ts';
import {
  averagePrecision,
  classifyFile,
  crossValidateLinks,
  defaultCorpusDir,
  figures,
  hasCorpus,
  learningCurve,
  policyFromArgs,
  readCorpus,
  readFiles,
  scoreFile,
  scoreStages,
  stageFigures,
} from './links-corpus.ts';
import type { FileScore, ReadFile, TrainingPolicy } from './links-corpus.ts';

function familyRows(scores: readonly FileScore[]): Array<{ family: string; scores: FileScore[] }> {
  const byFamily = new Map<string, FileScore[]>();
  for (const score of scores) byFamily.set(score.family, [...(byFamily.get(score.family) ?? []), score]);
  return [...byFamily].map(([family, list]) => ({ family, scores: list }));
}

/** Errors a family contributes: startups missed (both kinds) plus false startups. */
function errors(list: readonly FileScore[]): number {
  return list.reduce(
    (sum, row) =>
      sum + row.expected - row.found + row.unrecoverableExpected - row.unrecoverableFound + row.falsePositives,
    0,
  );
}

function printCurve(files: readonly ReadFile[], policy: TrainingPolicy): void {
  const families = new Set(files.map((read) => read.file.family)).size - 1;
  process.stdout.write(
    `learning curve: each held-out family scored by a scorer trained on a share of the other ${families} families\n`,
  );
  process.stdout.write(`share  seed  families  recall  precision  unrecoverable  average precision\n`);
  const curve = [];
  for (const share of [0.25, 0.5, 0.75, 1]) {
    for (const seed of share === 1 ? [1] : [1, 2, 3]) {
      const point = learningCurve(files, policy, share, seed);
      curve.push({ share, seed, ...point });
      process.stdout.write(
        `${String(share).padEnd(6)} ${String(seed).padEnd(5)} ${String(Math.round(families * share)).padEnd(9)} ${String(point.recall).padEnd(7)} ${String(point.precision).padEnd(10)} ${String(point.unrecoverable_recall).padEnd(14)} ${point.average_precision}\n`,
      );
    }
  }
  process.stdout.write(`${JSON.stringify({ curve })}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? defaultCorpusDir);
  if (!hasCorpus(dir)) {
    process.stderr.write(`eval:links: no labelled corpus at ${dir} (expected raw/ and labels/); skipped.\n`);
    process.stdout.write(`${JSON.stringify({ skipped: `no corpus at ${dir}` })}\n`);
    return;
  }
  const files = readFiles(
    await readCorpus(dir, (path) => process.stderr.write(`eval:links: ${path} is labelled but missing; skipped.\n`)),
  );
  const policy = policyFromArgs(args);
  if (args.includes('--curve')) {
    printCurve(files, policy);
    return;
  }
  const started = performance.now();
  const cvLinks = crossValidateLinks(files, policy);
  const cv = cvLinks.map(({ read, links }) => scoreFile(read.file, links));
  const cvAveragePrecision = averagePrecision(cvLinks);
  const cvStages = stageFigures(cvLinks.map(({ read, links }) => scoreStages(read.file, links)));
  const cvMs = performance.now() - started;
  const inSampleLinks = files.map((read) => ({ read, links: classifyFile(read, committedModel()) }));
  const inSample = inSampleLinks.map(({ read, links }) => scoreFile(read.file, links));
  const inSampleAveragePrecision = averagePrecision(
    inSampleLinks.map(({ read }) => ({ read, model: committedModel() })),
  );
  const inSampleStages = stageFigures(inSampleLinks.map(({ read, links }) => scoreStages(read.file, links)));

  const pad = (value: string | number, width: number) => String(value).padStart(width);
  process.stdout.write(
    `cross-validated, one family left out at a time (policy ${JSON.stringify(policy)}, ${(cvMs / 1000).toFixed(1)} s)\n`,
  );
  process.stdout.write(
    `${'family'.padEnd(34)} ${pad('files', 5)} ${pad('start', 5)} ${pad('recall', 7)} ${pad('fp', 3)} ${pad('unrec', 6)} ${pad('errors', 6)}\n`,
  );
  const rows = familyRows(cv).sort((a, b) => errors(b.scores) - errors(a.scores) || (a.family < b.family ? -1 : 1));
  for (const { family, scores } of rows) {
    const total = figures(scores);
    const startups = scores.reduce((sum, row) => sum + row.startupLinks, 0);
    process.stdout.write(
      `${family.slice(0, 34).padEnd(34)} ${pad(scores.length, 5)} ${pad(startups, 5)} ${pad(`${total.recall_found}/${total.recall_total}`, 7)} ${pad(total.false_startup_links, 3)} ${pad(`${total.unrecoverable_found}/${total.unrecoverable_total}`, 6)} ${pad(errors(scores), 6)}\n`,
    );
    if (verbose) {
      for (const row of scores) {
        for (const name of row.missed) process.stdout.write(`    ${row.file}: missed ${name}\n`);
        for (const name of row.unrecoverableMissed)
          process.stdout.write(`    ${row.file}: unrecoverable missed ${name}\n`);
        for (const name of row.wrong) process.stdout.write(`    ${row.file}: not a startup ${name}\n`);
      }
    }
  }
  const inSampleFigures = figures(inSample);
  process.stdout.write(
    `in sample (committed weights): recall ${inSampleFigures.recall}, precision ${inSampleFigures.precision}, unrecoverable recall ${inSampleFigures.unrecoverable_recall}\n`,
  );
  process.stdout.write(
    `as the app uses the ranking (certain ≥ 0.8 accepted, the rest ≥ 0.2 judged by the model): cross-validated, startups found ${cvStages.found_recall}, behind trackers ${cvStages.found_unrecoverable_recall}, certain precision ${cvStages.certain_precision} (${cvStages.certain_links} links), ${cvStages.judged_per_file} links judged per file; in sample ${inSampleStages.found_recall} / ${inSampleStages.found_unrecoverable_recall} / ${inSampleStages.certain_precision}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      cv: { ...figures(cv), ...cvStages, average_precision: cvAveragePrecision },
      in_sample: { ...inSampleFigures, ...inSampleStages, average_precision: inSampleAveragePrecision },
      files: files.length,
      families: rows.length,
    })}\n`,
  );
}

await main();
