/**
 * `npm run -s eval:links [-- DIR] [--verbose]`: scores link extraction and classification against a labelled corpus
 * laid out like ../shared/corpus (`raw/<newsletter>/<file>` and `labels/<newsletter>/<file>.json`, see its LABELS.md).
 * Prints a table per file and, last, one JSON line with the totals:
 *
 * - recall: recoverable, non-borderline startups whose domain is the domain of a link of kind `startup`;
 * - precision: of the links of kind `startup`, those that are a labelled startup. A link with a known destination
 *   is judged by its domain; a link behind an opaque tracker (`needsNetwork`) has no domain to judge, so by its
 *   name or text naming a labelled startup. Links to borderline startups are left out of both counts.
 *   `precision_known_domain` is the same over links with a known destination only;
 * - unrecoverable_recall: non-borderline startups behind opaque trackers whose name appears in the name or text of
 *   a `needsNetwork` link of kind `startup` (or whose stated domain a `startup` link reaches directly).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { linksOfFile } from './links.ts';
import type { CliLink } from './links.ts';

interface LabelledStartup {
  name: string;
  domain: string | null;
  recoverable: boolean;
  borderline: boolean;
}

interface LabelFile {
  file: string;
  startups: LabelledStartup[];
}

interface FileScore {
  file: string;
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
  ms: number;
  missed: string[];
  wrong: string[];
  unrecoverableMissed: string[];
}

function normaliseDomain(domain: string): string {
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

/** A label "ComfyUI (Comfy Org)" names the company either way. */
function nameVariants(label: string): string[] {
  const inside = /\(([^()]+)\)/.exec(label)?.[1];
  const outside = label.replace(/\([^()]*\)/g, ' ');
  return [label, outside, ...(inside ? [inside] : [])].map(words).filter((variant) => variant.trim() !== '');
}

function names(link: CliLink, label: string): boolean {
  const name = words(link.name);
  const text = words(link.text);
  return nameVariants(label).some((needle) => name.includes(needle) || text.includes(needle));
}

function score(file: string, labels: LabelFile, links: CliLink[], ms: number): FileScore {
  const startups = links.filter((link) => link.kind === 'startup');
  const labelled = labels.startups;
  const domainsOf = (list: LabelledStartup[]) =>
    new Set(list.flatMap((startup) => (startup.domain ? [normaliseDomain(startup.domain)] : [])));
  const firm = labelled.filter((startup) => !startup.borderline);
  const borderline = labelled.filter((startup) => startup.borderline);
  const firmDomains = domainsOf(firm);
  const borderlineDomains = domainsOf(borderline);
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
    const domain = normaliseDomain(link.domain);
    let verdict: 'right' | 'wrong' | 'ignored';
    if (link.needsNetwork) {
      if (firm.some((startup) => names(link, startup.name))) verdict = 'right';
      else if (borderline.some((startup) => names(link, startup.name))) verdict = 'ignored';
      else verdict = 'wrong';
    } else if (firmDomains.has(domain)) verdict = 'right';
    else if (borderlineDomains.has(domain)) verdict = 'ignored';
    else verdict = 'wrong';
    if (verdict === 'right') {
      truePositives++;
      if (!link.needsNetwork) knownTruePositives++;
    } else if (verdict === 'wrong') {
      falsePositives++;
      if (!link.needsNetwork) knownFalsePositives++;
      wrong.push(link.needsNetwork ? `${link.tracker}: "${link.name || link.text}"` : `${domain} ("${link.name}")`);
    }
  }

  const unrecoverable = firm.filter((startup) => !startup.recoverable);
  const unrecoverableMissed = unrecoverable.filter(
    (startup) =>
      !startups.some((link) => link.needsNetwork && names(link, startup.name)) &&
      !(startup.domain && startupDomains.has(normaliseDomain(startup.domain))),
  );

  return {
    file,
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
    ms,
    missed: missed.map((startup) => `${startup.name} (${startup.domain})`),
    wrong,
    unrecoverableMissed: unrecoverableMissed.map((startup) => startup.name),
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 1000;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? '../shared/corpus');
  const labelsDir = join(dir, 'labels');
  if (!existsSync(labelsDir) || !existsSync(join(dir, 'raw'))) {
    process.stderr.write(`eval:links: no labelled corpus at ${dir} (expected raw/ and labels/); skipped.\n`);
    process.stdout.write(`${JSON.stringify({ skipped: `no corpus at ${dir}` })}\n`);
    return;
  }
  const scores: FileScore[] = [];
  for (const newsletter of readdirSync(labelsDir).sort()) {
    for (const labelName of readdirSync(join(labelsDir, newsletter)).sort()) {
      if (!labelName.endsWith('.json')) continue;
      const labels = JSON.parse(readFileSync(join(labelsDir, newsletter, labelName), 'utf8')) as LabelFile;
      const rawPath = join(dir, labels.file ?? join('raw', newsletter, labelName.replace(/\.json$/, '')));
      if (!existsSync(rawPath)) {
        process.stderr.write(`eval:links: ${rawPath} is labelled but missing; skipped.\n`);
        continue;
      }
      const started = performance.now();
      const { links } = await linksOfFile(rawPath);
      scores.push(
        score(`${newsletter}/${labelName.replace(/\.json$/, '')}`, labels, links, performance.now() - started),
      );
    }
  }

  const pad = (value: string | number, width: number) => String(value).padStart(width);
  process.stdout.write(
    `${'file'.padEnd(60)} ${pad('links', 5)} ${pad('start', 5)} ${pad('recall', 7)} ${pad('fp', 3)} ${pad('unrec', 6)} ${pad('ms', 6)}\n`,
  );
  for (const row of scores) {
    process.stdout.write(
      `${row.file.slice(0, 60).padEnd(60)} ${pad(row.links, 5)} ${pad(row.startupLinks, 5)} ${pad(`${row.found}/${row.expected}`, 7)} ${pad(row.falsePositives, 3)} ${pad(`${row.unrecoverableFound}/${row.unrecoverableExpected}`, 6)} ${pad(row.ms.toFixed(1), 6)}\n`,
    );
    if (verbose) {
      for (const name of row.missed) process.stdout.write(`    missed: ${name}\n`);
      for (const name of row.unrecoverableMissed) process.stdout.write(`    unrecoverable missed: ${name}\n`);
      for (const name of row.wrong) process.stdout.write(`    not a startup: ${name}\n`);
    }
  }
  const sum = (pick: (row: FileScore) => number) => scores.reduce((total, row) => total + pick(row), 0);
  const found = sum((row) => row.found);
  const expected = sum((row) => row.expected);
  const tp = sum((row) => row.truePositives);
  const fp = sum((row) => row.falsePositives);
  const knownTp = sum((row) => row.knownTruePositives);
  const knownFp = sum((row) => row.knownFalsePositives);
  const unrecoverableFound = sum((row) => row.unrecoverableFound);
  const unrecoverableExpected = sum((row) => row.unrecoverableExpected);
  const totals = {
    files: scores.length,
    recall: ratio(found, expected),
    recall_found: found,
    recall_total: expected,
    precision: ratio(tp, tp + fp),
    true_startup_links: tp,
    false_startup_links: fp,
    precision_known_domain: ratio(knownTp, knownTp + knownFp),
    unrecoverable_recall: ratio(unrecoverableFound, unrecoverableExpected),
    unrecoverable_found: unrecoverableFound,
    unrecoverable_total: unrecoverableExpected,
  };
  process.stdout.write(`${JSON.stringify(totals)}\n`);
}

await main();
