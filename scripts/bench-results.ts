/**
 * How long the results table's plain functions take on a large table (a digest with thousands of
 * links, or a history run reopened): sort, CSV, JSON and clipboard text for 10,000 rows.
 * Prints numbers; asserts nothing.   npx tsx scripts/bench-results.ts
 */
import { performance } from 'node:perf_hooks';
import type { ResultRow } from '../src/core/agent/result-row.ts';
import { rowsToClipboardText, rowsToCsv, rowsToJson, sortRows } from '../src/ui/results/result-rows.ts';

const ROWS = 10_000;
let seed = 42;
/** Seeded, so every run measures the same table. */
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const statuses = ['in-crm', 'possible', 'not-in-crm'] as const;

const rows: ResultRow[] = Array.from({ length: ROWS }, (_, index) => ({
  id: `L${index + 1}`,
  name: `Company ${Math.floor(random() * 1e6)}`,
  url: `https://company${index}.example/`,
  host: `company${index}.example`,
  domain: `company${index}.example`,
  sentence: `Company ${index} raised a ${Math.floor(random() * 50)}M round to build "things", said the founder, again.`,
  status: statuses[index % 3]!,
  evidence: index % 3 === 0 ? [`domain company${index}.example`] : [],
  companyId: null,
  companyName: null,
  confidence: random(),
  decidedBy: 'rules',
  reason: 'anchor names a company',
}));

function time(label: string, work: () => unknown, repeat = 5): void {
  work();
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} median ${samples[Math.floor(repeat / 2)]!.toFixed(1)} ms`);
}

console.log(`results table functions on ${ROWS.toLocaleString('en')} rows`);
time('sort by name', () => sortRows(rows, 'name', 'ascending'));
time('sort by confidence', () => sortRows(rows, 'confidence', 'descending'));
time('CSV export', () => rowsToCsv(rows));
time('JSON export', () => rowsToJson(rows));
time('clipboard text', () => rowsToClipboardText(rows));
console.log(`CSV size ${(rowsToCsv(rows).length / 1024).toFixed(0)} KB`);
