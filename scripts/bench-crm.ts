/**
 * `npm run -s bench:crm [-- --rows 100000]`
 *
 * Builds a seeded CRM export (HubSpot's headers, realistic names and domains) as CSV, imports it
 * into IndexedDB in headless Chromium through the real tools worker (a small bench page built from
 * the same modules as the app), and measures:
 *   import_ms      file → parsed, validated, merged, saved in IndexedDB and indexed (the worker call)
 *   lookup_p50_us  one matchCompany inside a worker, on the index the tools worker builds from the
 *   lookup_p99_us  same IndexedDB, timed alone (domains, subdomains, unknown domains, near-miss
 *                  names: the mix a newsletter brings)
 *   match200_ms    200 candidates page → worker → page, median of 20 runs
 *   heap_mb        page + workers after the import (measureUserAgentSpecificMemory)
 * Prints numbers, asserts nothing. Last line: one JSON object.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import type { MatchQuery } from '../src/core/crm/types.ts';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './find-chromium.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const ROWS = Number(values.rows);
const OUT = resolve('.bench/crm');

/** mulberry32: small, seeded, good enough to make the same CRM every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'zen',
  'tra',
  'vo',
  'ri',
  'sol',
  'nex',
  'qua',
  'dri',
  'fy',
  'bel',
  'or',
  'ux',
  'ly',
];
const WORDS = [
  'Robotics',
  'Health',
  'Data',
  'Labs',
  'AI',
  'Bio',
  'Energy',
  'Pay',
  'Cloud',
  'Security',
  'Foods',
  'Space',
];
const LEGAL = ['', '', '', ' Inc.', ' Ltd', ' GmbH', ' SAS', ' B.V.'];
const TLDS = ['com', 'com', 'com', 'io', 'ai', 'co', 'dev', 'co.uk', 'de', 'fr'];
const STAGES = ['Lead', 'Customer', 'Opportunity', 'Subscriber', 'Other'];

interface SeedCompany {
  name: string;
  domain: string;
}

function coined(): string {
  const count = 2 + Math.floor(random() * 2);
  let word = '';
  for (let i = 0; i < count; i++) word += pick(SYLLABLES);
  return word;
}

function makeCompanies(rows: number): SeedCompany[] {
  const companies: SeedCompany[] = [];
  const used = new Set<string>();
  while (companies.length < rows) {
    let stem = coined();
    if (used.has(stem)) stem = `${stem}${companies.length.toString(36)}`;
    used.add(stem);
    const display = stem[0]!.toUpperCase() + stem.slice(1);
    const name = `${display}${random() < 0.6 ? ` ${pick(WORDS)}` : ''}${pick(LEGAL)}`;
    companies.push({ name, domain: `${stem}.${pick(TLDS)}` });
  }
  return companies;
}

function csvFor(companies: SeedCompany[]): string {
  const lines = ['Record ID,Company name,Company Domain Name,Lifecycle Stage,Create Date,About'];
  companies.forEach((company, i) => {
    const site = random() < 0.3 ? `https://www.${company.domain}/` : company.domain;
    const about = `"${company.name} builds ${pick(WORDS).toLowerCase()} tools, ""founded"" ${2000 + (i % 25)}"`;
    lines.push(`${1000 + i},${company.name},${site},${pick(STAGES)},2024-0${1 + (i % 9)}-1${i % 10} 10:00,${about}`);
  });
  return `${lines.join('\r\n')}\r\n`;
}

function typo(name: string): string {
  const at = 1 + Math.floor(random() * Math.max(1, name.length - 2));
  return name.slice(0, at) + name.slice(at + 1);
}

/** What a newsletter brings: known domains (some as subdomains), unknown ones, and near-miss names. */
function makeQueries(companies: SeedCompany[], count: number): MatchQuery[] {
  const queries: MatchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const company = pick(companies);
    const roll = random();
    if (roll < 0.35) queries.push({ domain: company.domain, name: company.name });
    else if (roll < 0.5) queries.push({ domain: `https://app.${company.domain}/signup`, name: null });
    else if (roll < 0.75) queries.push({ domain: `${coined()}x${i}.com`, name: `${coined()} ${pick(WORDS)}` });
    else queries.push({ domain: `${coined()}y${i}.io`, name: typo(company.name) });
  }
  return queries;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const browserPath = findChromium();
if (!browserPath) throw new Error(HOW_TO_GET_CHROMIUM);
/** Wall-clock numbers on a shared machine say as much about the neighbours as about the code. */
const machineLoad = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
console.log(`machine: ${machineLoad()}`);

console.log(`building the bench page (real tools worker) into ${OUT}…`);
await build({
  configFile: false,
  root: resolve('scripts/bench-crm'),
  base: './',
  logLevel: 'warn',
  build: { outDir: OUT, emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});

const companies = makeCompanies(ROWS);
const csv = csvFor(companies);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'companies.csv'), csv);
console.log(`seeded CSV: ${ROWS.toLocaleString('en')} companies, ${(csv.length / 2 ** 20).toFixed(1)} MB`);

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.csv': 'text/csv',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
// Cross-origin isolation gives the page fine-grained timers and lets it measure the workers' memory.
const server = createServer((request, response) => {
  const path = join(OUT, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  if (!path.startsWith(OUT)) return void response.writeHead(403).end();
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  try {
    const body = readFileSync(file);
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({
  executablePath: browserPath.path,
  args: [...CHROMIUM_ARGS, '--enable-blink-features=ForceEagerMeasureMemory'],
});
interface BenchApi {
  crossOriginIsolated(): boolean;
  importCsv(url: string): Promise<Record<string, unknown> & { importMs: number; previewMs: number }>;
  reopen(): Promise<{ openMs: number; count: number }>;
  timeLookups(
    warmUp: MatchQuery[],
    queries: MatchQuery[],
  ): Promise<{ companies: number; lookupsUs: number[]; allMs: number }>;
  matchRoundTrips(queries: MatchQuery[], runs: number): Promise<{ times: number[]; statuses: Record<string, number> }>;
  memoryBytes(): Promise<number | null>;
}
type Bench = { crmBench: BenchApi };

try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => 'crmBench' in window);
  const isolated = await page.evaluate(() => (window as unknown as Bench).crmBench.crossOriginIsolated());

  const imported = await page.evaluate(
    (csvUrl) => (window as unknown as Bench).crmBench.importCsv(csvUrl),
    `${url}companies.csv`,
  );
  console.log(`import: ${JSON.stringify(imported)}`);

  const reopened = await page.evaluate(() => (window as unknown as Bench).crmBench.reopen());
  console.log(
    `reopen (IndexedDB → index in a fresh worker): ${round(reopened.openMs)} ms, ${reopened.count} companies`,
  );

  const queries = makeQueries(companies, 5000);
  const timed = await page.evaluate(
    ([warmUp, batch]) => (window as unknown as Bench).crmBench.timeLookups(warmUp, batch),
    [queries.slice(0, 1000), queries] as const,
  );
  const sorted = [...timed.lookupsUs].sort((a, b) => a - b);
  console.log(
    `lookups in a worker (${queries.length} over ${timed.companies} companies, timer ${isolated ? 'isolated, 5 µs' : 'coarse, 100 µs'}): p50 ${round(quantile(sorted, 0.5))} µs, p99 ${round(quantile(sorted, 0.99))} µs, max ${round(sorted.at(-1)!)} µs; all in one batch ${round(timed.allMs)} ms`,
  );

  // The lookups above ran in a worker of their own: the tools worker warms its JIT on the same
  // queries first, as it has after a session's first newsletter (and as when it timed them itself).
  await page.evaluate((warm) => (window as unknown as Bench).crmBench.matchRoundTrips(warm, 2), queries);
  const batch = makeQueries(companies, 200);
  const trips = await page.evaluate(
    (queries) => (window as unknown as Bench).crmBench.matchRoundTrips(queries, 21),
    batch,
  );
  const tripTimes = trips.times.slice(1).sort((a, b) => a - b);
  console.log(
    `200 candidates page → worker → page: median ${round(quantile(tripTimes, 0.5))} ms, max ${round(tripTimes.at(-1)!)} ms; ${JSON.stringify(trips.statuses)}`,
  );

  const bytes = await page.evaluate(() => (window as unknown as Bench).crmBench.memoryBytes());
  console.log(`machine: ${machineLoad()}`);
  console.log(
    bytes === null ? 'memory: not measurable in this browser' : `memory (page + workers): ${round(bytes / 2 ** 20)} MB`,
  );

  console.log(
    JSON.stringify({
      rows: ROWS,
      import_ms: Math.round(imported.importMs),
      lookup_p50_us: round(quantile(sorted, 0.5)),
      lookup_p99_us: round(quantile(sorted, 0.99)),
      match200_ms: round(quantile(tripTimes, 0.5), 2),
      heap_mb: bytes === null ? null : round(bytes / 2 ** 20),
    }),
  );
} finally {
  await browser.close();
  server.close();
}
