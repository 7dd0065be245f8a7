/**
 * One newsletter run, from the pasted input to the table: the stages a person watches (reading,
 * links, CRM, model), their live counts, cancel, and the rows. The tools, the CRM and the model
 * come in as ports, so the same class runs against the real workers in the app and against
 * plain functions in its unit test.
 */
import type { CrmBackend, MatchResult } from '../../core/crm/types.ts';
import type { LinkCandidate, LinkReport } from '../../core/links/types.ts';
import type { SavedRun } from '../../storage/history.ts';
import { rowFromCandidate, startupCandidates, type ResultRow } from '../results/result-rows.ts';
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

/** The model's decision on one candidate link. */
export interface ModelVerdict {
  linkId: string;
  isStartup: boolean;
  name?: string;
  confidence?: number;
  reason?: string;
}

export interface ModelProgress {
  text: string;
  progress?: number | null;
}

/** The model step: an engine (on-device or fallback) deciding which candidates are startups. */
export interface ModelStep {
  /** Where it runs, for the stage label ("Qwen3 1.7B on this device"). */
  label: string;
  decide(
    report: LinkReport,
    candidates: LinkCandidate[],
    signal: AbortSignal,
    onProgress: (progress: ModelProgress) => void,
  ): Promise<ModelVerdict[]>;
}

export interface JobPorts {
  extractLinks(input: NewsletterInput, signal: AbortSignal): Promise<LinkReport>;
  /** Null when no CRM is set up yet: every row is then "new". Written to only after the user confirms. */
  crm: CrmBackend | null;
  /** Null means tools-only mode: the deterministic ranking decides. */
  model: ModelStep | null;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export type RunMode = 'model' | 'tools-only';

/** A finished run, exactly as history saves it. */
export type FinishedRun = SavedRun;

/** With a model to decide, a wider net of candidates goes to it than the tools alone would keep. */
export const MODEL_CANDIDATE_MIN_SCORE = 0.2;

const STAGE_LABELS: Record<StageId, string> = {
  reading: 'Reading the newsletter',
  links: 'Finding and unwrapping links',
  crm: 'Checking the CRM',
  model: 'Model check',
};

function freshStages(): Stage[] {
  return (['reading', 'links', 'crm', 'model'] as const).map((id) => ({
    id,
    label: STAGE_LABELS[id],
    status: 'waiting',
    detail: '',
    progress: null,
  }));
}

export class NewsletterJob {
  status = $state<RunStatus>('idle');
  stages = $state<Stage[]>(freshStages());
  mode = $state<RunMode>('tools-only');
  rows = $state.raw<ResultRow[]>([]);
  warnings = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  /** The finished run as it was saved (or reopened from history). */
  run = $state.raw<FinishedRun | null>(null);
  running = $derived(this.status === 'running');
  /** What a screen reader hears: one line that changes as the run moves on. */
  announcement = $derived(this.#announce());

  #controller: AbortController | null = null;
  #runCounter = 0;

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
    const controller = new AbortController();
    this.#controller = controller;
    const runNumber = ++this.#runCounter;
    const current = () => runNumber === this.#runCounter && !controller.signal.aborted;
    const { signal } = controller;

    this.status = 'running';
    this.stages = freshStages();
    this.rows = [];
    this.warnings = [];
    this.error = null;
    this.run = null;
    this.mode = ports.model ? 'model' : 'tools-only';
    const startedAt = this.clock();
    let stageId: StageId = 'reading';

    try {
      this.#begin('reading');
      if (inputIsEmpty(input)) throw new Error('There is nothing to read yet: paste a newsletter or choose a file.');
      this.#finish('reading', readingDetail(input));

      stageId = 'links';
      this.#begin('links');
      const report = await ports.extractLinks(input, signal);
      if (!current()) return null;
      this.warnings = report.warnings;
      const candidates = startupCandidates(report, ports.model ? MODEL_CANDIDATE_MIN_SCORE : undefined);
      this.#finish('links', linksDetail(report, candidates.length));

      stageId = 'crm';
      let matches: (MatchResult | undefined)[] = [];
      if (ports.crm && candidates.length > 0) {
        this.#begin('crm', `Matching ${count(candidates.length, 'candidate')} against ${ports.crm.label}…`);
        matches = await ports.crm.matchMany(
          candidates.map((link) => ({ domain: link.domain || null, name: link.name || null })),
        );
        if (!current()) return null;
        this.#finish('crm', crmDetail(matches));
      } else {
        this.#skip('crm', ports.crm ? 'No candidates to check.' : 'No CRM set up yet: every company shows as new.');
      }

      stageId = 'model';
      let rows: ResultRow[];
      if (ports.model && candidates.length > 0) {
        this.#begin('model', `${ports.model.label}: starting…`);
        const verdicts = await ports.model.decide(report, candidates, signal, ({ text, progress }) => {
          if (!current()) return;
          const stage = this.stage('model');
          stage.detail = text;
          stage.progress = progress ?? null;
        });
        if (!current()) return null;
        rows = rowsFromVerdicts(candidates, matches, verdicts);
        this.#finish(
          'model',
          `${count(rows.length, 'startup')} confirmed of ${count(candidates.length, 'candidate')}.`,
        );
      } else {
        rows = candidates.map((link, index) => rowFromCandidate(link, matches[index], 'tools'));
        this.#skip(
          'model',
          ports.model ? 'No candidates for the model.' : 'Tools-only mode: ranked by the link tools, no model.',
        );
      }

      this.rows = rows;
      const finished: FinishedRun = {
        id: this.newId(),
        title: describeInput(input),
        startedAt,
        finishedAt: this.clock(),
        mode: this.mode,
        report: {
          format: report.format,
          warnings: report.warnings,
          stats: report.stats,
          linkCount: report.links.length,
        },
        rows,
      };
      this.run = finished;
      this.status = 'done';
      return finished;
    } catch (error) {
      if (!current()) {
        return null;
      }
      this.#fail(stageId, error);
      return null;
    } finally {
      if (this.#controller === controller) this.#controller = null;
    }
  }

  /** Stops the run now; the worker doing the work is terminated by its owner. */
  cancel(): void {
    const controller = this.#controller;
    if (!controller) return;
    this.#controller = null;
    controller.abort();
    this.#runCounter += 1;
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
    this.run = run;
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
    this.run = null;
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

function rowsFromVerdicts(
  candidates: LinkCandidate[],
  matches: (MatchResult | undefined)[],
  verdicts: ModelVerdict[],
): ResultRow[] {
  const byId = new Map(verdicts.map((verdict) => [verdict.linkId, verdict]));
  const rows: ResultRow[] = [];
  candidates.forEach((link, index) => {
    const verdict = byId.get(link.id);
    // A verdict for a link the tools never extracted cannot reach the table: only real ids match here.
    if (!verdict?.isStartup) return;
    rows.push(
      rowFromCandidate(link, matches[index], 'model', {
        ...(verdict.name === undefined ? {} : { name: verdict.name }),
        ...(verdict.confidence === undefined ? {} : { confidence: verdict.confidence }),
        ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
      }),
    );
  });
  return rows;
}

function readingDetail(input: NewsletterInput): string {
  const size = formatBytes(inputSize(input));
  if (input.kind === 'file') return `${input.name}, ${size}.`;
  return input.kind === 'html' ? `${size} of pasted HTML (links kept).` : `${size} of pasted text.`;
}

function linksDetail(report: LinkReport, candidates: number): string {
  const unwrapped = report.links.filter((link) => link.tracker !== null).length;
  const parts = [`${count(report.links.length, 'distinct link')} in ${report.stats.ms.toFixed(0)} ms`];
  if (unwrapped > 0) parts.push(`${unwrapped} unwrapped from trackers`);
  parts.push(`${candidates} look like startups`);
  return `${parts.join(', ')}.`;
}

function crmDetail(matches: (MatchResult | undefined)[]): string {
  const inCrm = matches.filter((match) => match?.status === 'in-crm').length;
  const possible = matches.filter((match) => match?.status === 'possible').length;
  const fresh = matches.length - inCrm - possible;
  return `${inCrm} in the CRM, ${possible} possible, ${fresh} new.`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export const newsletterJob = new NewsletterJob();
