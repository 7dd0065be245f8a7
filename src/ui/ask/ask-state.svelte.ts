/**
 * One Ask: a plain-language instruction about the current newsletter, planned by the model over the
 * same tools the newsletter job uses. This class holds what the panel shows (status, live trace,
 * answer) and the one write waiting for the user's yes or no. The newest request wins: asking again
 * or cancelling aborts the run, declines any open confirmation and drops late results.
 */
import type { AskResult } from '../../core/agent/ask.ts';
import type { StepEngines } from '../../core/agent/model-step.ts';
import type { ConfirmationRequest, ToolState } from '../../core/agent/tools.ts';
import type { Trace, TraceStep } from '../../core/agent/trace.ts';
import type { Company, CrmBackend } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { NewestRun, type RunTicket } from '../../core/newest-run.ts';
import type { EngineProgress, JobPorts } from '../job/job-ports.ts';
import type { NewsletterJob } from '../job/job-state.svelte.ts';
import type { NewsletterInput } from '../job/newsletter-input.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface AskPorts {
  /** The links of the newsletter being asked about (the tools worker in the app). */
  extractLinks(signal: AbortSignal): Promise<LinkReport>;
  /** Where confirmed writes go: the same CRM the newsletter job checks against. */
  crm: CrmBackend;
  engines(signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<StepEngines>;
  /** The newsletter run's state on this same input, when there is one: its links and companies carry over. */
  previous: ToolState | null;
  /** A write the user confirmed and the CRM accepted, as the company now stands. */
  onWrite?: (company: Company) => void;
}

export type AskStatus = 'idle' | 'preparing' | 'running' | 'answered' | 'undecided' | 'failed' | 'cancelled';

export interface PendingConfirmation {
  request: ConfirmationRequest;
  /** The run number it belongs to: a stale dialog's answer is ignored. */
  run: number;
}

export const NO_MODEL_FOR_ASK =
  'Ask needs a model to plan the tool calls: load the on-device model or switch on a fallback model in Settings. Tools-only mode can build the table but cannot plan.';

/** The agent's Ask loop (and its schemas) loads on the first Ask, not with the first screen. */
let askModules:
  Promise<[typeof import('../../core/agent/ask.ts'), typeof import('../../core/agent/tools.ts')]> | undefined;
const loadAsk = () =>
  (askModules ??= Promise.all([import('../../core/agent/ask.ts'), import('../../core/agent/tools.ts')]));

export class AskState {
  instruction = $state('');
  status = $state<AskStatus>('idle');
  /** What is happening now, in words ("Loading the model: 40%", "Waiting for your confirmation"). */
  detail = $state('');
  answer = $state<string | null>(null);
  /** Why the run stopped without an answer. */
  reason = $state<string | null>(null);
  trace = $state.raw<Trace | null>(null);
  steps = $state.raw<TraceStep[]>([]);
  /** The write waiting for the user; the dialog shows it. */
  pending = $state.raw<PendingConfirmation | null>(null);
  /** Writes the user confirmed and the CRM accepted in the last run. */
  writes = $state(0);
  /** The CRM the confirmation dialog names. */
  crmLabel = $state('your CRM');
  running = $derived(this.status === 'preparing' || this.status === 'running');
  /** The finished trace, or while the run is going a trace of the steps so far (the panel shows both). */
  shownTrace = $derived<Trace | null>(
    this.trace ??
      (this.steps.length > 0
        ? {
            id: 'ask-live',
            job: 'ask',
            instruction: this.instruction,
            engine: this.steps.find((step) => step.engine)?.engine ?? null,
            fallback: null,
            startedAt: this.steps[0]!.startedAt,
            finishedAt: null,
            outcome: 'running…',
            steps: this.steps,
          }
        : null),
  );
  announcement = $derived(this.#announce());

  #runs = new NewestRun();
  #resolvePending: ((yes: boolean) => void) | null = null;

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Asks about the newsletter `input`, with the same ports as the newsletter job and starting from
   * its run when it read this same input. Each confirmed write updates the job's table at once.
   */
  async askAbout(input: NewsletterInput, job: NewsletterJob): Promise<AskResult | null> {
    let ports: JobPorts;
    try {
      ports = await job.ports();
    } catch (error) {
      return this.refuse(`Ask could not start: ${messageOf(error)}`);
    }
    const crm = ports.crm;
    if (!crm) return this.refuse('Ask needs a CRM to look companies up and write to: set one up in the CRM view.');
    this.crmLabel = crm.label;
    return this.run({
      extractLinks: (signal) => ports.extractLinks(input, signal),
      crm,
      engines: ports.engines,
      previous: job.toolStateFor(input),
      onWrite: (company) => job.companyWritten(company, crm.label),
    });
  }

  /**
   * Runs the instruction. Resolves with the agent's result, or null when the run could not start,
   * was cancelled or was replaced by a newer one (the reason is in `reason`).
   */
  async run(ports: AskPorts): Promise<AskResult | null> {
    this.cancel();
    const ticket = this.#runs.start();
    const current = ticket.isCurrent;
    const { signal } = ticket;

    this.answer = null;
    this.reason = null;
    this.trace = null;
    this.steps = [];
    this.writes = 0;
    const instruction = this.instruction.trim();
    if (instruction === '')
      return this.refuse('Type an instruction first, for example “tag the robotics startups newsletter-nov”.');

    this.status = 'preparing';
    this.detail = 'Getting the model ready…';
    try {
      const [[{ runAsk }, { ToolState }], engines] = await Promise.all([
        loadAsk(),
        ports.engines(signal, ({ text }) => {
          if (current()) this.detail = text;
        }),
      ]);
      if (!current()) return null;
      if (!engines.primary && !engines.fallback) return this.refuse(NO_MODEL_FOR_ASK);

      // A fresh state per Ask (earlier calls must not count as repeats), seeded with what the
      // newsletter run already found so the model can start from its links and companies.
      const state = new ToolState();
      if (ports.previous?.report) {
        state.setReport(ports.previous.report);
        for (const [id, company] of ports.previous.companies) state.companies.set(id, company);
      }

      this.status = 'running';
      this.detail = 'The model is planning the first step…';
      const result = await runAsk({
        instruction,
        engines,
        state,
        signal,
        now: this.clock,
        runId: `ask-${ticket.id}`,
        ports: {
          extractLinks: () => ports.extractLinks(signal),
          crm: {
            label: ports.crm.label,
            matchMany: (queries) => ports.crm.matchMany(queries),
            add: async (draft) => this.#wrote(await ports.crm.add(draft), ports, current()),
            tag: async (companyId, tags) => this.#wrote(await ports.crm.tag(companyId, tags), ports, current()),
          },
          confirm: (request) => this.#confirm(request, ticket),
        },
        onStep: (step) => {
          if (!current()) return;
          this.steps = [...this.steps, step];
          this.detail = step.call ? `${step.label}: ${step.call.tool}` : step.label;
        },
      });
      if (!current()) return null;
      this.trace = result.trace;
      this.answer = result.answer;
      this.reason = result.reason;
      this.status = result.outcome === 'answered' ? 'answered' : result.outcome === 'failed' ? 'failed' : 'undecided';
      this.detail = '';
      return result;
    } catch (error) {
      if (!current()) return null;
      return this.refuse(messageOf(error));
    } finally {
      this.#runs.end(ticket);
    }
  }

  /**
   * The user's answer to the open confirmation. Only a yes to the current run's request writes;
   * `to` names the question the dialog showed, so an answer to one already replaced is ignored.
   */
  respond(yes: boolean, to?: PendingConfirmation): void {
    if (to && to !== this.pending) return;
    const resolve = this.#resolvePending;
    this.#resolvePending = null;
    this.pending = null;
    resolve?.(yes);
  }

  /** Stops the run now; an open confirmation counts as declined. */
  cancel(): void {
    this.respond(false);
    if (!this.#runs.cancel()) return;
    this.status = 'cancelled';
    this.detail = '';
    this.reason = 'Cancelled.';
  }

  #wrote(company: Company, ports: AskPorts, current: boolean): Company {
    // The CRM has it whether or not the run is still current: the table must say so either way.
    ports.onWrite?.(company);
    if (current) this.writes += 1;
    return company;
  }

  #confirm(request: ConfirmationRequest, ticket: RunTicket): Promise<boolean> {
    if (!ticket.isCurrent()) return Promise.resolve(false);
    // Only one write is ever asked at a time; an older question still open is declined.
    this.respond(false);
    this.detail = 'Waiting for your confirmation…';
    return new Promise<boolean>((resolve) => {
      this.#resolvePending = (yes) => resolve(yes && ticket.isCurrent());
      this.pending = { request, run: ticket.id };
    });
  }

  /** Ends the Ask before it starts (no CRM, no model), with the reason in words. */
  refuse(reason: string): null {
    this.cancel();
    this.status = 'failed';
    this.answer = null;
    this.reason = reason;
    this.detail = '';
    return null;
  }

  #announce(): string {
    switch (this.status) {
      case 'idle':
        return '';
      case 'preparing':
      case 'running':
        return this.detail;
      case 'answered':
        return `Done${this.writes ? `, ${this.writes} ${this.writes === 1 ? 'change' : 'changes'} written to the CRM` : ''}.`;
      case 'undecided':
        return `Stopped without an answer: ${this.reason ?? 'unknown reason'}`;
      case 'failed':
        return `Ask could not finish: ${this.reason ?? 'unknown error'}`;
      case 'cancelled':
        return 'Ask cancelled.';
    }
  }
}

export const askState = new AskState();
