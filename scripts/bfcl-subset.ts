/**
 * `npm run bfcl:subset [-- --from DIR]`
 *
 * Writes the fixed, seeded subset of BFCL v4 that Sift's benchmark ships with
 * (`src/core/bench/data/bfcl-subset.json`) and copies BFCL's licence beside it. Reads the pinned
 * BFCL files in ../shared/evals/bfcl (or DIR), checks each against the sha256 SOURCES.md records,
 * draws the same items every time (one seed), and copies each chosen line unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format } from 'prettier';
import {
  bfclCategories,
  bfclFiles,
  parseBfclEntry,
  type BfclCategory,
  type BfclSubset,
} from '../src/core/bench/bfcl.ts';
import { seededRandom } from '../src/core/engines/noisy.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { from: { type: 'string' } } });
const from = resolve(values.from ?? join(here, '../../shared/evals/bfcl'));
const outDir = join(here, '../src/core/bench/data');

/** The seed and sizes are part of the benchmark's definition: change them and results stop comparing. */
const SEED = 20251216;
const FULL_PER_CATEGORY = 50;
const QUICK_PER_CATEGORY: Record<BfclCategory, number> = { simple: 4, multiple: 4, parallel: 3, irrelevance: 3 };
/** The commit of ShishirPatil/gorilla these files come from (SOURCES.md). */
const SOURCE = {
  repository: 'https://github.com/ShishirPatil/gorilla',
  commit: '6ea57973c7a6097fd7c5915698c54c17c5b1b6c8',
  folder: 'berkeley-function-call-leaderboard/bfcl_eval/data/',
  licence: 'Apache-2.0',
};

if (!existsSync(join(from, 'SOURCES.md'))) {
  console.error(`BFCL data not found at ${from}: pass --from DIR (a folder laid out as ../shared/evals/bfcl).`);
  process.exit(1);
}

const sources = readFileSync(join(from, 'SOURCES.md'), 'utf8');
function pinnedSha(path: string): string {
  const row = sources.split('\n').find((line) => line.startsWith(`| \`${path}\``));
  const sha = row?.match(/`([0-9a-f]{64})`/)?.[1];
  if (!sha) throw new Error(`SOURCES.md records no sha256 for ${path}.`);
  return sha;
}

function readPinned(path: string): { text: string; sha: string } {
  const text = readFileSync(join(from, path), 'utf8');
  const sha = createHash('sha256').update(text).digest('hex');
  if (sha !== pinnedSha(path)) throw new Error(`${path} is not the pinned BFCL file (sha256 ${sha}).`);
  return { text, sha };
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index--) {
    const swap = Math.floor(random() * (index + 1));
    [out[index], out[swap]] = [out[swap]!, out[index]!];
  }
  return out;
}

const files: Record<string, string> = {};
const items: BfclSubset['items'] = [];
const random = seededRandom(SEED);
for (const category of bfclCategories) {
  const questions = readPinned(bfclFiles[category]);
  files[bfclFiles[category]] = questions.sha;
  const questionLines = lines(questions.text);
  let answerLines: string[] | null = null;
  if (category !== 'irrelevance') {
    const answers = readPinned(`possible_answer/${bfclFiles[category]}`);
    files[`possible_answer/${bfclFiles[category]}`] = answers.sha;
    answerLines = lines(answers.text);
    if (answerLines.length !== questionLines.length)
      throw new Error(`${category}: questions and answers differ in number.`);
  }
  const chosen = shuffled([...questionLines.keys()], random).slice(0, FULL_PER_CATEGORY);
  chosen.forEach((index, rank) => {
    const question = questionLines[index]!;
    const answer = answerLines?.[index] ?? null;
    const quick = rank < QUICK_PER_CATEGORY[category];
    parseBfclEntry(category, question, answer, quick); // refuses a line the app could not read
    items.push({ category, quick, question, answer });
  });
}

const subset: BfclSubset = { format: 'sift-bfcl-subset', version: 1, source: { ...SOURCE, files }, seed: SEED, items };
const outFile = join(outDir, 'bfcl-subset.json');
writeFileSync(outFile, await format(JSON.stringify(subset), { parser: 'json', printWidth: 120 }));
// Written, not copied: the copy must not inherit the source's read-only mode.
writeFileSync(join(outDir, 'BFCL-LICENSE'), readFileSync(join(from, 'LICENSE')));
const quickCount = items.filter((item) => item.quick).length;
console.log(JSON.stringify({ file: outFile, items: items.length, quick: quickCount, seed: SEED }));
