/**
 * Per-category figures of a benchmark run, and the one JSON line `bench:model` prints. Speeds are
 * the engine's own reports (WebLLM's `usage.extra`, the built-in model's stream timing); an engine
 * that reports none gets null, never a made-up number.
 */
import type { EngineInfo } from '../engines/engine.ts';
import { benchCategories, type BenchCategory } from './items.ts';
import type { BenchRun, ItemResult } from './runner.ts';

export interface CategorySummary {
  items: number;
  correct: number;
  accuracy: number;
  /** Share of items whose every model output passed gates 1 and 2 on the first try. */
  validBeforeRepair: number;
  repairs: number;
  modelCalls: number;
  ttftMsP50: number | null;
  prefillTokensPerS: number | null;
  decodeTokensPerS: number | null;
  totalMs: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

const round = (value: number | null, digits = 3) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export function summarizeItems(results: readonly ItemResult[]): CategorySummary {
  const measures = results.flatMap((result) => result.measures);
  const correct = results.filter((result) => result.correct).length;
  return {
    items: results.length,
    correct,
    accuracy: results.length ? round(correct / results.length)! : 0,
    validBeforeRepair: results.length
      ? round(results.filter((result) => result.validBeforeRepair).length / results.length)!
      : 0,
    repairs: results.reduce((sum, result) => sum + result.repairs, 0),
    modelCalls: results.reduce((sum, result) => sum + result.modelCalls, 0),
    ttftMsP50: round(median(measures.flatMap((measure) => (measure.ttftMs === null ? [] : [measure.ttftMs]))), 1),
    prefillTokensPerS: round(mean(measures.flatMap((measure) => measure.prefillTokensPerS ?? [])), 1),
    decodeTokensPerS: round(mean(measures.flatMap((measure) => measure.decodeTokensPerS ?? [])), 1),
    totalMs: Math.round(results.reduce((sum, result) => sum + result.durationMs, 0)),
  };
}

export function summarize(results: readonly ItemResult[]): {
  categories: Partial<Record<BenchCategory, CategorySummary>>;
  overall: CategorySummary;
} {
  const categories: Partial<Record<BenchCategory, CategorySummary>> = {};
  for (const category of benchCategories) {
    const inCategory = results.filter((result) => result.category === category);
    if (inCategory.length) categories[category] = summarizeItems(inCategory);
  }
  return { categories, overall: summarizeItems(results) };
}

/** The line `npm run bench:model` prints: stable keys, snake_case, numbers or null. */
export interface BenchLine {
  engine: EngineInfo['id'];
  model: string;
  mode: BenchRun['mode'];
  items: number;
  cancelled: boolean;
  accuracy: number;
  by_category: Partial<Record<BenchCategory, number>>;
  valid_before_repair: number;
  repairs: number;
  ttft_ms_p50: number | null;
  prefill_tokens_per_s: number | null;
  decode_tokens_per_s: number | null;
  total_ms: number;
  peak_memory_mb: number | null;
}

export function benchLine(run: BenchRun): BenchLine {
  return {
    engine: run.engine.id,
    model: run.engine.model,
    mode: run.mode,
    items: run.overall.items,
    cancelled: run.cancelled,
    accuracy: run.overall.accuracy,
    by_category: Object.fromEntries(
      Object.entries(run.categories).map(([category, summary]) => [category, summary.accuracy]),
    ),
    valid_before_repair: run.overall.validBeforeRepair,
    repairs: run.overall.repairs,
    ttft_ms_p50: run.overall.ttftMsP50,
    prefill_tokens_per_s: run.overall.prefillTokensPerS,
    decode_tokens_per_s: run.overall.decodeTokensPerS,
    total_ms: run.overall.totalMs,
    peak_memory_mb: run.memory.peakBytes === null ? null : round(run.memory.peakBytes / 2 ** 20, 1),
  };
}
