/**
 * One newsletter run, from the pasted input to the table: the stages a person watches (reading,
 * links, CRM, model), their live counts, cancel, and the rows. The pipeline itself is the agent's
 * `runNewsletterJob` (rules decide the sure cases, the model judges the uncertain ones); this class
 * watches it through its ports and trace. The tools, the CRM and the engines come in as ports, so
 * the same class runs against the real workers in the app and against plain objects in its test.
 */
import type { NewsletterStageEvent } from '../../core/agent/job-stages.ts';
import type { NewsletterResult } from '../../core/agent/newsletter-job.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';
import type { StepEngines } from '../../core/agent/model-step.ts';
import type { ToolState } from '../../core/agent/tools.ts';
import type { Trace, TraceStep } from '../../core/agent/trace.ts';
import type { CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { NewestRun } from '../../core/newest-run.ts';
import type { SavedRun } from '../../storage/history.ts';
import { describeInput, inputIsEmpty, type NewsletterInput } from './newsletter-input.ts';
import {
  NO_CRM_SET_UP,
  NOTHING_TO_READ,
  PREPARING_MODEL,
  STAGE_LABELS,
  TOOLS_ONLY,
  count,
  crmDetail,
  crmRunningDetail,
  linksDetail,
  modelDetail,
  modelReadyDetail,
  modelRunningDetail,
  readingDetail,
  type StageId,
} from './stage-wording.ts';

export type StageStatus = 'waiting' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

export interface Stage {
  id: StageId;
  label: string;
  status: StageStatus;
  /** Live counts in words ("42 links, 9 look like startups"). */
  detail: string;
  /** 0..1 when the stage can tell (a model download), else null. */
  progress: number | null;
}

export interface EngineProgress {
  text: string;
  progress: number | null;
}

export interface JobPorts {
  extractLinks(input: NewsletterInput, signal: AbortSignal): Promise<LinkReport>;
  /** Null when no CRM is set up yet: every row is then "new". Written to only after the user confirms. */
  crm: CrmBackend | null;
  /**
   * The engines for the model step, once ready (a model may need loading first, with progress).
   * Both null means tools-only mode: the deterministic ranking decides.
   */
  engines(signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<StepEngines>;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export type RunMode = SavedRun['mode'];

/** A finished run, exactly as history saves it. */
export type FinishedRun = SavedRun;

/** The agent (and its schemas) loads on the first run, not with the first screen. */
let agentModule: Promise<typeof import('../../core/agent/newsletter-job.ts')> | undefined;
const loadAgent = () => (agentModule ??= import('../../core/agent/newsletter-job.ts'));

function freshStages(): Stage[] {
  return (['reading', 'links', 'crm', 'model'] as const).map((id) => ({
    id,
    label: STAGE_LABELS[id],
    status: 'waiting',
    detail: '',
    progress: null,
  }));
}

/** Stands in when no CRM is set up: it knows no company, so every row is new. */
export const NO_CRM: CrmBackend = {
  label: 'no CRM',
  matchMany: async (queries: MatchQuery[]): Promise<MatchResult[]> =>
    queries.map(() => ({ status: 'not-in-crm', company: null, evidence: [] })),
  add: () => Promise.reject(new Error('No CRM is set up: import or add companies in the CRM view first.')),
  tag: () => Promise.reject(new Error('No CRM is set up.')),
};

export class NewsletterJob {
  status = $state<RunStatus>('idle');
  stages = $state<Stage[]>(freshStages());
  mode = $state<RunMode>('tools-only');
  rows = $state.raw<ResultRow[]>([]);
  warnings = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  /** Every tool run and model call of the current run, live. */
  trace = $state.raw<Trace | null>(null);
  traceSteps = $state.raw<TraceStep[]>([]);
  /** The finished run as it was saved (or reopened from history). */
  run = $state.raw<FinishedRun | null>(null);
  /** The finished run's tool state and the input it read: Ask starts from it on the same newsletter. */
  toolState = $state.raw<{ input: NewsletterInput; state: ToolState } | null>(null);
  running = $derived(this.status === 'running');
  /** What a screen reader hears: one line that changes as the run moves on. */
  announcement = $derived(this.#announce());

  #runs = new NewestRun();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  stage(id: StageId): Stage {
    return this.stages.find((stage) => stage.id === id)!;
  }

  /**
   * Runs the whole job. The newest call wins: starting again cancels the previous run, and a
   * cancelled run's late results are dropped. Resolves with the finished run, or null when it
   * was cancelled or failed (the reason is in `error`).
   */
  async start(input: NewsletterInput, ports: JobPorts): Promise<FinishedRun | null> {
    this.cancel();
    const ticket = this.#runs.start();
    const current = ticket.isCurrent;
    const { signal } = ticket;

    this.status = 'running';
    this.stages = freshStages();
    this.rows = [];
    this.warnings = [];
    this.error = null;
    this.run = null;
    this.toolState = null;
    this.trace = null;
    this.traceSteps = [];
    const startedAt = this.clock();
    let stageId: StageId = 'reading';

    try {
      this.#begin('reading');
      if (inputIsEmpty(input)) throw new Error(NOTHING_TO_READ);
      const { runNewsletterJob } = await loadAgent();
      if (!current()) return null;
      this.#finish('reading', readingDetail(input));

      stageId = 'model';
      this.#begin('model', PREPARING_MODEL);
      const engines = await ports.engines(signal, ({ text, progress }) => {
        if (!current()) return;
        const stage = this.stage('model');
        stage.detail = text;
        stage.progress = progress;
      });
      if (!current()) return null;
      this.mode = engines.primary || engines.fallback ? 'model' : 'tools-only';
      const modelStage = this.stage('model');
      modelStage.status = 'waiting';
      modelStage.progress = null;
      modelStage.detail = modelReadyDetail(engines);

      const result: NewsletterResult = await runNewsletterJob({
        engines,
        signal,
        now: this.clock,
        runId: `newsletter-${ticket.id}`,
        ports: {
          extractLinks: () => ports.extractLinks(input, signal),
          crm: ports.crm ?? NO_CRM,
          // The newsletter job never writes; a write could only come from the table, after a confirm.
          confirm: async () => false,
        },
        onStep: (step) => {
          if (current()) this.traceSteps = [...this.traceSteps, step];
        },
        onStage: (event) => {
          if (!current()) return;
          // A failure is the failure of the stage that was running (or, after the CRM, of the model check).
          stageId = event.status === 'done' && event.stage === 'crm' ? 'model' : event.stage;
          this.#show(event, ports.crm !== null);
        },
      });
      if (!current()) return null;

      const rows = result.rows;
      this.rows = rows;
      this.trace = result.trace;
      const finished: FinishedRun = {
        id: this.newId(),
        title: describeInput(input),
        startedAt,
        finishedAt: this.clock(),
        mode: this.mode,
        report: {
          format: result.report.format,
          warnings: result.report.warnings,
          stats: result.report.stats,
          linkCount: result.report.links.length,
        },
        rows,
        trace: result.trace,
      };
      this.run = finished;
      this.toolState = { input, state: result.state };
      this.status = 'done';
      return finished;
    } catch (error) {
      if (!current()) return null;
      this.#fail(stageId, error);
      return null;
    } finally {
      this.#runs.end(ticket);
    }
  }

  /** Stops the run now; the worker doing the work is terminated by its owner. */
  cancel(): void {
    if (!this.#runs.cancel()) return;
    for (const stage of this.stages) {
      if (stage.status === 'running') {
        stage.status = 'cancelled';
        stage.progress = null;
      }
    }
    this.status = 'cancelled';
  }

  /** Shows a past run again (from history) without running anything. */
  reopen(run: FinishedRun): void {
    this.cancel();
    this.stages = freshStages();
    this.rows = run.rows;
    this.warnings = run.report.warnings;
    this.mode = run.mode;
    this.error = null;
    this.trace = isTrace(run.trace) ? run.trace : null;
    this.traceSteps = [];
    this.run = run;
    this.toolState = null;
    this.status = 'done';
  }

  /** Replaces one row after the user acted on it (added to the CRM). */
  updateRow(updated: ResultRow): void {
    this.rows = this.rows.map((row) => (row.id === updated.id ? updated : row));
    if (this.run) this.run = { ...this.run, rows: this.rows };
  }

  reset(): void {
    this.cancel();
    this.status = 'idle';
    this.stages = freshStages();
    this.rows = [];
    this.warnings = [];
    this.error = null;
    this.trace = null;
    this.traceSteps = [];
    this.run = null;
    this.toolState = null;
  }

  /** One event of the job as the progress list shows it. */
  #show(event: NewsletterStageEvent, hasCrm: boolean): void {
    switch (event.stage) {
      case 'links':
        if (event.status === 'running') return this.#begin('links');
        this.warnings = event.warnings;
        return this.#finish('links', linksDetail(event.counts));
      case 'crm':
        if (event.status === 'running') return this.#begin('crm', crmRunningDetail(event.checking, event.crm));
        return hasCrm ? this.#finish('crm', crmDetail(event.counts)) : this.#skip('crm', NO_CRM_SET_UP);
      case 'model':
        if (event.status === 'running') {
          return this.#begin('model', modelRunningDetail(event.calls, event.corrected, event.step));
        }
        return event.status === 'done'
          ? this.#finish('model', modelDetail(event.counts))
          : this.#skip('model', TOOLS_ONLY);
    }
  }

  #begin(id: StageId, detail = ''): void {
    const stage = this.stage(id);
    stage.status = 'running';
    stage.detail = detail;
    stage.progress = null;
  }

  #finish(id: StageId, detail: string): void {
    const stage = this.stage(id);
    stage.status = 'done';
    stage.detail = detail;
    stage.progress = null;
  }

  #skip(id: StageId, detail: string): void {
    const stage = this.stage(id);
    stage.status = 'skipped';
    stage.detail = detail;
    stage.progress = null;
  }

  #fail(id: StageId, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const stage = this.stage(id);
    stage.status = 'failed';
    stage.detail = message;
    stage.progress = null;
    this.error = message;
    this.status = 'failed';
  }

  #announce(): string {
    if (this.status === 'idle') return '';
    if (this.status === 'cancelled') return 'Run cancelled.';
    if (this.status === 'failed') return `The run stopped: ${this.error ?? 'unknown error'}`;
    if (this.status === 'done') {
      const fresh = this.rows.filter((row) => row.status === 'not-in-crm').length;
      return `Done: ${count(this.rows.length, 'startup')}, ${fresh} new.`;
    }
    const stage = this.stages.find((item) => item.status === 'running');
    return stage ? `${stage.label}. ${stage.detail}` : '';
  }
}

/** A saved trace is shown only when it still has the shape the trace panel reads. */
function isTrace(value: unknown): value is Trace {
  if (typeof value !== 'object' || value === null) return false;
  const trace = value as Partial<Trace>;
  return typeof trace.id === 'string' && typeof trace.outcome === 'string' && Array.isArray(trace.steps);
}

export const newsletterJob = new NewsletterJob();
