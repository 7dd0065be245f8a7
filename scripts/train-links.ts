/**
 * `npm run -s train:links [-- DIR] [--check]`: learns the link scorer's weights from the labelled corpus (DIR,
 * default ../shared/corpus) and writes `src/core/links/model/link-model.json` and its manifest
 * `link-model.manifest.json` (the corpus's hash, the features, the training policy, the library versions the
 * features depend on, and the leave-one-family-out figures). Training has no randomness (full-batch L-BFGS over
 * the rows in corpus order), so the same corpus gives byte-identical files; nothing that varies between runs
 * (times, dates, paths) is written. `--check` writes nothing and exits 1 when the committed files differ from what
 * the corpus gives. Without a corpus nothing trains and the committed weights stay in use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { startupThreshold } from '../src/core/links/classify.ts';
import { featureCount, hashBuckets, linkGroups, namedSignals } from '../src/core/links/features.ts';
import { modelToFile } from '../src/core/links/scorer.ts';
import {
  crossValidate,
  defaultCorpusDir,
  figures,
  hasCorpus,
  readCorpus,
  readFiles,
  trainModel,
  trainingPolicy,
  trainingRows,
} from './links-corpus.ts';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const modelPath = join(root, 'src/core/links/model/link-model.json');
const manifestPath = join(root, 'src/core/links/model/link-model.manifest.json');

function version(name: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * JSON as the repository's formatter writes it (npm test runs `prettier --check .`), so a retrain leaves files that
 * pass it and `--check` compares exactly what would be written.
 */
async function formatJson(value: unknown, path: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(JSON.stringify(value), { ...options, filepath: path });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? defaultCorpusDir);
  if (!hasCorpus(dir)) {
    process.stderr.write(
      `train:links: no labelled corpus at ${dir} (expected raw/ and labels/); nothing trained, the committed weights stay.\n`,
    );
    return;
  }
  const corpus = await readCorpus(dir, (path) =>
    process.stderr.write(`train:links: ${path} is labelled but missing.\n`),
  );
  const hash = createHash('sha256');
  for (const file of corpus) {
    const labelPath = join(dir, 'labels', `${file.file}.json`);
    for (const path of [file.path, labelPath]) {
      hash.update(relative(dir, path));
      hash.update('\0');
      hash.update(readFileSync(path));
      hash.update('\0');
    }
  }
  const files = readFiles(corpus);
  const rows = trainingRows(files, trainingPolicy);
  const started = performance.now();
  const model = trainModel(files, trainingPolicy);
  const trainMs = performance.now() - started;
  const cvStarted = performance.now();
  const cv = figures(crossValidate(files, trainingPolicy));
  const cvMs = performance.now() - cvStarted;
  const modelText = await formatJson(modelToFile(model), modelPath);
  const manifestText = await formatJson(
    {
      about:
        'The learned link scorer (src/core/links/scorer.ts). Written by npm run train:links; edit nothing by hand. ' +
        'Same corpus, same features, same policy → the same bytes.',
      corpus: {
        sha256: hash.digest('hex'),
        files: corpus.length,
        families: new Set(corpus.map((file) => file.family)).size,
        training_rows: rows.length,
        startup_rows: rows.filter((row) => row.target === 1 && row.weight === trainingPolicy.positiveWeight).length,
      },
      features: {
        total: featureCount,
        named: namedSignals.map(([id]) => id),
        named_copies: ['shared', ...linkGroups],
        hashed_buckets: hashBuckets,
        hashed:
          'FNV-1a of namespace:word for the anchor words and pairs, two words either side of the name, the tracker, the TLD and the first path segment',
      },
      training: {
        method: 'L2-regularised logistic regression, full-batch L-BFGS (src/core/links/train.ts)',
        policy: trainingPolicy,
        threshold: startupThreshold,
      },
      libraries: { tldts: version('tldts') },
      cross_validation: { scheme: 'leave one newsletter family out', ...cv },
    },
    manifestPath,
  );

  process.stdout.write(
    `trained on ${rows.length} links of ${corpus.length} files in ${(trainMs / 1000).toFixed(2)} s; cross-validation (${new Set(corpus.map((file) => file.family)).size} folds) ${(cvMs / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(
    `cross-validated: recall ${cv.recall}, precision ${cv.precision}, unrecoverable recall ${cv.unrecoverable_recall}\n`,
  );
  if (check) {
    const same =
      existsSync(modelPath) &&
      existsSync(manifestPath) &&
      readFileSync(modelPath, 'utf8') === modelText &&
      readFileSync(manifestPath, 'utf8') === manifestText;
    process.stdout.write(`${JSON.stringify({ check: same ? 'same' : 'different', train_s: trainMs / 1000 })}\n`);
    if (!same) {
      process.stderr.write('train:links --check: the committed weights differ from what this corpus trains.\n');
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(modelPath, modelText);
  writeFileSync(manifestPath, manifestText);
  process.stdout.write(
    `${JSON.stringify({ written: [relative(root, modelPath), relative(root, manifestPath)], train_s: trainMs / 1000 })}\n`,
  );
}

await main();
