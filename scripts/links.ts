/**
 * `npm run -s links -- FILE`: the link report of one newsletter as one JSON object on stdout, for evaluation and
 * for scripting. Format detection uses the file's name, as it does for a file dropped on the page.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { extractLinks } from '../src/core/links/pipeline.ts';

export interface CliLink {
  url: string;
  domain: string;
  kind: string;
  score: number;
  name: string;
  text: string;
  context: string;
  needsNetwork: boolean;
  tracker: string | null;
}

export async function linksOfFile(path: string): Promise<{ links: CliLink[]; warnings: string[] }> {
  const bytes = new Uint8Array(await readFile(path));
  const report = await extractLinks(bytes, { fileName: basename(path) });
  return {
    links: report.links.map(({ url, domain, kind, score, name, text, context, needsNetwork, tracker }) => ({
      url,
      domain,
      kind,
      score,
      name,
      text,
      context,
      needsNetwork,
      tracker,
    })),
    warnings: report.warnings,
  };
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: npm run -s links -- FILE   (HTML, .eml, Markdown or text)\n');
    process.exitCode = 2;
    return;
  }
  try {
    const { links, warnings } = await linksOfFile(path);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${JSON.stringify({ links })}\n`);
  } catch (error) {
    process.stderr.write(`links: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/links.ts')) await main();
