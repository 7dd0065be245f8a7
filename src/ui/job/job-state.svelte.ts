/**
 * One newsletter run, from the pasted input to the table: the stages a person watches (reading,
 * links, CRM, model), their live counts, cancel, and the rows. The pipeline itself is the agent's
 * `runNewsletterJob` (rules decide the sure cases, the model judges the uncertain ones); this class
 * watches it through its ports and trace. The tools, the CRM and the engines come in as ports, so
 * the same class runs against the real workers in the app and against plain objects in its test.
 */
import type { CandidateSplit, NewsletterResult } from '../../core/agent/newsletter-job.ts';
import type { ResultRow } from '../../core/agent/result-row.ts';
import type { StepEngines } from '../../core/agent/model-step.ts';
import type { ToolState } from '../../core/agent/tools.ts';
import type { Trace, TraceStep } from '../../core/agent/trace.ts';
import type { CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { NewestRun } from '../../core/newest-run.ts';
import type { SavedRun } from '../../storage/history.ts';
import { describeInput, formatBytes, inputIsEmpty, inputSize, type NewsletterInput } from './newsletter-input.ts';

export type StageId = 'reading' | 'links' | 'crm' | 'model';
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

const STAGE_LABELS: Record<StageId, string> = {
  reading: 'Reading the newsletter',
  links: 'Finding and unwrapping links',
  crm: 'Checking the CRM',
  model: 'Model check',
};

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
      if (inputIsEmpty(input)) throw new Error('There is nothing to read yet: paste a newsletter or choose a file.');
      const { runNewsletterJob, splitCandidates } = await loadAgent();
      if (!current()) return null;
      this.#finish('reading', readingDetail(input));

      stageId = 'model';
      this.#begin('model', 'Getting the model ready…');
      const engines = await ports.engines(signal, ({ text, progress }) => {
        if (!current()) return;
        const stage = this.stage('model');
        stage.detail = text;
        stage.progress = progress;
      });
      if (!current()) return null;
      const withModel = Boolean(engines.primary ?? engines.fallback);
      this.mode = withModel ? 'model' : 'tools-only';
      const modelStage = this.stage('model');
      modelStage.status = 'waiting';
      modelStage.progress = null;
      modelStage.detail = withModel ? `${engineLabel(engines)} is ready.` : '';

      const crm = ports.crm ?? NO_CRM;
      let crmCalls = 0;
      let modelCalls = 0;
      let rejected = 0;
      const result: NewsletterResult = await runNewsletterJob({
        engines,
        signal,
        now: this.clock,
        runId: `newsletter-${ticket.id}`,
        ports: {
          extractLinks: async () => {
            stageId = 'links';
            this.#begin('links');
            const report = await ports.extractLinks(input, signal);
            if (current()) {
              this.warnings = report.warnings;
              this.#finish('links', linksDetail(report, splitCandidates(report.links)));
            }
            return report;
          },
          crm: {
            label: crm.label,
            add: (draft) => crm.add(draft),
            tag: (companyId, tags) => crm.tag(companyId, tags),
            matchMany: async (queries) => {
              // The first lookup is the CRM stage; a later one re-checks names the model gave.
              const first = crmCalls++ === 0;
              if (first) {
                stageId = 'crm';
                this.#begin('crm', `Matching ${count(queries.length, 'candidate')} against ${crm.label}…`);
              }
              const matches = await crm.matchMany(queries);
              if (first && current()) {
                if (ports.crm) this.#finish('crm', crmDetail(matches));
                else this.#skip('crm', 'No CRM set up yet: every company shows as new.');
              }
              if (first) stageId = 'model';
              return matches;
            },
          },
          // The newsletter job never writes; a write could only come from the table, after a confirm.
          confirm: async () => false,
        },
        onStep: (step) => {
          if (!current()) return;
          this.traceSteps = [...this.traceSteps, step];
          if (step.engine === null) return;
          modelCalls += 1;
          if (step.gates.some((gate) => !gate.ok)) rejected += 1;
          const stage = this.stage('model');
          stage.status = 'running';
          stage.detail = `${count(modelCalls, 'model call')}${rejected ? `, ${rejected} corrected` : ''} (${step.label})`;
        },
      });
      if (!current()) return null;

      if (withModel) {
        const judged = result.judgements.length;
        const byModel = result.judgements.filter((judgement) => judgement.decidedBy.startsWith('model')).length;
        this.#finish(
          'model',
          judged === 0
            ? 'Nothing uncertain: the rules were sure about every link.'
            : `${count(judged, 'uncertain link')} judged, ${byModel} settled by the model, ${count(modelCalls, 'call')}${rejected ? `, ${rejected} corrected` : ''}.`,
        );
      } else {
        this.#skip('model', 'Tools-only mode: ranked by the link tools, no model.');
      }

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

function engineLabel(engines: StepEngines): string {
  const engine = engines.primary ?? engines.fallback;
  return engine ? engine.info.model : 'No model';
}

function readingDetail(input: NewsletterInput): string {
  const size = formatBytes(inputSize(input));
  if (input.kind === 'file') return `${input.name}, ${size}.`;
  return input.kind === 'html' ? `${size} of pasted HTML (links kept).` : `${size} of pasted text.`;
}

function linksDetail(report: LinkReport, { certain, uncertain }: CandidateSplit): string {
  const unwrapped = report.links.filter((link) => link.tracker !== null).length;
  const parts = [`${count(report.links.length, 'distinct link')} in ${report.stats.ms.toFixed(0)} ms`];
  if (unwrapped > 0) parts.push(`${unwrapped} unwrapped from trackers`);
  parts.push(`${certain.length} sure startups, ${uncertain.length} uncertain`);
  return `${parts.join(', ')}.`;
}

function crmDetail(matches: MatchResult[]): string {
  const inCrm = matches.filter((match) => match.status === 'in-crm').length;
  const possible = matches.filter((match) => match.status === 'possible').length;
  const fresh = matches.length - inCrm - possible;
  return `${inCrm} in the CRM, ${possible} possible, ${fresh} new.`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export const newsletterJob = new NewsletterJob();
