/**
 * `npm run -s eval:corrections [-- DIR] [--clicks=K] [--verbose] [--explain]`: does correcting Sift make it better on the next
 * issue of the same newsletter? A simulated reader goes through each newsletter family of the labelled corpus (DIR,
 * default ../shared/corpus) that has at least two issues, in date order. On each issue they see the ranking with
 * every correction made so far applied (src/core/corrections/apply.ts, as the tools worker applies it), and correct
 * at most K of its mistakes, in document order: a false startup ("Not a startup"), or a labelled startup the scorer
 * ranked at 0.2 or more without calling it one (the "Is a startup" a Maybe row offers). Each later issue (all but
 * the first) is scored before (no corrections) and after (the corrections of the earlier issues).
 *
 * The ranking is the one a new reader's newsletter gets: the scorer trained without the family (leave-one-family-out,
 * as eval:links's headline). The same issue in several formats (.html, .txt, .eml) is one issue: the reader corrects
 * its first copy; every copy of a later issue is scored. Recall and precision are eval:links's (links-corpus.ts).
 * Last line: {"families":N,"clicks":…,"before":{"recall":…,"precision":…},"after":{"recall":…,"precision":…}}
 */
import { basename, resolve } from 'node:path';
import { applyCorrections, ownSenders, rankedByScorer, senderOf } from '../src/core/corrections/apply.ts';
import { learnPersonalLayer } from '../src/core/corrections/personal-layer.ts';
import { makeCorrection, nameKey } from '../src/core/corrections/correction.ts';
import type { Correction } from '../src/core/corrections/correction.ts';
import { personalFeatures } from '../src/core/corrections/personal-features.ts';
import type { LinkCandidate } from '../src/core/links/types.ts';
import {
  classifyFile,
  defaultCorpusDir,
  figures,
  goldOf,
  hasCorpus,
  readCorpus,
  readFiles,
  scoreFile,
  trainModel,
  trainingPolicy,
} from './links-corpus.ts';
import type { FileScore, ReadFile } from './links-corpus.ts';

/** An issue: every copy of one dated newsletter (`2026-01-29-title.html` and `.txt` are one). */
interface Issue {
  stem: string;
  copies: ReadFile[];
}

function issuesOf(files: readonly ReadFile[]): Issue[] {
  const byStem = new Map<string, ReadFile[]>();
  for (const read of files) {
    const stem = basename(read.file.file).split('.')[0]!;
    byStem.set(stem, [...(byStem.get(stem) ?? []), read]);
  }
  return [...byStem].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([stem, copies]) => ({ stem, copies }));
}

/** The issue's date from its file name, else a day per issue (the order is what matters). */
function issueDate(stem: string, index: number): Date {
  const dated = /^(\d{4}-\d{2}-\d{2})/.exec(stem)?.[1];
  return dated ? new Date(`${dated}T12:00:00Z`) : new Date(Date.UTC(2020, 0, 1 + index));
}

/** What the simulated reader corrects on one issue: at most `limit` mistakes, in document order. */
function readerClicks(read: ReadFile, links: readonly LinkCandidate[], limit: number, date: Date): Correction[] {
  const sender = senderOf(read.file.report);
  const clicks: Correction[] = [];
  for (const link of [...links].sort((a, b) => a.firstPosition - b.firstPosition)) {
    if (clicks.length >= limit) break;
    const gold = goldOf(link, read.file.labels);
    const falseStartup = link.kind === 'startup' && gold === 'other';
    const missed = link.kind !== 'startup' && gold === 'startup' && rankedByScorer(link) && link.score >= 0.2;
    if (!falseStartup && !missed) continue;
    const basis = {
      domain: link.needsNetwork ? null : link.domain,
      name: link.name,
      sender,
      features: personalFeatures(link),
      score: link.score,
    };
    if (!basis.domain && !basis.name.trim()) continue;
    clicks.push(
      makeCorrection(falseStartup ? 'not-startup' : 'is-startup', basis, {
        date: new Date(date.getTime() + clicks.length * 1000),
        source: `simulated reader: ${read.file.file}`,
      }),
    );
  }
  return clicks;
}

interface FamilyRun {
  family: string;
  clicks: number;
  before: FileScore[];
  after: FileScore[];
  /** With --explain: why the later issues changed, link by link, in words. */
  explained: string[];
}

const startupWord = (link: LinkCandidate) => (link.kind === 'startup' ? 'startup' : 'not');

/**
 * Why a later issue changed (or did not): every link the corrections moved across the startup line, with its label
 * and the correction's note; and every earlier correction whose name reappears on a link its key does not reach
 * (another domain, another tracker, another sender), since that is where a correction fails to carry.
 */
function explainIssue(
  read: ReadFile,
  links: readonly LinkCandidate[],
  corrected: readonly LinkCandidate[],
  corrections: readonly Correction[],
): string[] {
  const lines: string[] = [];
  const file = basename(read.file.file);
  const own = ownSenders(read.file.report);
  const layer = learnPersonalLayer(corrections, own.length > 0 ? own : ['']);
  /** The features that moved the link most, with their learned weights. */
  const movedBy = (link: LinkCandidate) =>
    personalFeatures(link)
      .map((feature) => [feature, layer.shift([feature])] as const)
      .filter(([, weight]) => Math.abs(weight) >= 0.05)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, 5)
      .map(([feature, weight]) => `${feature} ${weight.toFixed(2)}`)
      .join(', ');
  const carried = corrected.filter((link) => link.correctedBy?.startsWith('you marked'));
  if (carried.length > 0) {
    lines.push(
      `    carried ${file}: ${carried.length} links decided by an earlier verdict (${carried
        .map(
          (link) =>
            `${link.needsNetwork ? link.tracker : link.domain} "${link.name}" ${goldOf(link, read.file.labels)}`,
        )
        .join('; ')})`,
    );
  }
  corrected.forEach((after, index) => {
    const before = links[index]!;
    const gold = goldOf(after, read.file.labels);
    if (startupWord(before) !== startupWord(after)) {
      const good =
        (after.kind === 'startup') === (gold === 'startup') ? 'fixed' : gold === 'borderline' ? 'moved' : 'BROKE';
      lines.push(
        `    ${good} ${file}: ${after.domain} "${after.name}" (${gold}) ${startupWord(before)} ${before.score} → ${startupWord(after)} ${after.score}: ${after.correctedBy ?? after.features[0]} [${movedBy(before)}]`,
      );
    } else if (after.kind === 'startup' && gold === 'other') {
      const named = corrections.find(
        (item) => nameKey(item.name) === nameKey(after.name) && item.kind === 'not-startup',
      );
      if (named) {
        lines.push(
          `    missed ${file}: ${after.needsNetwork ? after.tracker : after.domain} "${after.name}" was marked not a startup as ${named.domain ?? 'a name'} from ${named.sender || 'no sender'}, but this link is ${after.needsNetwork ? 'behind a tracker' : after.domain} from ${senderOf(read.file.report) || 'no sender'}`,
        );
      }
    }
  });
  return lines;
}

function simulateFamily(
  family: string,
  files: readonly ReadFile[],
  others: readonly ReadFile[],
  limit: number,
  explain: boolean,
) {
  const model = trainModel(others, trainingPolicy);
  const run: FamilyRun = { family, clicks: 0, before: [], after: [], explained: [] };
  let corrections: Correction[] = [];
  issuesOf(files).forEach((issue, index) => {
    let seen: { read: ReadFile; links: LinkCandidate[] } | null = null;
    for (const read of issue.copies) {
      const links = classifyFile(read, model);
      const corrected = applyCorrections({ ...read.file.report, links }, corrections).links;
      if (index > 0) {
        run.before.push(scoreFile(read.file, links));
        run.after.push(scoreFile(read.file, corrected));
        if (explain) run.explained.push(...explainIssue(read, links, corrected, corrections));
      }
      seen ??= { read, links: corrected };
    }
    const clicks = readerClicks(seen!.read, seen!.links, limit, issueDate(issue.stem, index));
    run.clicks += clicks.length;
    const ids = new Set(clicks.map((click) => click.id));
    corrections = [...corrections.filter((known) => !ids.has(known.id)), ...clicks];
  });
  return run;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const explain = args.includes('--explain');
  const limit = Number(args.find((arg) => arg.startsWith('--clicks='))?.slice('--clicks='.length) ?? 5);
  if (!Number.isInteger(limit) || limit < 0) throw new Error('--clicks=K needs a whole number of clicks per issue.');
  const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? defaultCorpusDir);
  if (!hasCorpus(dir)) {
    process.stderr.write(`eval:corrections: no labelled corpus at ${dir} (expected raw/ and labels/); skipped.\n`);
    process.stdout.write(`${JSON.stringify({ skipped: `no corpus at ${dir}` })}\n`);
    return;
  }
  const files = readFiles(
    await readCorpus(dir, (path) => process.stderr.write(`eval:corrections: ${path} is labelled but missing.\n`)),
  );
  const families = [...new Set(files.map((read) => read.file.family))].filter(
    (family) => issuesOf(files.filter((read) => read.file.family === family)).length >= 2,
  );
  const runs = families.map((family) =>
    simulateFamily(
      family,
      files.filter((read) => read.file.family === family),
      files.filter((read) => read.file.family !== family),
      limit,
      explain,
    ),
  );
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  const pick = (scores: FileScore[]) => {
    const { recall, precision, true_startup_links, false_startup_links, recall_found, recall_total } = figures(scores);
    return {
      recall: round(recall),
      precision: round(precision),
      true_startup_links,
      false_startup_links,
      recall_found,
      recall_total,
    };
  };
  for (const run of runs) {
    const before = pick(run.before);
    const after = pick(run.after);
    process.stdout.write(
      `${run.family.padEnd(28)} ${String(run.clicks).padStart(3)} clicks  precision ${before.precision ?? '-'} → ${after.precision ?? '-'}  recall ${before.recall ?? '-'} → ${after.recall ?? '-'}  true startups ${before.true_startup_links} → ${after.true_startup_links}  false startups ${before.false_startup_links} → ${after.false_startup_links}\n`,
    );
    for (const line of run.explained) process.stdout.write(`${line}\n`);
    if (verbose) {
      for (const score of run.after) {
        for (const wrong of score.wrong) process.stdout.write(`    still wrong in ${score.file}: ${wrong}\n`);
      }
    }
  }
  const before = pick(runs.flatMap((run) => run.before));
  const after = pick(runs.flatMap((run) => run.after));
  process.stdout.write(
    `later issues scored: ${runs.reduce((sum, run) => sum + run.before.length, 0)}; startup links before ${before.true_startup_links} true / ${before.false_startup_links} false, after ${after.true_startup_links} / ${after.false_startup_links}; recall ${before.recall_found}/${before.recall_total} → ${after.recall_found}/${after.recall_total}; at most ${limit} clicks per issue\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      families: runs.length,
      clicks: runs.reduce((sum, run) => sum + run.clicks, 0),
      before: { recall: before.recall, precision: before.precision },
      after: { recall: after.recall, precision: after.precision },
    })}\n`,
  );
}

await main();
