/**
 * `npm run -s eval:bfcl-checker [-- --from DIR]`
 *
 * Runs Sift's BFCL checker over every possible answer of BFCL v4 (simple, multiple, parallel,
 * parallel-multiple, irrelevance in ../shared/evals/bfcl, or DIR): right outputs built from each
 * answer must pass, plausibly wrong ones must fail. Prints the disagreements, then one JSON line.
 * Without the data it says so and checks the subset the app ships instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bfclFiles, parseBfclEntry, readBfclSubset, type BfclSubset } from '../src/core/bench/bfcl.ts';
import { checkerAgreement, type AgreementItem } from '../src/core/bench/checker-agreement.ts';
import type { CheckCategory } from '../src/core/bench/ast-checker.ts';
import { stringifyPyJson, type PyValue } from '../src/core/bench/py-json.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { from: { type: 'string' } } });
const from = resolve(values.from ?? join(here, '../../shared/evals/bfcl'));

const files: Record<CheckCategory, string> = { ...bfclFiles, parallel_multiple: 'BFCL_v4_parallel_multiple.json' };

function readAll(): { source: string; items: AgreementItem[] } {
  if (!existsSync(join(from, files.simple))) {
    console.log(`BFCL data not found at ${from}: checking the subset Sift ships instead (pass --from DIR).`);
    const subset = JSON.parse(
      readFileSync(join(here, '../src/core/bench/data/bfcl-subset.json'), 'utf8'),
    ) as BfclSubset;
    return { source: 'shipped subset', items: readBfclSubset(subset) };
  }
  const items: AgreementItem[] = [];
  for (const [category, file] of Object.entries(files) as [CheckCategory, string][]) {
    const lines = (path: string) =>
      readFileSync(join(from, path), 'utf8')
        .split('\n')
        .filter((line) => line.trim());
    const questions = lines(file);
    const answers = category === 'irrelevance' ? null : lines(`possible_answer/${file}`);
    questions.forEach((line, index) => items.push(parseBfclEntry(category, line, answers?.[index] ?? null)));
  }
  return { source: from, items };
}

const { source, items } = readAll();
const report = checkerAgreement(items);
for (const miss of report.disagreements.slice(0, 20)) {
  console.log(
    `${miss.id}: expected ${miss.expected} (${miss.kind}) ${stringifyPyJson(miss.calls as unknown as PyValue)} ${miss.error ?? ''}`,
  );
}
console.log(
  JSON.stringify({
    source,
    entries: report.entries,
    right_outputs: report.right.checked,
    right_passed: report.right.passed,
    wrong_outputs: report.wrong.checked,
    wrong_failed: report.wrong.failed,
    wrong_by_kind: report.wrong.byKind,
    agreement: Number(report.agreement.toFixed(4)),
  }),
);
