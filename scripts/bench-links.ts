/**
 * `npm run -s bench:links [-- DIR] [--stages]`: the whole link pipeline over every file of a corpus (default
 * ../shared/corpus/raw), and in the same run a bare htmlparser2 parse of the same bytes as the yardstick.
 * Files are interleaved (pipeline, then baseline, file by file) so both see the same load on a shared machine.
 * Lines before the last give the ratio per input format (an email pays for MIME decoding and a text file for its
 * link scan, neither of which a bare HTML parse does). The last line is one JSON object: {"mb_per_s", "p50_ms",
 * "p95_ms", "baseline_mb_per_s", "ratio_to_baseline"}. `--stages` also prints the milliseconds per round each stage of
 * the pipeline takes (see `pipelineStages`), beside the bare parse's: where a speed-up has to come from.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { Parser } from 'htmlparser2';
import { extractLinks, pipelineStages } from '../src/core/links/pipeline.ts';
import type { ExtractLinksOptions } from '../src/core/links/pipeline.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** What a parse costs with nothing done on top: decode the bytes, tokenise every tag and text node. */
function bareParse(bytes: Uint8Array): number {
  let events = 0;
  const parser = new Parser(
    {
      onopentag: () => events++,
      ontext: () => events++,
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(new TextDecoder().decode(bytes));
  return events;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showStages = args.includes('--stages');
  const root = resolve(args.find((arg) => !arg.startsWith('--')) ?? '../shared/corpus');
  const dir = existsSync(join(root, 'raw')) ? join(root, 'raw') : root;
  if (!existsSync(dir)) {
    process.stderr.write(`bench:links: no corpus at ${root}; skipped.\n`);
    process.stdout.write(`${JSON.stringify({ skipped: `no corpus at ${root}` })}\n`);
    return;
  }
  const files = filesUnder(dir).map((path) => ({
    path,
    name: basename(path),
    bytes: new Uint8Array(readFileSync(path)),
    format: extname(path).slice(1).toLowerCase() || 'none',
  }));
  const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
  // Per input format (the file's extension): what each side spends on it, to see where the ratio is lost.
  const byFormat = new Map<string, { pipelineMs: number; baselineMs: number; bytes: number }>();
  for (const file of files) {
    const totals = byFormat.get(file.format) ?? { pipelineMs: 0, baselineMs: 0, bytes: 0 };
    totals.bytes += file.bytes.length;
    byFormat.set(file.format, totals);
  }

  // One warm-up round so both sides are measured compiled, not interpreted.
  for (const file of files) {
    await extractLinks(file.bytes, { fileName: file.name });
    bareParse(file.bytes);
  }

  const stageTimes: NonNullable<ExtractLinksOptions['stageTimes']> = {};
  const perFile: number[] = [];
  let pipelineMs = 0;
  let baselineMs = 0;
  let links = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const file of files) {
      let started = performance.now();
      const report = await extractLinks(file.bytes, {
        fileName: file.name,
        ...(showStages ? { stageTimes } : {}),
      });
      const elapsed = performance.now() - started;
      perFile.push(elapsed);
      pipelineMs += elapsed;
      links += report.links.length;
      started = performance.now();
      bareParse(file.bytes);
      const baseline = performance.now() - started;
      baselineMs += baseline;
      const totals = byFormat.get(file.format)!;
      totals.pipelineMs += elapsed;
      totals.baselineMs += baseline;
    }
  }
  perFile.sort((a, b) => a - b);
  const megabytes = (totalBytes * ROUNDS) / 1_048_576;
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const mbPerS = megabytes / (pipelineMs / 1000);
  const baselineMbPerS = megabytes / (baselineMs / 1000);
  process.stdout.write(
    `${files.length} files, ${(totalBytes / 1_048_576).toFixed(2)} MB, ${ROUNDS} rounds, ${links / ROUNDS} links per round\n`,
  );
  for (const [format, totals] of [...byFormat].sort((a, b) => b[1].bytes - a[1].bytes)) {
    process.stdout.write(
      `  .${format}: ${(totals.bytes / 1_048_576).toFixed(2)} MB, pipeline ${(totals.pipelineMs / ROUNDS).toFixed(1)} ms per round, ratio_to_baseline ${round2(totals.baselineMs / totals.pipelineMs)}\n`,
    );
  }
  if (showStages) {
    const stages = pipelineStages.map((stage) => `${stage} ${((stageTimes[stage] ?? 0) / ROUNDS).toFixed(1)}`);
    process.stdout.write(
      `  stages, ms per round: ${stages.join(', ')}; the bare parse ${(baselineMs / ROUNDS).toFixed(1)}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({
      mb_per_s: round2(mbPerS),
      p50_ms: round2(percentile(perFile, 50)),
      p95_ms: round2(percentile(perFile, 95)),
      baseline_mb_per_s: round2(baselineMbPerS),
      ratio_to_baseline: round2(mbPerS / baselineMbPerS),
    })}\n`,
  );
}

await main();
