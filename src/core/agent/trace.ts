/**
 * The trace of one run: every model call and every tool execution, with each gate's verdict. Plain
 * JSON-serialisable data, so it can be kept with the run, sent across a worker boundary and exported.
 */
import { callSpeed, type CallSpeed, type ChatCompletion, type EngineInfo } from '../engines/engine.ts';

export type GateName = 'constrained' | 'schema' | 'state' | 'policy';

/** The four gates every model output passes before anything runs. */
export const gateNumbers: Record<GateName, 1 | 2 | 3 | 4> = { constrained: 1, schema: 2, state: 3, policy: 4 };

export interface GateVerdict {
  gate: GateName;
  ok: boolean;
  detail: string;
}

export type TraceStepKind = 'tools' | 'judge' | 'vote' | 'plan' | 'execute' | 'fallback';

export interface TraceEngine {
  id: string;
  model: string;
  size: EngineInfo['size'];
  location: EngineInfo['location'];
}

export interface TraceStep {
  index: number;
  kind: TraceStepKind;
  label: string;
  /** Null for deterministic steps (tools, fallbacks). */
  engine: TraceEngine | null;
  /** 0 for the first try, 1 and 2 for repairs. */
  attempt: number;
  /** The step whose rejected output this one repairs. */
  repairOf: number | null;
  /** Run on the fallback engine after the first engine's repairs ran out. */
  escalated: boolean;
  promptTokens: number;
  outputTokens: number;
  finishReason: string | null;
  /**
   * What the engine measured of this call (first token, prefill and decode rates, grammar set-up);
   * null where it measured none. Absent from traces saved before it was recorded.
   */
  speed?: CallSpeed | null;
  raw: string;
  gates: GateVerdict[];
  /** Tolerant repairs applied before validation (`replaced curly quotes`...). */
  repairs: string[];
  call: { tool: string; arguments: unknown } | null;
  result: unknown;
  error: string | null;
  startedAt: number;
  durationMs: number;
}

export interface Trace {
  id: string;
  job: 'newsletter' | 'ask';
  instruction: string | null;
  engine: TraceEngine | null;
  fallback: TraceEngine | null;
  startedAt: number;
  finishedAt: number | null;
  outcome: string;
  steps: TraceStep[];
}

/** One model call of a run: what the trace panel's totals and the run summary both count. */
export interface ModelCall {
  engine: TraceEngine;
  promptTokens: number;
  outputTokens: number;
  durationMs: number;
  /** A gate rejected its output. */
  rejected: boolean;
}

/** Calls, tokens and time added up; each view of a run groups these its own way. */
export interface CallTally {
  calls: number;
  promptTokens: number;
  outputTokens: number;
  durationMs: number;
}

export const emptyTally = (): CallTally => ({ calls: 0, promptTokens: 0, outputTokens: 0, durationMs: 0 });

export function addCall(tally: CallTally, call: Pick<ModelCall, 'promptTokens' | 'outputTokens' | 'durationMs'>): void {
  tally.calls += 1;
  tally.promptTokens += call.promptTokens;
  tally.outputTokens += call.outputTokens;
  tally.durationMs += call.durationMs;
}

/** A gate said no to this step (a model output rejected, or a call the policy refused). */
export const gateRejected = (step: Pick<TraceStep, 'gates'>): boolean => step.gates.some((gate) => !gate.ok);

/** The run's model calls, in order; deterministic steps are not calls. */
export function modelCalls(trace: Pick<Trace, 'steps'>): ModelCall[] {
  return trace.steps.flatMap((step) =>
    step.engine
      ? [
          {
            engine: step.engine,
            promptTokens: step.promptTokens,
            outputTokens: step.outputTokens,
            durationMs: step.durationMs,
            rejected: gateRejected(step),
          },
        ]
      : [],
  );
}

export interface TraceTotals {
  modelCalls: number;
  promptTokens: number;
  outputTokens: number;
  rejected: number;
  byLocation: Partial<Record<EngineInfo['location'], CallTally>>;
}

export function traceEngine(info: EngineInfo | null | undefined): TraceEngine | null {
  return info ? { id: info.id, model: info.model, size: info.size, location: info.location } : null;
}

export function traceTotals(trace: Pick<Trace, 'steps'>): TraceTotals {
  const all = emptyTally();
  const byLocation: TraceTotals['byLocation'] = {};
  let rejected = 0;
  for (const call of modelCalls(trace)) {
    addCall(all, call);
    addCall((byLocation[call.engine.location] ??= emptyTally()), call);
    if (call.rejected) rejected += 1;
  }
  return {
    modelCalls: all.calls,
    promptTokens: all.promptTokens,
    outputTokens: all.outputTokens,
    rejected,
    byLocation,
  };
}

/** What a step says; the rest of a TraceStep has defaults (see `TraceRecorder.record`). */
export type StepFields = Pick<TraceStep, 'kind' | 'label' | 'startedAt'> &
  Partial<Omit<TraceStep, 'index' | 'kind' | 'label' | 'startedAt'>>;

/** A model call's part of a step: where it ran, its tokens and speed, how it ended and what it said. */
export function completionFields(
  info: EngineInfo,
  completion: ChatCompletion,
): Pick<TraceStep, 'engine' | 'promptTokens' | 'outputTokens' | 'finishReason' | 'speed' | 'raw'> {
  return {
    engine: traceEngine(info),
    promptTokens: completion.usage.prompt_tokens,
    outputTokens: completion.usage.completion_tokens,
    finishReason: completion.choices[0].finish_reason,
    speed: callSpeed(completion.usage),
    raw: completion.choices[0].message.content,
  };
}

/** Builds a trace step by step; `onStep` lets the UI show the run live. */
export class TraceRecorder {
  readonly trace: Trace;
  #now: () => number;
  #onStep: ((step: TraceStep) => void) | undefined;

  constructor(
    init: Pick<Trace, 'id' | 'job' | 'instruction' | 'engine' | 'fallback'>,
    now: () => number,
    onStep?: (step: TraceStep) => void,
  ) {
    this.#now = now;
    this.#onStep = onStep;
    this.trace = { ...init, startedAt: now(), finishedAt: null, outcome: 'running', steps: [] };
  }

  now(): number {
    return this.#now();
  }

  /**
   * Records a step that began at `startedAt` and ends now. Only what happened is given; every other
   * field takes its "nothing happened" value (no engine, no tokens, no gates, no call), so a step is
   * built in this one place.
   */
  record(fields: StepFields): TraceStep {
    const step: TraceStep = {
      index: this.trace.steps.length,
      engine: null,
      attempt: 0,
      repairOf: null,
      escalated: false,
      promptTokens: 0,
      outputTokens: 0,
      finishReason: null,
      speed: null,
      raw: '',
      gates: [],
      repairs: [],
      call: null,
      result: null,
      error: null,
      ...fields,
      durationMs: fields.durationMs ?? this.#now() - fields.startedAt,
    };
    this.trace.steps.push(step);
    this.#onStep?.(step);
    return step;
  }

  /** Records a deterministic step (no engine) that took from `startedAt` until now. */
  tool(kind: TraceStepKind, label: string, startedAt: number, result: unknown, error: string | null = null): TraceStep {
    return this.record({ kind, label, startedAt, result, error });
  }

  finish(outcome: string): Trace {
    this.trace.finishedAt = this.#now();
    this.trace.outcome = outcome;
    return this.trace;
  }
}

/** The trace as a downloadable JSON document. */
export function traceToJson(trace: Trace): string {
  return JSON.stringify({ format: 'sift-trace', version: 1, ...trace, totals: traceTotals(trace) }, null, 2);
}
