/**
 * The 2×2 summary shown after each run: small vs large model × on this device vs off it (cloud or
 * on-premises), with calls, tokens, time and an estimated cost from the user's price table.
 * Built from per-call records, so it works from the agent's trace or from any list of calls.
 */
import type { EngineInfo } from '../../core/engines/engine.ts';
import { addCall, emptyTally, type CallTally, type ModelCall } from '../../core/agent/trace.ts';

/** A call as the summary reads it: the agent's trace gives these (`modelCalls`). */
export type CallRecord = Pick<ModelCall, 'engine' | 'promptTokens' | 'outputTokens' | 'durationMs'>;

/** USD per million tokens. `model` matches an engine's model name, case-insensitively. */
export interface PriceRow {
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
}

/**
 * Starting points only, from the providers' public price pages (late 2025); prices change, so the
 * table is editable and the summary says "estimated". On-device calls cost nothing.
 */
export const DEFAULT_PRICES: readonly PriceRow[] = [
  { model: 'gpt-4.1-mini', inputPerMTok: 0.4, outputPerMTok: 1.6 },
  { model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8 },
  { model: 'claude-haiku-4-5', inputPerMTok: 1, outputPerMTok: 5 },
  { model: 'claude-sonnet-4-5', inputPerMTok: 3, outputPerMTok: 15 },
  { model: 'openai/gpt-oss-20b', inputPerMTok: 0.1, outputPerMTok: 0.5 },
  { model: 'qwen/qwen3-30b-a3b', inputPerMTok: 0.1, outputPerMTok: 0.3 },
  { model: 'Qwen/Qwen3-235B-A22B-Instruct-2507-tput', inputPerMTok: 0.2, outputPerMTok: 0.6 },
];

export const PRICES_SETTING_KEY = 'prices';

export type Place = 'device' | 'off-device';

export interface SummaryCell extends CallTally {
  /** Null when some call in the cell ran on a model with no price in the table. */
  cost: number | null;
  models: string[];
}

export interface RunSummary {
  cells: Record<EngineInfo['size'], Record<Place, SummaryCell>>;
  total: SummaryCell;
  /** What the on-device calls would have cost at `reference`'s prices, had they been sent there. */
  saved: { reference: string; cost: number } | null;
}

export function placeOf(location: EngineInfo['location']): Place {
  return location === 'on-device' || location === 'test' ? 'device' : 'off-device';
}

export function priceFor(model: string, prices: readonly PriceRow[]): PriceRow | undefined {
  const wanted = model.toLowerCase();
  return prices.find((row) => row.model.toLowerCase() === wanted);
}

/** What the call's tokens cost at a row's prices. */
const costAt = (call: CallRecord, row: PriceRow): number =>
  (call.promptTokens * row.inputPerMTok + call.outputTokens * row.outputPerMTok) / 1e6;

function costOf(call: CallRecord, prices: readonly PriceRow[]): number | null {
  if (placeOf(call.engine.location) === 'device') return 0;
  const row = priceFor(call.engine.model, prices);
  if (!row) return call.engine.location === 'on-premises' ? 0 : null;
  return costAt(call, row);
}

const emptyCell = (): SummaryCell => ({ ...emptyTally(), cost: 0, models: [] });

function add(cell: SummaryCell, call: CallRecord, cost: number | null): void {
  addCall(cell, call);
  cell.cost = cell.cost === null || cost === null ? null : cell.cost + cost;
  if (!cell.models.includes(call.engine.model)) cell.models.push(call.engine.model);
}

export function summariseRun(
  calls: readonly CallRecord[],
  prices: readonly PriceRow[],
  reference?: string,
): RunSummary {
  const cells = {
    small: { device: emptyCell(), 'off-device': emptyCell() },
    large: { device: emptyCell(), 'off-device': emptyCell() },
  };
  const total = emptyCell();
  for (const call of calls) {
    const cost = costOf(call, prices);
    add(cells[call.engine.size][placeOf(call.engine.location)], call, cost);
    add(total, call, cost);
  }
  // The reference is the large model the user uses (or names); its prices show what staying local saved.
  const referenceModel =
    reference ??
    calls.find((call) => placeOf(call.engine.location) === 'off-device' && priceFor(call.engine.model, prices))?.engine
      .model;
  const row = referenceModel ? priceFor(referenceModel, prices) : undefined;
  let saved: RunSummary['saved'] = null;
  if (row) {
    const local = calls.filter((call) => placeOf(call.engine.location) === 'device');
    const cost = local.reduce((sum, call) => sum + costAt(call, row), 0);
    saved = { reference: row.model, cost };
  }
  return { cells, total, saved };
}

/** Reads back a stored price table; a malformed row is dropped, never a crash. */
export function parsePrices(stored: unknown): PriceRow[] | undefined {
  if (!Array.isArray(stored)) return undefined;
  return stored.flatMap((row: unknown) => {
    if (typeof row !== 'object' || row === null) return [];
    const { model, inputPerMTok, outputPerMTok } = row as Record<string, unknown>;
    if (typeof model !== 'string' || !model.trim()) return [];
    if (!isPrice(inputPerMTok) || !isPrice(outputPerMTok)) return [];
    return [{ model: model.trim(), inputPerMTok, outputPerMTok }];
  });
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function formatCost(cost: number | null): string {
  if (cost === null) return 'no price set';
  if (cost === 0) return '$0';
  if (cost < 0.01) return `<$0.01`;
  return `$${cost.toFixed(2)}`;
}
