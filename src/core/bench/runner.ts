/**
 * Runs the benchmark against any `ChatEngine`, item by item, through the same gates the app uses
 * (constrained output, schema check with up to two repairs, state check), and scores what passed
 * with the AST checker. Reports counts as it goes, stops at once when its signal aborts (the
 * result then holds the items finished so far), and measures what the engine and the browser tell:
 * time to first token, tokens/s, peak memory.
 */
import { runAsk } from '../agent/ask.ts';
import { AbortedError, runModelStep, type StepEngines } from '../agent/model-step.ts';
import { sampleBatch } from '../agent/judge-gate.ts';
import { MemoryCrm, sandboxPorts } from './sandbox.ts';
import { TraceRecorder, type Trace } from '../agent/trace.ts';
import type { DeviceProbe } from '../device.ts';
import type { ChatEngine, EngineInfo } from '../engines/engine.ts';
import { checkCalls, checkPlan, type ModelCall } from './ast-checker.ts';
import { bfclMessages, bfclTurnSchema, readBfclCalls } from './bfcl.ts';
import { bfclSeed, bfclSource, type BenchCategory, type BenchItem, type BenchMode } from './items.ts';
import { MeteredEngine, type RequestMeasure } from './metered-engine.ts';
import { parsePyJson, toPlain, type PyValue } from './py-json.ts';
import { checkJudgement, siftToolDocs, type JudgeItem } from './sift-items.ts';
import { summarize, type CategorySummary } from './summary.ts';
import { messageOf } from '../text/error-message.ts';

/** Enough for the longest right answer (BFCL's parallel items ask for up to 8 calls). */
export const bfclMaxTokens = 600;

export interface ItemResult {
  id: string;
  category: BenchCategory;
  correct: boolean;
  /** Why it is wrong: the checker's reason, or the gates' when no output passed them. */
  error: string | null;
  /** Every model output of the item passed gates 1 and 2 on the first try. */
  validBeforeRepair: boolean;
  /** Outputs sent back to the model with their errors. */
  repairs: number;
  modelCalls: number;
  measures: RequestMeasure[];
  durationMs: number;
  /** What the model answered (the accepted output, or the calls an Ask run made). */
  output: unknown;
}

export interface BenchProgress {
  done: number;
  total: number;
  correct: number;
  /** The item running now; null once the run is over. */
  current: { id: string; category: BenchCategory } | null;
}

export interface MemoryReading {
  /** The largest reading during the run, in bytes; null when the browser gives none. */
  peakBytes: number | null;
  /** How it was measured, or why there is no number. */
  source: string;
}

/** The device a run measured, so results from several devices can be compared side by side. */
export interface BenchDevice {
  /** WebGPU's adapter, shader-f16 and buffer limits; null where the page could not ask. */
  gpu: DeviceProbe | null;
  /** `navigator.hardwareConcurrency`. */
  cores: number | null;
  /** The browser's brand and version, e.g. "Chromium 142". */
  browser: string | null;
}

export interface BenchRun {
  format: 'sift-benchmark';
  version: 1;
  id: string;
  mode: BenchMode;
  engine: EngineInfo;
  startedAt: number;
  finishedAt: number;
  /** Stopped by the user: `results` holds the items finished before. */
  cancelled: boolean;
  itemsPlanned: number;
  results: ItemResult[];
  categories: Partial<Record<BenchCategory, CategorySummary>>;
  overall: CategorySummary;
  memory: MemoryReading;
  device: BenchDevice | null;
  data: { bfcl: { repository: string; commit: string; licence: string; seed: number } };
}

export interface BenchOptions {
  engine: ChatEngine;
  items: readonly BenchItem[];
  mode: BenchMode;
  signal?: AbortSignal;
  onProgress?: (progress: BenchProgress) => void;
  /** Bytes in use as the browser measures them; null (with a reason) where it cannot. */
  measureMemory?: () => Promise<{ bytes: number | null; source: string }>;
  now?: () => number;
  /** Wall-clock time for ids and dates; `now` may be a monotonic clock. */
  clock?: () => number;
  device?: BenchDevice | null;
}

export async function runBenchmark(options: BenchOptions): Promise<BenchRun> {
  const now = options.now ?? Date.now;
  const clock = options.clock ?? Date.now;
  const metered = new MeteredEngine(options.engine, now);
  const engines: StepEngines = { primary: metered, fallback: null };
  const startedAt = clock();
  const results: ItemResult[] = [];
  const memory: MemoryReading = { peakBytes: null, source: 'not measured' };
  const readMemory = async () => {
    if (!options.measureMemory) return;
    const reading = await options.measureMemory();
    memory.source = reading.source;
    if (reading.bytes !== null) memory.peakBytes = Math.max(memory.peakBytes ?? 0, reading.bytes);
  };
  const report = (current: BenchProgress['current']) =>
    options.onProgress?.({
      done: results.length,
      total: options.items.length,
      correct: results.filter((result) => result.correct).length,
      current,
    });

  let cancelled = false;
  await readMemory();
  for (const [index, item] of options.items.entries()) {
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    report({ id: item.id, category: item.category });
    const firstMeasure = metered.measures.length;
    const itemStarted = now();
    let outcome: ItemOutcome;
    try {
      outcome = await runItem(item, engines, now, options.signal);
    } catch (error) {
      if (error instanceof AbortedError || options.signal?.aborted) {
        cancelled = true;
        break;
      }
      outcome = {
        correct: false,
        error: messageOf(error),
        trace: null,
        output: null,
      };
    }
    const steps = outcome.trace?.steps.filter((step) => step.engine !== null) ?? [];
    results.push({
      id: item.id,
      category: item.category,
      correct: outcome.correct,
      error: outcome.error,
      validBeforeRepair:
        steps.length > 0 &&
        steps
          .filter((step) => step.attempt === 0)
          .every((step) => step.gates.filter((gate) => gate.gate !== 'state').every((gate) => gate.ok)),
      repairs: steps.filter((step) => step.attempt > 0).length,
      modelCalls: steps.length,
      measures: metered.measures.slice(firstMeasure),
      durationMs: now() - itemStarted,
      output: outcome.output,
    });
    const next = options.items[index + 1];
    if (!next || next.category !== item.category) await readMemory();
  }
  report(null);
  const { categories, overall } = summarize(results);
  return {
    format: 'sift-benchmark',
    version: 1,
    id: `bench-${startedAt}`,
    mode: options.mode,
    engine: options.engine.info,
    startedAt,
    finishedAt: clock(),
    cancelled,
    itemsPlanned: options.items.length,
    results,
    categories,
    overall,
    memory,
    device: options.device ?? null,
    data: { bfcl: { ...pick(bfclSource), seed: bfclSeed } },
  };
}

function pick(source: typeof bfclSource) {
  return { repository: source.repository, commit: source.commit, licence: source.licence };
}

interface ItemOutcome {
  correct: boolean;
  error: string | null;
  trace: Trace | null;
  output: unknown;
}

function runItem(
  item: BenchItem,
  engines: StepEngines,
  now: () => number,
  signal: AbortSignal | undefined,
): Promise<ItemOutcome> {
  switch (item.kind) {
    case 'bfcl':
      return runBfclItem(item, engines, now, signal);
    case 'judge':
      return runJudgeItem(item.judge, engines, now, signal);
    case 'ask':
      return runAskItem(item, engines, now, signal);
  }
}

function recorderFor(item: { id: string }, engines: StepEngines, now: () => number): TraceRecorder {
  return new TraceRecorder(
    { id: item.id, job: 'ask', instruction: null, engine: engines.primary?.info ?? null, fallback: null },
    now,
  );
}

/** Decodes the accepted raw output again, keeping Python's int/float difference (a repaired one cannot be). */
function decoded(raw: string, value: unknown): PyValue {
  try {
    return parsePyJson(raw);
  } catch {
    return value as PyValue;
  }
}

async function runBfclItem(
  item: Extract<BenchItem, { kind: 'bfcl' }>,
  engines: StepEngines,
  now: () => number,
  signal: AbortSignal | undefined,
): Promise<ItemOutcome> {
  const { functions, answer } = item.bfcl;
  const recorder = recorderFor(item, engines, now);
  const outcome = await runModelStep<unknown>(
    {
      kind: 'plan',
      label: `BFCL ${item.id}`,
      messages: bfclMessages(item.bfcl),
      schema: () => bfclTurnSchema(functions),
      maxTokens: () => bfclMaxTokens,
      temperature: 0,
      check: (value) => ({ errors: [], value }),
    },
    engines,
    recorder,
    signal,
  );
  const trace = recorder.finish(outcome.ok ? 'answered' : 'undecided');
  if (!outcome.ok) return { correct: false, error: outcome.errors.join('; '), trace, output: null };
  const value = decoded(outcome.raw, outcome.value);
  const result = checkCalls(item.category, functions, readBfclCalls(value), answer);
  return { correct: result.valid, error: result.error ?? null, trace, output: toPlain(value) };
}

async function runJudgeItem(
  judge: JudgeItem,
  engines: StepEngines,
  now: () => number,
  signal: AbortSignal | undefined,
): Promise<ItemOutcome> {
  const ids = judge.links.map((link) => link.id);
  const links = new Map(judge.links.map((link) => [link.id, link]));
  const recorder = recorderFor(judge, engines, now);
  // The newsletter job's own first sample of a batch: its prompt, schema, answer budget and gates
  // (gate 3: a startup's name must be grounded in its link). The invented links have no CRM match.
  const sample = await sampleBatch(ids, links, { engines, matches: new Map(), recorder, signal }, 'judge', 0);
  const answered = ids.every((id) => sample.verdicts.has(id));
  const trace = recorder.finish(answered ? 'answered' : 'undecided');
  if (!answered) return { correct: false, error: sample.errors.join('; '), trace, output: null };
  const verdicts = Object.fromEntries(ids.map((id) => [id, sample.verdicts.get(id)!]));
  const result = checkJudgement(judge, verdicts);
  return { correct: result.valid, error: result.error ?? null, trace, output: verdicts };
}

async function runAskItem(
  item: Extract<BenchItem, { kind: 'ask' }>,
  engines: StepEngines,
  now: () => number,
  signal: AbortSignal | undefined,
): Promise<ItemOutcome> {
  const { ask } = item;
  // An in-memory CRM seeded for the item: the benchmark never touches the user's own CRM.
  const ports = sandboxPorts(ask.report, new MemoryCrm(ask.crm), true);
  const result = await runAsk({
    instruction: ask.instruction,
    engines,
    ports,
    now,
    runId: ask.id,
    ...(signal ? { signal } : {}),
  });
  if (signal?.aborted) throw new AbortedError();
  const calls: ModelCall[] = [...result.state.executed.keys()].map((key) => {
    const call = parsePyJson(key) as { tool: string; arguments: Record<string, PyValue> };
    return { name: call.tool, arguments: call.arguments };
  });
  const output = { outcome: result.outcome, calls: calls.map((call) => toPlain(call as unknown as PyValue)) };
  if (result.outcome !== 'answered') {
    return { correct: false, error: `${result.outcome}: ${result.reason ?? ''}`, trace: result.trace, output };
  }
  const check = checkPlan(siftToolDocs(), calls, ask.plan, ask.mayAlsoRun);
  return { correct: check.valid, error: check.error ?? null, trace: result.trace, output };
}
