/**
 * Past runs, kept in IndexedDB so a person can reopen yesterday's table or delete it. Each run is
 * stored under `run:<id>`, with one small index (`index`) listing them newest first, so the history
 * list opens without reading every table.
 *
 * The stored shapes below are a contract with every browser that already saved runs: DO NOT CHANGE
 * them without a migration. Whatever is read back is checked, and a damaged run is skipped, never
 * shown half-way or allowed to break the list.
 */
import { del, get, set, update } from 'idb-keyval';
import Type from 'typebox';
import Value from 'typebox/value';
import { ResultRowSchema } from '../core/agent/result-row.ts';
import { store, withQuotaMessage } from './db.ts';

export const SavedRunSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  title: Type.String(),
  startedAt: Type.Number(),
  finishedAt: Type.Number(),
  mode: Type.Union([Type.Literal('model'), Type.Literal('tools-only')]),
  report: Type.Object({
    format: Type.Union([Type.Literal('html'), Type.Literal('eml'), Type.Literal('markdown'), Type.Literal('text')]),
    warnings: Type.Array(Type.String()),
    stats: Type.Object({ bytes: Type.Number(), occurrences: Type.Number(), ms: Type.Number() }),
    linkCount: Type.Number(),
  }),
  /** The table's rows: their shape belongs to the agent (src/core/agent/result-row.ts), checked here on the way in and out. */
  rows: Type.Array(ResultRowSchema),
  /** Uncertain links that were not accepted (added later: absent in older runs). */
  maybe: Type.Optional(Type.Array(ResultRowSchema)),
  /** Links the rules turned down outright, listed in the trace (added later: absent in older runs). */
  turnedDown: Type.Optional(Type.Array(ResultRowSchema)),
  /**
   * The run's trace (src/core/agent/trace.ts), so a reopened run shows how it was decided. Its shape
   * belongs to the agent; readers check it before use and treat anything else as "no trace".
   */
  trace: Type.Optional(Type.Unknown()),
});

export const RunSummarySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  title: Type.String(),
  finishedAt: Type.Number(),
  mode: Type.Union([Type.Literal('model'), Type.Literal('tools-only')]),
  rowCount: Type.Number(),
  newCount: Type.Number(),
});

export type SavedRun = Type.Static<typeof SavedRunSchema>;
/** What the history list shows without loading the run itself. */
export type RunSummary = Type.Static<typeof RunSummarySchema>;

/** Oldest runs beyond this are dropped when a new one is saved: history is a convenience, not an archive. */
export const HISTORY_LIMIT = 100;

const INDEX_KEY = 'index';
const runKey = (id: string) => `run:${id}`;

export function summarise(run: SavedRun): RunSummary {
  return {
    id: run.id,
    title: run.title,
    finishedAt: run.finishedAt,
    mode: run.mode,
    rowCount: run.rows.length,
    newCount: run.rows.filter((row) => row.status === 'not-in-crm').length,
  };
}

/** A stored index read back: only well-formed entries, one per id, newest first. */
export function parseIndex(stored: unknown): RunSummary[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const entries: RunSummary[] = [];
  for (const item of stored) {
    if (!Value.Check(RunSummarySchema, item) || seen.has(item.id)) continue;
    seen.add(item.id);
    entries.push(item);
  }
  return entries.sort((a, b) => b.finishedAt - a.finishedAt);
}

export function parseRun(stored: unknown): SavedRun | undefined {
  return Value.Check(SavedRunSchema, stored) ? stored : undefined;
}

/**
 * The index after saving `run`: it goes first (replacing an older copy of itself), and what falls
 * beyond `limit` is returned as `dropped` so its stored run can be deleted too.
 */
export function indexWithRun(
  index: readonly RunSummary[],
  run: SavedRun,
  limit = HISTORY_LIMIT,
): { index: RunSummary[]; dropped: string[] } {
  const merged = [summarise(run), ...index.filter((entry) => entry.id !== run.id)].sort(
    (a, b) => b.finishedAt - a.finishedAt,
  );
  return { index: merged.slice(0, limit), dropped: merged.slice(limit).map((entry) => entry.id) };
}

export function indexWithout(index: readonly RunSummary[], id: string): RunSummary[] {
  return index.filter((entry) => entry.id !== id);
}

/** Past runs, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  return parseIndex(await get(INDEX_KEY, store('history')));
}

/** A saved run, or undefined when it is gone or was damaged. */
export async function loadRun(id: string): Promise<SavedRun | undefined> {
  return parseRun(await get(runKey(id), store('history')));
}

export async function saveRun(run: SavedRun): Promise<void> {
  if (!Value.Check(SavedRunSchema, run)) {
    const [first] = Value.Errors(SavedRunSchema, run);
    throw new Error(`This run could not be saved to history: ${first?.instancePath ?? ''} ${first?.message ?? ''}`);
  }
  // The run is written before the index names it, so a crash in between leaves no entry pointing at nothing.
  await withQuotaMessage(() => set(runKey(run.id), run, store('history')));
  let dropped: string[] = [];
  await withQuotaMessage(() =>
    update(
      INDEX_KEY,
      (stored: unknown) => {
        const next = indexWithRun(parseIndex(stored), run);
        dropped = next.dropped;
        return next.index;
      },
      store('history'),
    ),
  );
  await Promise.all(dropped.map((id) => del(runKey(id), store('history'))));
}

export async function deleteRun(id: string): Promise<void> {
  // The index entry goes first: a run the list no longer names is invisible even if its delete fails.
  await update(INDEX_KEY, (stored: unknown) => indexWithout(parseIndex(stored), id), store('history'));
  await del(runKey(id), store('history'));
}
