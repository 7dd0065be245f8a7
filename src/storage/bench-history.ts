/**
 * Benchmark runs kept in this browser (store `bench`), so a person can compare models and devices
 * side by side. Each run is stored under `run:<id>`, with an `index` listing summaries newest
 * first, so the list opens without reading every run's items.
 *
 * Stored records carry `schemaVersion`. DO NOT CHANGE what is stored without a new version here and a
 * migration with a test. A record this version cannot read is never shown half-way and never
 * rewritten: a damaged one is skipped, one from a newer Sift is left as it is and counted.
 */
import { del, get, set, update } from 'idb-keyval';
import Type from 'typebox';
import Value from 'typebox/value';
import type { BenchRun } from '../core/bench/runner.ts';
import { store, withQuotaMessage } from './db.ts';

export const BENCH_SCHEMA_VERSION = 1;
/** Oldest runs beyond this are dropped when a new one is saved. */
export const BENCH_HISTORY_LIMIT = 50;

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const SummarySchema = Type.Object({
  items: Type.Number(),
  correct: Type.Number(),
  accuracy: Type.Number(),
  validBeforeRepair: Type.Number(),
  repairs: Type.Number(),
  modelCalls: Type.Number(),
  ttftMsP50: Nullable(Type.Number()),
  prefillTokensPerS: Nullable(Type.Number()),
  decodeTokensPerS: Nullable(Type.Number()),
  totalMs: Type.Number(),
});

/** What this version reads back: the fields the list, the table and the export use. */
export const SavedBenchRunSchema = Type.Object({
  schemaVersion: Type.Literal(BENCH_SCHEMA_VERSION),
  format: Type.Literal('sift-benchmark'),
  version: Type.Literal(1),
  id: Type.String({ minLength: 1 }),
  mode: Type.Union([Type.Literal('quick'), Type.Literal('full')]),
  engine: Type.Object({ id: Type.String(), model: Type.String(), location: Type.String() }),
  startedAt: Type.Number(),
  finishedAt: Type.Number(),
  cancelled: Type.Boolean(),
  itemsPlanned: Type.Number(),
  results: Type.Array(Type.Unknown()),
  categories: Type.Record(Type.String(), SummarySchema),
  overall: SummarySchema,
  memory: Type.Object({ peakBytes: Nullable(Type.Number()), source: Type.String() }),
  device: Type.Unknown(),
  data: Type.Unknown(),
});

export const BenchSummarySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  finishedAt: Type.Number(),
  mode: Type.Union([Type.Literal('quick'), Type.Literal('full')]),
  engine: Type.String(),
  model: Type.String(),
  device: Type.String(),
  items: Type.Number(),
  accuracy: Type.Number(),
  categories: Type.Record(Type.String(), Type.Number()),
});

export type SavedBenchRun = BenchRun & { schemaVersion: typeof BENCH_SCHEMA_VERSION };
export type BenchSummary = Type.Static<typeof BenchSummarySchema>;

const INDEX_KEY = 'index';
const runKey = (id: string) => `run:${id}`;

/** The device in a few words for the list: the GPU's vendor and architecture, or why there is none. */
export function deviceLabel(run: Pick<BenchRun, 'device'>): string {
  const gpu = run.device?.gpu;
  const adapter = gpu?.adapter;
  const parts = [
    adapter ? [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') : 'no WebGPU adapter',
    adapter ? (gpu.shaderF16 ? 'f16' : 'no f16') : '',
    run.device?.browser ?? '',
  ];
  return parts.filter(Boolean).join(' · ');
}

export function summariseBenchRun(run: BenchRun): BenchSummary {
  return {
    id: run.id,
    finishedAt: run.finishedAt,
    mode: run.mode,
    engine: run.engine.id,
    model: run.engine.model,
    device: deviceLabel(run),
    items: run.overall.items,
    accuracy: run.overall.accuracy,
    categories: Object.fromEntries(Object.entries(run.categories).map(([name, summary]) => [name, summary.accuracy])),
  };
}

export interface ReadBack<T> {
  value?: T;
  /** Saved by a newer Sift: left alone, and the person is told to reload. */
  newer?: boolean;
}

/**
 * A stored record as this version reads it. Version 1 is the first: there is nothing older to
 * migrate yet; a future version adds its step here (and a test that an old record comes through).
 */
export function readBenchRun(stored: unknown): ReadBack<SavedBenchRun> {
  const version = (stored as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > BENCH_SCHEMA_VERSION) return { newer: true };
  return Value.Check(SavedBenchRunSchema, stored) ? { value: stored as SavedBenchRun } : {};
}

export function parseBenchIndex(stored: unknown): BenchSummary[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  return stored
    .filter(
      (item): item is BenchSummary =>
        Value.Check(BenchSummarySchema, item) && !seen.has(item.id) && !!seen.add(item.id),
    )
    .sort((a, b) => b.finishedAt - a.finishedAt);
}

export async function listBenchRuns(): Promise<BenchSummary[]> {
  return parseBenchIndex(await get(INDEX_KEY, store('bench')));
}

export async function loadBenchRun(id: string): Promise<ReadBack<SavedBenchRun>> {
  return readBenchRun(await get(runKey(id), store('bench')));
}

export async function saveBenchRun(run: BenchRun): Promise<void> {
  const record: SavedBenchRun = { ...run, schemaVersion: BENCH_SCHEMA_VERSION };
  if (!Value.Check(SavedBenchRunSchema, record)) {
    const [first] = Value.Errors(SavedBenchRunSchema, record);
    throw new Error(`This benchmark run could not be saved: ${first?.instancePath ?? ''} ${first?.message ?? ''}`);
  }
  // The run is written before the index names it: a crash in between leaves no entry pointing at nothing.
  await withQuotaMessage(() => set(runKey(run.id), record, store('bench')));
  let dropped: string[] = [];
  await withQuotaMessage(() =>
    update(
      INDEX_KEY,
      (stored: unknown) => {
        const merged = [summariseBenchRun(run), ...parseBenchIndex(stored).filter((entry) => entry.id !== run.id)].sort(
          (a, b) => b.finishedAt - a.finishedAt,
        );
        dropped = merged.slice(BENCH_HISTORY_LIMIT).map((entry) => entry.id);
        // Entries this version cannot read (a newer Sift's) are kept as they were.
        const unreadable = Array.isArray(stored) ? stored.filter((item) => !Value.Check(BenchSummarySchema, item)) : [];
        return [...merged.slice(0, BENCH_HISTORY_LIMIT), ...unreadable];
      },
      store('bench'),
    ),
  );
  await Promise.all(dropped.map((id) => del(runKey(id), store('bench'))));
}

export async function deleteBenchRun(id: string): Promise<void> {
  await update(
    INDEX_KEY,
    (stored: unknown) => parseBenchIndex(stored).filter((entry) => entry.id !== id),
    store('bench'),
  );
  await del(runKey(id), store('bench'));
}
