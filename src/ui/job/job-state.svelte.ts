/**
 * One newsletter run, from the pasted input to the table: the stages a person watches, cancel, and
 * the finished run whose rows the table shows. The pipeline itself is the agent's `runNewsletterJob`
 * (rules decide the sure cases, the model judges the uncertain ones); this class shows the stages it
 * reports and keeps what it returns. The rows live in one place, `run`: adding a company to the CRM
 * or an Ask's write changes them there, and every change is saved to history.
 */
import type { NewsletterResult } from '../../core/agent/newsletter-job.ts';
import { crmFields, promotedRow, type ResultRow } from '../../core/agent/result-row.ts';
import { correctionNote } from '../../core/corrections/correction.ts';
import type { Correction, CorrectionBasis, CorrectionKind } from '../../core/corrections/correction.ts';
import type { ToolState } from '../../core/agent/tools.ts';
import type { Trace, TraceStep } from '../../core/agent/trace.ts';
import type { Company, CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import { NewestRun } from '../../core/newest-run.ts';
import type { SavedRun } from '../../storage/history.ts';
import { rowsAfterAsk } from '../ask/rows-after-ask.ts';
import { addRowToCrm } from '../results/add-to-crm.ts';
import type { JobPorts } from './job-ports.ts';
import { describeInput, inputIsEmpty, type NewsletterInput } from './newsletter-input.ts';
import {
  NOTHING_TO_READ,
  PREPARING_MODEL,
  count,
  modelReadyDetail,
  readingDetail,
  type StageId,
} from './stage-wording.ts';
import { StageList, type Stage } from './stages.svelte.ts';
import { messageOf } from '../../core/text/error-message.ts';

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export type RunMode = SavedRun['mode'];

/** A finished run, exactly as history saves it. */
export type FinishedRun = SavedRun;

/** Where finished runs, and each later change to their rows, are kept (history in the app). */
export interface RunArchive {
  save(run: FinishedRun): Promise<void>;
}

export interface JobDeps {
  clock?: () => number;
  newId?: () => string;
  /** The app's ports, fetched for each run (and for a reopened run's CRM). */
  ports?: () => Promise<JobPorts>;
  history?: RunArchive;
  /** A problem the user must hear about that is not the run's own failure (history not saved). */
  report?: (message: string) => void;
  /** Where the person's corrections are recorded (src/ui/corrections); without it the table offers none. */
  corrections?: CorrectionLog;
}

/** Records a correction of a row and returns it; throws with the reason when it could not be saved. */
export interface CorrectionLog {
  record(kind: CorrectionKind, basis: CorrectionBasis, source: string, newName?: string): Promise<Correction>;
}

/** A row saved before rows carried their correction basis: its domain and name are all there is. */
function basisOf(row: ResultRow): CorrectionBasis {
  return row.correction ?? { domain: row.domain, name: row.name, sender: '', features: [], score: row.confidence };
}

/** The agent (and its schemas) loads on the first run, not with the first screen. */
let agentModule: Promise<typeof import('../../core/agent/newsletter-job.ts')> | undefined;
const loadAgent = () => (agentModule ??= import('../../core/agent/newsletter-job.ts'));

/** Stands in when no CRM is set up: it knows no company, so every row is new. */
export const NO_CRM: CrmBackend = {
  label: 'no CRM',
  matchMany: async (queries: MatchQuery[]): Promise<MatchResult[]> =>
    queries.map(() => ({ status: 'not-in-crm', company: null, evidence: [] })),
  add: () => Promise.reject(new Error('No CRM is set up: import or add companies in the CRM view first.')),
  tag: () => Promise.reject(new Error('No CRM is set up.')),
};

/** Rows keep the newsletter's order: their ids are `L<n>` in document order. */
const rowOrder = (row: ResultRow) => Number(row.id.slice(1)) || 0;

export class NewsletterJob {
  status = $state<RunStatus>('idle');
  readonly progress = new StageList();
  mode = $state<RunMode>('tools-only');
  warnings = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  /** Every tool run and model call of the current run, live. */
  trace = $state.raw<Trace | null>(null);
  traceSteps = $state.raw<TraceStep[]>([]);
  /** The finished run as it was saved (or reopened from history): the one place its rows live. */
  run = $state.raw<FinishedRun | null>(null);
  rows = $derived<readonly ResultRow[]>(this.run?.rows ?? []);
  /** Uncertain links not accepted: the table's collapsed "Maybe" group, each promotable or dismissable. */
  maybe = $derived<readonly ResultRow[]>(this.run?.maybe ?? []);
  /** Links the rules turned down outright, listed in the trace: the person may say one is a startup after all. */
  turnedDown = $derived<readonly ResultRow[]>(this.run?.turnedDown ?? []);
  /** Every link the model or the rules turned down, in the newsletter's order: what the trace lists. */
  turnedDownLinks = $derived<readonly ResultRow[]>(
    [...this.maybe, ...this.turnedDown].sort((a, b) => rowOrder(a) - rowOrder(b)),
  );
  /** Where "Add" writes for the run shown; null when no CRM is set up. */
  crm = $state.raw<CrmBackend | null>(null);
  running = $derived(this.status === 'running');
  /** What a screen reader hears: one line that changes as the run moves on. */
  announcement = $derived(this.#announce());

  #runs = new NewestRun();
  /** The finished run's tool state and the input it read: Ask starts from it on the same newsletter. */
  #toolState: { input: NewsletterInput; state: ToolState } | null = null;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #deps: JobDeps;

  constructor(deps: JobDeps = {}) {
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
  }

  get stages(): Stage[] {
    return this.progress.list;
  }

  stage(id: StageId): Stage {
    return this.progress.get(id);
  }

  /** The ports a run uses; Ask about the same newsletter uses the same ones. */
  ports(): Promise<JobPorts> {
    if (!this.#deps.ports) return Promise.reject(new Error('This newsletter job has no ports to run with.'));
    return this.#deps.ports();
  }

  /** The finished run's tool state when it read this same input, for Ask to start from. */
  toolStateFor(input: NewsletterInput): ToolState | null {
    return this.#toolState && this.#toolState.input === input ? this.#toolState.state : null;
  }

  /**
   * Runs the whole job and saves the finished run to history. The newest call wins: starting again
   * cancels the previous run, and a cancelled run's late results are dropped. Resolves with the
   * finished run, or null when it was cancelled or failed (the reason is in `error`).
   */
  async start(input: NewsletterInput, ports?: JobPorts): Promise<FinishedRun | null> {
    this.cancel();
    const ticket = this.#runs.start();
    const current = ticket.isCurrent;
    const { signal } = ticket;

    this.#clear();
    this.status = 'running';
    const startedAt = this.#clock();

    try {
      this.progress.begin('reading');
      if (inputIsEmpty(input)) throw new Error(NOTHING_TO_READ);
      const [{ runNewsletterJob }, used] = await Promise.all([loadAgent(), ports ?? this.#portsForRun()]);
      if (!current()) return null;
      this.crm = used.crm;
      this.progress.finish('reading', readingDetail(input));

      this.progress.begin('model', PREPARING_MODEL);
      const engines = await used.engines(signal, ({ text, progress }) => {
        if (current()) this.progress.progress('model', text, progress);
      });
      if (!current()) return null;
      this.mode = engines.primary || engines.fallback ? 'model' : 'tools-only';
      this.progress.wait('model', modelReadyDetail(engines));

      const result: NewsletterResult = await runNewsletterJob({
        engines,
        signal,
        now: this.#clock,
        runId: `newsletter-${ticket.id}`,
        ports: {
          extractLinks: () => used.extractLinks(input, signal),
          crm: used.crm ?? NO_CRM,
          // The newsletter job never writes; a write could only come from the table, after a confirm.
          confirm: async () => false,
        },
        onStep: (step) => {
          if (current()) this.traceSteps = [...this.traceSteps, step];
        },
        onStage: (event) => {
          if (!current()) return;
          if (event.stage === 'links' && event.status === 'done') this.warnings = event.warnings;
          this.progress.show(event, used.crm !== null);
        },
      });
      if (!current()) return null;

      this.trace = result.trace;
      const finished: FinishedRun = {
        id: this.#newId(),
        title: describeInput(input),
        startedAt,
        finishedAt: this.#clock(),
        mode: this.mode,
        report: {
          format: result.report.format,
          warnings: result.report.warnings,
          stats: result.report.stats,
          linkCount: result.report.links.length,
        },
        rows: result.rows,
        maybe: result.maybe,
        turnedDown: result.turnedDown,
        trace: result.trace,
      };
      this.run = finished;
      this.#toolState = { input, state: result.state };
      this.status = 'done';
      await this.#save(finished, 'This run was not saved to history');
      return finished;
    } catch (error) {
      if (!current()) return null;
      this.#fail(error);
      return null;
    } finally {
      this.#runs.end(ticket);
    }
  }

  /** Stops the run now; the worker doing the work is terminated by its owner. */
  cancel(): void {
    if (!this.#runs.cancel()) return;
    this.progress.cancelRunning();
    this.status = 'cancelled';
  }

  /** Shows a past run again (from history) without running anything. */
  reopen(run: FinishedRun): void {
    this.cancel();
    this.progress.reset();
    this.warnings = run.report.warnings;
    this.mode = run.mode;
    this.error = null;
    this.trace = isTrace(run.trace) ? run.trace : null;
    this.traceSteps = [];
    this.run = run;
    this.#toolState = null;
    this.status = 'done';
    // A reopened table still needs to know where "Add" would write.
    if (this.#deps.ports) {
      this.#deps.ports().then(
        (ports) => (this.crm = ports.crm),
        (error: unknown) => this.#deps.report?.(`Your CRM could not be reached: ${messageOf(error)}`),
      );
    }
  }

  /**
   * Writes a row's company to the CRM (the user confirmed it) and marks the row as in the CRM.
   * Throws with the reason when the write fails; the row is then unchanged.
   */
  async addToCrm(row: ResultRow): Promise<ResultRow> {
    if (!this.crm) throw new Error('No CRM is set up: add one in the CRM view first.');
    const updated = await addRowToCrm(this.crm, row);
    this.#changeRows(this.rows.map((known) => (known.id === updated.id ? updated : known)));
    return updated;
  }

  /** Moves a "Maybe" row into the table as a startup the person chose. */
  promote(id: string): void {
    const picked = this.maybe.find((row) => row.id === id);
    if (!picked) return;
    this.#changeRows(
      [...this.rows, promotedRow(picked)].sort((a, b) => rowOrder(a) - rowOrder(b)),
      this.maybe.filter((row) => row.id !== id),
    );
  }

  /** Drops a "Maybe" row: the person says it is not a startup. */
  dismissMaybe(id: string): void {
    this.#changeRows(
      [...this.rows],
      this.maybe.filter((row) => row.id !== id),
    );
  }

  /** The person says a table row is not a startup: Sift learns it and the row moves to "Maybe" with that reason. */
  async markNotStartup(id: string): Promise<void> {
    const row = this.rows.find((known) => known.id === id);
    if (!row || !this.run) return;
    const correction = await this.#corrections().record('not-startup', basisOf(row), this.#source());
    const demoted: ResultRow = {
      ...row,
      decidedBy: 'your correction',
      reason: `Not a startup: ${correctionNote(correction)}.`,
    };
    this.#changeRows(
      this.rows.filter((known) => known.id !== id),
      [...this.maybe, demoted].sort((a, b) => rowOrder(a) - rowOrder(b)),
    );
  }

  /**
   * The person says a link Sift turned down is a startup (a "Maybe" row, or a link the rules turned down that the
   * trace lists): Sift learns it and the row moves into the table. A link the rules turned down was never matched
   * against the CRM, so it is matched first; when the match or the correction fails, nothing moves.
   */
  async markStartup(id: string): Promise<void> {
    const fromMaybe = this.maybe.find((known) => known.id === id);
    const row = fromMaybe ?? this.turnedDown.find((known) => known.id === id);
    if (!row) return;
    const checked = fromMaybe ? row : await this.#matchInCrm(row);
    const correction = await this.#corrections().record('is-startup', basisOf(row), this.#source());
    const promoted = { ...promotedRow(checked), reason: `A startup: ${correctionNote(correction)}.` };
    this.#changeRows(
      [...this.rows, promoted].sort((a, b) => rowOrder(a) - rowOrder(b)),
      this.maybe.filter((known) => known.id !== id),
      this.turnedDown.filter((known) => known.id !== id),
    );
  }

  /** The row with its CRM match (as the run would have found it had the link been a candidate). */
  async #matchInCrm(row: ResultRow): Promise<ResultRow> {
    if (!this.crm) return row;
    let match: MatchResult | undefined;
    try {
      [match] = await this.crm.matchMany([{ domain: row.domain, name: row.name }]);
    } catch (error) {
      throw new Error(`${row.name} could not be checked against ${this.crm.label}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return { ...row, ...crmFields(match) };
  }

  /** The person gives a row's company its right name; later runs use it for the same link. */
  async rename(id: string, name: string): Promise<void> {
    const row = this.rows.find((known) => known.id === id);
    if (!row || !name.trim() || name.trim() === row.name) return;
    await this.#corrections().record('rename', basisOf(row), this.#source(), name);
    this.#changeRows(this.rows.map((known) => (known.id === id ? { ...known, name: name.trim() } : known)));
  }

  #corrections(): CorrectionLog {
    if (!this.#deps.corrections) throw new Error('Corrections are not available here.');
    return this.#deps.corrections;
  }

  #source(): string {
    return `results table: ${this.run?.title ?? 'a newsletter'}`;
  }

  /** A company an Ask wrote: rows of that company now say they are in the CRM. */
  companyWritten(company: Company, crmLabel: string): void {
    const changed = rowsAfterAsk(this.rows, [company], crmLabel);
    if (changed.length > 0) {
      this.#changeRows(this.rows.map((row) => changed.find((next) => next.id === row.id) ?? row));
    }
  }

  reset(): void {
    this.cancel();
    this.#clear();
    this.status = 'idle';
  }

  /** Nothing of the last run is shown any more. */
  #clear(): void {
    this.progress.reset();
    this.warnings = [];
    this.error = null;
    this.trace = null;
    this.traceSteps = [];
    this.run = null;
    this.#toolState = null;
  }

  async #portsForRun(): Promise<JobPorts> {
    try {
      return await this.ports();
    } catch (error) {
      throw new Error(`The run could not start: ${messageOf(error)}`, { cause: error });
    }
  }

  #changeRows(
    rows: ResultRow[],
    maybe: readonly ResultRow[] = this.maybe,
    turnedDown: readonly ResultRow[] = this.turnedDown,
  ): void {
    if (!this.run) return;
    this.run = {
      ...this.run,
      rows,
      maybe: [...maybe],
      ...(this.run.turnedDown ? { turnedDown: [...turnedDown] } : {}),
    };
    void this.#save(this.run, 'History was not updated');
  }

  async #save(run: FinishedRun, problem: string): Promise<void> {
    if (!this.#deps.history) return;
    try {
      await this.#deps.history.save(run);
    } catch (error) {
      this.#deps.report?.(`${problem}: ${messageOf(error)}`);
    }
  }

  #fail(error: unknown): void {
    const message = messageOf(error);
    this.progress.fail(message);
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
    const stage = this.progress.running();
    return stage ? `${stage.label}. ${stage.detail}` : '';
  }
}

/** A saved trace is shown only when it still has the shape the trace panel reads. */
function isTrace(value: unknown): value is Trace {
  if (typeof value !== 'object' || value === null) return false;
  const trace = value as Partial<Trace>;
  return typeof trace.id === 'string' && typeof trace.outcome === 'string' && Array.isArray(trace.steps);
}
