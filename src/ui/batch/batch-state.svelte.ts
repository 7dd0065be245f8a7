/**
 * Many newsletters at once, as the page sees it: files chosen → senders found (headers only) → the run, whose
 * results are saved as they arrive → one merged table. The worker and IndexedDB come in as ports so the unit test
 * drives the same class with the real batch core in-process and a Map for storage.
 */
import type { StepEngines } from '../../core/agent/model-step.ts';
import {
  BatchJudgements,
  judgeNewsletter,
  matchesById,
  type JudgeCall,
  type NewsletterTally,
  type NewsletterVerdicts,
  type UncertainLinks,
  uncertainMentions,
} from '../../core/batch/batch-judge.ts';
import { continues, markDone, newCheckpoint } from '../../core/batch/checkpoint.ts';
import { sentenceOf } from '../../core/batch/digest.ts';
import { type MergedStartup, type Mention, markNew, StartupMerger } from '../../core/batch/merge.ts';
import { addWork, judgeTimeMs, type MeasuredSpeed, NO_WORK } from '../../core/batch/model-budget.ts';
import { addSeenCompany } from '../../core/crm/newsletter-company.ts';
import type { CrmBackend, MatchResult } from '../../core/crm/types.ts';
import type { PrescanProgress, PrescanSummary, SenderSummary } from '../../core/batch/prescan.ts';
import type { BatchProgress, BatchSummary } from '../../core/batch/runner.ts';
import type { NewsletterMeta } from '../../core/batch/screen.ts';
import { describeOrigin, type BatchFile } from '../../core/batch/types.ts';
import type { BatchEventBatch, BatchRunOptions } from '../../../workers/batch-api.ts';
import {
  BATCH_SCHEMA_VERSION,
  type BatchPart,
  type BatchTally,
  type JudgedPart,
  type LoadedBatch,
  type SavedBatch,
  type SavedNewsletter,
} from '../../storage/batch-runs.ts';
import { messageOf } from '../../core/text/error-message.ts';
import { plural } from '../../core/text/plural.ts';

export interface BatchWorkerPort {
  /** Starts the worker (its code loaded and parsed) before the first file arrives. */
  warm(): Promise<unknown>;
  prescan(
    files: BatchFile[],
    onProgress: (progress: PrescanProgress) => void,
    signal: AbortSignal,
  ): Promise<PrescanSummary>;
  run(
    files: BatchFile[],
    options: BatchRunOptions,
    onEvents: (batch: BatchEventBatch) => Promise<void>,
    signal: AbortSignal,
  ): Promise<BatchSummary>;
}

export interface BatchStoragePort {
  startBatch(batch: SavedBatch): Promise<void>;
  appendToBatch(batch: SavedBatch, part: BatchPart): Promise<void>;
  appendVerdicts(batch: SavedBatch, part: JudgedPart): Promise<void>;
  saveBatchHead(batch: SavedBatch): Promise<void>;
  /** The counts History lists for a batch, saved without touching the rest of its head. */
  saveBatchTally(id: string, tally: BatchTally): Promise<void>;
  latestBatch(): Promise<LoadedBatch | undefined>;
  loadBatch(id: string): Promise<LoadedBatch | undefined>;
  lastCompleteTableKeys(exceptId: string): Promise<{ keys: string[]; at: number } | null>;
  /** The newest benchmark's speeds on this device, for the model's budget line; null when never measured. */
  measuredSpeed(): Promise<MeasuredSpeed | null>;
}

/**
 * The model that judges the unsure links: the same engines a paste's run gets (the on-device model, Chrome's
 * built-in one, the fallback only when the user switched it on).
 */
export interface BatchModelPort {
  /** The model a judging run would use, for its button; or, without one, how to get one. Read reactively. */
  describe(): { model: string } | { reason: string };
  engines(signal: AbortSignal): Promise<StepEngines>;
}

/** Judging in progress: links and newsletters judged of those queued when it started. */
export interface JudgeProgress {
  links: number;
  totalLinks: number;
  newsletters: number;
  totalNewsletters: number;
}

export type BatchPhase = 'idle' | 'scanning' | 'choosing' | 'running' | 'finished';
export type NewSinceMode = 'all' | 'last-batch' | 'date';
export type SortBy = 'mentions' | 'last-seen' | 'name';

/** How a list of files is named: `Inbox.mbox`, or `3 files`. */
export function filesTitle(files: readonly BatchFile[]): string {
  if (files.length === 1) return files[0]!.path || files[0]!.name;
  return `${files.length} files`;
}

/** A newsletter as the queue shows it and the batch store keeps it. */
function queueEntry(
  meta: NewsletterMeta,
  status: SavedNewsletter['status'],
  startups: number,
  notes: string[],
): SavedNewsletter {
  return {
    key: meta.key,
    sender: meta.sender.name || meta.sender.address,
    subject: meta.subject,
    date: meta.date,
    where: describeOrigin(meta.origin),
    status,
    startups,
    notes,
  };
}

/** No model port given: judging says so instead of running. */
const NO_MODEL: BatchModelPort = {
  describe: () => ({ reason: 'No model is set up to judge these links.' }),
  engines: async () => ({ primary: null, fallback: null }),
};

/** Keys read once and never changed: a plain Set, no reactivity needed. */
const keySet = (keys: readonly string[]): ReadonlySet<string> => new Set(keys);
const NO_KEYS = keySet([]);
/** Tallies are replaced whole, never changed in place: a plain Map. */
const NO_TALLIES: ReadonlyMap<string, NewsletterTally> = new Map();

/** Senders whose only sign is a transactional relay are receipts as often as newsletters: unticked until chosen. */
const tickedByDefault = (sender: SenderSummary) => sender.strength !== 'relay';

export class BatchState {
  phase = $state<BatchPhase>('idle');
  files = $state.raw<BatchFile[]>([]);
  scanProgress = $state.raw<PrescanProgress | null>(null);
  scan = $state.raw<PrescanSummary | null>(null);
  /** Sender key → ticked. */
  ticked = $state<Record<string, boolean>>({});
  progress = $state.raw<BatchProgress | null>(null);
  newsletters = $state.raw<SavedNewsletter[]>([]);
  problems = $state.raw<{ where: string; problem: string; fatal: boolean }[]>([]);
  skippedSentences = $state.raw<string[]>([]);
  status = $state<SavedBatch['status'] | null>(null);
  /** The batch a previous visit left unfinished (a cancel, a closed tab): offered to continue. */
  unfinished = $state.raw<SavedBatch | null>(null);
  newSince = $state<NewSinceMode>('all');
  newSinceDate = $state('');
  sortBy = $state<SortBy>('mentions');
  problem = $state('');
  /** Set when the table may be shown: the startups merged so far. */
  merged = $state.raw<MergedStartup[]>([]);
  /** The CRM's answer for each merged row (`MergedStartup.key`), once checked. */
  matches = $state.raw<Record<string, MatchResult>>({});
  crmLabel = $state<string | null>(null);
  crmProblem = $state('');
  crmMessage = $state('');
  /** What judging the links the rules were unsure of would cost the model, across the batch so far. */
  judgeWork = $state.raw(NO_WORK);
  speed = $state.raw<MeasuredSpeed | null>(null);
  /** The unsure links no model has judged yet, and what judging them would cost: the budget line's button. */
  remainingWork = $state.raw(NO_WORK);
  judging = $state.raw<JudgeProgress | null>(null);
  /** Every model call the judging made in this batch: the 2×2 run summary. */
  calls = $state.raw<JudgeCall[]>([]);
  judgeMessage = $state('');
  judgeProblem = $state('');
  /** The batch shown (running, finished or reopened), by id. */
  batchId = $state<string | null>(null);
  /** Each newsletter's startups as the table counts them (`NewsletterMeta.key` → tally), judged ones included. */
  tallies = $state.raw(NO_TALLIES);
  #seenBefore = $state.raw<{ keys: ReadonlySet<string>; at: number } | null>(null);

  #merger = new StartupMerger();
  #controller: AbortController | null = null;
  #judgeController: AbortController | null = null;
  /** The batch shown, as saved: verdicts are appended to it. */
  #batch: SavedBatch | null = null;
  /** What the table is built from: the sure mentions, the unsure links and the verdicts on them. */
  #judgements = new BatchJudgements();

  constructor(
    private readonly worker: BatchWorkerPort,
    private readonly storage: BatchStoragePort,
    /** The CRM the user works with (a connector switched on, else the local one). */
    private readonly crm: () => Promise<Pick<CrmBackend, 'label' | 'matchMany' | 'add'>>,
    readonly model: BatchModelPort = NO_MODEL,
    private readonly now: () => number = Date.now,
  ) {}

  /** Startups not in the CRM that the table marks new: what a bulk add offers. */
  get addable(): MergedStartup[] {
    return this.table.filter(
      (startup) => startup.isNew && (this.matches[startup.key]?.status ?? null) === 'not-in-crm',
    );
  }

  /** One match over the whole table, in the worker that holds the CRM index. */
  async checkCrm(): Promise<void> {
    const rows = this.merged;
    if (rows.length === 0) return;
    try {
      const crm = await this.crm();
      const results = await crm.matchMany(rows.map((startup) => ({ domain: startup.domain, name: startup.name })));
      this.crmLabel = crm.label;
      this.matches = Object.fromEntries(rows.map((startup, index) => [startup.key, results[index]!]));
      this.crmProblem = '';
    } catch (error) {
      this.crmProblem = `The table could not be checked against your CRM: ${messageOf(error)}`;
    }
  }

  /**
   * Adds the startups to the CRM, one by one (the user confirmed the list). Each one added is marked at once;
   * a failure stops there and says which, and the ones before it stay added.
   */
  async addToCrm(startups: readonly MergedStartup[]): Promise<void> {
    this.crmMessage = '';
    this.crmProblem = '';
    const crm = await this.crm();
    let added = 0;
    for (const startup of startups) {
      try {
        const company = await addSeenCompany(crm, {
          name: startup.name,
          url: startup.url,
          domain: startup.domain,
          sentence: sentenceOf(startup),
        });
        this.matches = { ...this.matches, [startup.key]: { status: 'in-crm', company, evidence: [] } };
        added += 1;
      } catch (error) {
        this.crmProblem = `${startup.name} was not added to ${crm.label}: ${messageOf(error)}${added > 0 ? ` The ${added} before it were added.` : ''}`;
        return;
      }
    }
    this.crmMessage =
      added === 1 ? `${startups[0]!.name} was added to ${crm.label}.` : `${added} startups were added to ${crm.label}.`;
  }

  /** Newsletters the run will read: the pre-scan's count less the unticked senders'. */
  get expected(): number {
    if (!this.scan) return 0;
    return this.scan.senders.filter((sender) => this.ticked[sender.key]).reduce((sum, sender) => sum + sender.count, 0);
  }

  /** Whether the chosen files are the unfinished batch's: then "continue" reads only what it did not finish. */
  get canContinue(): boolean {
    return this.unfinished !== null && continues(this.unfinished.checkpoint, this.files);
  }

  get lastBatchAt(): number | null {
    return this.#seenBefore?.at ?? null;
  }

  /** The merged table with "new" marked by the chosen rule, in the chosen order. */
  get table(): MergedStartup[] {
    const rule =
      this.newSince === 'last-batch'
        ? { seenKeys: this.#seenBefore?.keys ?? NO_KEYS }
        : this.newSince === 'date' && this.newSinceDate
          ? { since: this.newSinceDate }
          : {};
    const marked = markNew(this.merged, rule);
    if (this.sortBy === 'name') return marked.sort((a, b) => a.name.localeCompare(b.name));
    if (this.sortBy === 'last-seen') return marked.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
    return marked;
  }

  /** The model's budget for what is left to judge: ms at the measured speed, or null when never measured here. */
  get judgeMs(): number | null {
    return judgeTimeMs(this.remainingWork, this.speed);
  }

  get running(): boolean {
    return this.phase === 'scanning' || this.phase === 'running' || this.judging !== null;
  }

  /** The batch being read or judged now: it must not be deleted or reopened under the run's feet. */
  get busyId(): string | null {
    return this.phase === 'running' || this.judging !== null ? this.batchId : null;
  }

  /**
   * The model judges the links the rules were unsure of, one newsletter at a time, through the newsletter job's
   * own judge stage. Each newsletter's verdicts are saved as soon as it is judged, so a cancel or a closed tab
   * keeps them; a newsletter cut off half-way keeps the rules' call and is judged again next time.
   */
  async judge(): Promise<void> {
    const batch = this.#batch;
    if (!batch || this.running || this.phase !== 'finished') return;
    const queue = this.#judgements.pending();
    if (queue.length === 0) return;
    this.judgeMessage = '';
    this.judgeProblem = '';
    const controller = (this.#judgeController = new AbortController());
    const { signal } = controller;
    const progress: JudgeProgress = {
      links: 0,
      totalLinks: queue.reduce((sum, pending) => sum + pending.links.length, 0),
      newsletters: 0,
      totalNewsletters: queue.length,
    };
    this.judging = { ...progress };
    try {
      const engines = await this.model.engines(signal);
      const engine = engines.primary ?? engines.fallback;
      if (!engine) {
        const described = this.model.describe();
        this.judgeProblem = 'reason' in described ? described.reason : 'No model is ready to judge these links.';
        return;
      }
      const crm = await this.crm();
      for (const pending of queue) {
        if (signal.aborted) break;
        const found = await crm.matchMany(pending.links.map((link) => ({ domain: link.domain, name: link.name })));
        const matches = matchesById(pending.links, found);
        let verdicts: NewsletterVerdicts;
        try {
          verdicts = await judgeNewsletter(pending, { engines, matches, signal, now: this.now });
        } catch (error) {
          if (signal.aborted) break;
          throw error;
        }
        await this.storage.appendVerdicts(batch, { verdicts: [verdicts] });
        this.#judgements.judged(verdicts);
        this.calls = [...this.calls, ...verdicts.calls];
        progress.links += pending.links.length;
        progress.newsletters += 1;
        this.judging = { ...progress };
        this.#rebuild();
        // "New since the last batch" compares with the judged table; the next save carries these keys.
        if (batch.status === 'complete') batch.tableKeys = this.merged.map((startup) => startup.key);
      }
      if (progress.newsletters > 0) await this.storage.saveBatchHead(batch);
      this.judgeMessage = signal.aborted
        ? `Judging stopped after ${progress.links.toLocaleString()} of ${progress.totalLinks.toLocaleString()} links; the rest keep the rules’ call and can be judged later.`
        : `${engine.info.model} judged ${plural(progress.links, 'link', 'links')} in ${plural(progress.newsletters, 'newsletter', 'newsletters')}.`;
    } catch (error) {
      this.judgeProblem = signal.aborted
        ? ''
        : `Judging stopped: ${messageOf(error)} The ${progress.links.toLocaleString()} links judged before it are kept.`;
    } finally {
      this.#judgeController = null;
      this.judging = null;
      this.#refreshRemaining();
    }
    await this.checkCrm();
    await this.#recordTally();
  }

  /** On opening the page: the newest batch's table comes back, and an unfinished one is offered to continue. */
  async load(): Promise<void> {
    // The first results of a drop should not wait for the worker's code to load.
    void this.worker.warm().catch(() => undefined);
    try {
      const latest = await this.storage.latestBatch();
      if (!latest || this.phase !== 'idle') return;
      await this.#present(latest);
    } catch (error) {
      this.problem = `Your last batch could not be read: ${messageOf(error)}`;
    }
  }

  /** A batch chosen in History: its table, its newsletters and its verdicts; an unfinished one offers to continue. */
  async open(id: string): Promise<void> {
    if (this.running) {
      this.problem = 'A batch is being read or judged here: stop it before opening another.';
      return;
    }
    try {
      const loaded = await this.storage.loadBatch(id);
      if (!loaded) {
        this.problem = 'That batch could not be opened: it was deleted or its saved data is damaged.';
        return;
      }
      await this.#present(loaded);
    } catch (error) {
      this.problem = `That batch could not be opened: ${messageOf(error)}`;
    }
  }

  /** The batch was deleted (from History): if it is the one shown, the view empties and never writes to it again. */
  forget(id: string): void {
    if (this.batchId !== id || this.busyId !== null) return;
    this.#batch = null;
    this.batchId = null;
    this.#clearTable();
    this.unfinished = null;
    this.status = null;
    this.progress = null;
    this.phase = this.phase === 'finished' ? 'idle' : this.phase;
  }

  /** New files: their senders are found from the headers alone, before anything is read. */
  async choose(files: BatchFile[]): Promise<void> {
    if (this.running) return;
    if (files.length === 0) return;
    // A drop's order is the browser's: sorted, the same files give the same checkpoint fingerprint every time.
    this.files = [...files].sort((a, b) => (a.path || a.name).localeCompare(b.path || b.name));
    files = this.files;
    this.scan = null;
    this.scanProgress = null;
    this.problem = '';
    this.phase = 'scanning';
    const controller = (this.#controller = new AbortController());
    try {
      const scan = await this.worker.prescan(files, (progress) => (this.scanProgress = progress), controller.signal);
      this.scan = scan;
      this.ticked = Object.fromEntries(scan.senders.map((sender) => [sender.key, tickedByDefault(sender)]));
      this.phase = scan.complete ? 'choosing' : 'idle';
      if (!scan.complete) this.problem = 'Reading the senders was cancelled. Choose the files again to start over.';
    } catch (error) {
      this.phase = 'idle';
      this.problem = `These files could not be read: ${messageOf(error)}`;
    } finally {
      this.#controller = null;
    }
  }

  setAll(ticked: boolean): void {
    if (!this.scan) return;
    this.ticked = Object.fromEntries(this.scan.senders.map((sender) => [sender.key, ticked]));
  }

  /** Runs the batch, from the start or (`resume`) after the unfinished batch's newsletters. */
  async start(resume = false): Promise<void> {
    if (this.phase !== 'choosing' || !this.scan) return;
    const files = this.files;
    const excludedSenders = this.scan.senders.filter((sender) => !this.ticked[sender.key]).map((sender) => sender.key);
    let batch: SavedBatch;
    this.problem = '';
    if (resume && this.unfinished && continues(this.unfinished.checkpoint, files)) {
      batch = { ...this.unfinished, status: 'running', excludedSenders, expectedNewsletters: this.expected };
      // The table keeps what the first run found; continuing adds to it.
    } else {
      batch = {
        schemaVersion: BATCH_SCHEMA_VERSION,
        id: crypto.randomUUID(),
        title: filesTitle(files),
        status: 'running',
        checkpoint: newCheckpoint(files, this.now()),
        parts: 0,
        excludedSenders,
        expectedNewsletters: this.expected,
        failed: 0,
        skippedSentences: [],
        problems: [],
        tableKeys: [],
        judgeWork: NO_WORK,
        judgedParts: 0,
      };
      this.#clearTable();
    }
    this.unfinished = null;
    this.#batch = batch;
    this.batchId = batch.id;
    this.status = 'running';
    this.progress = null;
    this.skippedSentences = [];
    this.phase = 'running';
    const controller = (this.#controller = new AbortController());
    try {
      if (batch.parts === 0) await this.storage.startBatch(batch);
      else await this.storage.saveBatchHead(batch);
      await this.#loadSeenBefore(batch.id);
      await this.#loadSpeed();
      const summary = await this.worker.run(
        files,
        { excludedSenders, done: [...batch.checkpoint.done], expectedNewsletters: this.expected },
        (crossing) => this.#receive(batch, crossing),
        controller.signal,
      );
      batch.status = summary.status;
      batch.skippedSentences = summary.skippedSentences;
      if (summary.status === 'complete') batch.tableKeys = this.merged.map((startup) => startup.key);
      this.skippedSentences = summary.skippedSentences;
      this.progress = summary.progress;
      await this.storage.saveBatchHead(batch);
      this.status = batch.status;
      if (batch.status === 'cancelled') this.unfinished = batch;
    } catch (error) {
      batch.status = 'cancelled';
      this.status = 'cancelled';
      this.unfinished = batch;
      this.problem = `The batch stopped: ${messageOf(error)} What was read before is kept; drop the same files to continue.`;
      await this.storage.saveBatchHead(batch).catch(() => undefined);
    } finally {
      this.#controller = null;
      this.phase = 'finished';
      this.#refreshRemaining();
    }
    await this.checkCrm();
    await this.#recordTally();
  }

  cancel(): void {
    this.#controller?.abort();
    this.#judgeController?.abort();
  }

  /** Back to choosing files; the last table stays saved. */
  reset(): void {
    if (this.running) return;
    this.phase = 'idle';
    this.files = [];
    this.scan = null;
    this.problem = '';
  }

  /** One crossing from the worker: saved (with the checkpoint that counts it) before the worker reads on. */
  async #receive(batch: SavedBatch, crossing: BatchEventBatch): Promise<void> {
    const newsletters: SavedNewsletter[] = [];
    const mentions: Mention[] = [];
    const uncertain: UncertainLinks[] = [];
    const problems = [...this.problems];
    for (const event of crossing.events) {
      if (event.type === 'newsletter') {
        const unsure = event.result.uncertain;
        const leaning = unsure ? uncertainMentions(unsure).length : 0;
        newsletters.push(queueEntry(event.meta, 'done', event.result.mentions.length + leaning, event.meta.notes));
        mentions.push(...event.result.mentions);
        if (unsure) uncertain.push(unsure);
        batch.judgeWork = addWork(batch.judgeWork, event.result.judgeWork);
        this.remainingWork = addWork(this.remainingWork, event.result.judgeWork);
        markDone(batch.checkpoint, event.meta.key, this.now());
      } else if (event.type === 'failed') {
        // A failed newsletter is not marked done: continuing the batch tries it again.
        newsletters.push(queueEntry(event.meta, 'failed', 0, [event.error]));
        batch.failed += 1;
      } else if (event.type === 'problem') {
        problems.push(event.problem);
      }
    }
    batch.problems = problems;
    batch.checkpoint.updatedAt = this.now();
    if (newsletters.length > 0 || problems.length !== this.problems.length) {
      await this.storage.appendToBatch(batch, { newsletters, mentions, uncertain });
    }
    this.problems = problems;
    this.progress = crossing.progress;
    this.judgeWork = batch.judgeWork;
    if (newsletters.length > 0) {
      this.newsletters = [...this.newsletters, ...newsletters];
      this.#merger.addAll(this.#judgements.add(mentions, uncertain));
      this.merged = this.#merger.table();
      this.tallies = this.#judgements.tallies();
    }
  }

  /** The table again from every mention: a verdict can take a startup out as well as bring one in. */
  #rebuild(): void {
    this.#merger = new StartupMerger();
    this.#merger.addAll(this.#judgements.mentions());
    this.merged = this.#merger.table();
    this.tallies = this.#judgements.tallies();
  }

  #refreshRemaining(): void {
    this.remainingWork = this.#judgements.remainingWork();
  }

  /** A saved batch in the view, as it was left: the queue, the table, the verdicts, and whether it can continue. */
  async #present(loaded: LoadedBatch): Promise<void> {
    this.#clearTable();
    this.files = [];
    this.scan = null;
    this.progress = null;
    this.problem = '';
    this.#batch = loaded.batch;
    this.batchId = loaded.batch.id;
    this.#judgements = new BatchJudgements(loaded);
    this.calls = this.#judgements.calls();
    this.#rebuild();
    this.#refreshRemaining();
    this.newsletters = loaded.newsletters;
    this.problems = loaded.batch.problems;
    this.skippedSentences = loaded.batch.skippedSentences;
    this.judgeWork = loaded.batch.judgeWork;
    // Saved as running but no run here: the tab closed mid-way. It stopped, and it can continue.
    this.status = loaded.batch.status === 'running' ? 'cancelled' : loaded.batch.status;
    this.unfinished = loaded.batch.status === 'complete' ? null : loaded.batch;
    this.phase = 'finished';
    await this.#loadSeenBefore(loaded.batch.id);
    await this.#loadSpeed();
    await this.checkCrm();
    await this.#recordTally();
  }

  /** Nothing shown: before a new batch, or when the shown one was deleted. */
  #clearTable(): void {
    this.judgeWork = NO_WORK;
    this.remainingWork = NO_WORK;
    this.#merger = new StartupMerger();
    this.#judgements = new BatchJudgements();
    this.tallies = NO_TALLIES;
    this.calls = [];
    this.judgeMessage = '';
    this.judgeProblem = '';
    this.crmMessage = '';
    this.crmProblem = '';
    this.merged = [];
    this.matches = {};
    this.newsletters = [];
    this.problems = [];
    this.skippedSentences = [];
  }

  /**
   * What History lists for the shown batch (its table's size, the startups the CRM did not know, what a model
   * judged), saved when it changed. The list reads these instead of every batch's parts.
   */
  async #recordTally(): Promise<void> {
    const batch = this.#batch;
    if (!batch || this.phase === 'running') return;
    const checked = this.merged.every((startup) => this.matches[startup.key]);
    const tally: BatchTally = {
      startups: this.merged.length,
      notInCrm: checked
        ? this.merged.filter((startup) => this.matches[startup.key]!.status === 'not-in-crm').length
        : null,
      ...this.#judgements.judgedLinks(),
    };
    const before = batch.tally;
    if (
      before &&
      before.startups === tally.startups &&
      before.notInCrm === tally.notInCrm &&
      before.unsureLinks === tally.unsureLinks &&
      before.judgedLinks === tally.judgedLinks
    )
      return;
    batch.tally = tally;
    try {
      await this.storage.saveBatchTally(batch.id, tally);
    } catch (error) {
      this.problem = `History could not be told this batch’s counts: ${messageOf(error)} The batch itself is saved.`;
    }
  }

  async #loadSpeed(): Promise<void> {
    this.speed = await this.storage.measuredSpeed().catch(() => null);
  }

  async #loadSeenBefore(id: string): Promise<void> {
    const last = await this.storage.lastCompleteTableKeys(id);
    this.#seenBefore = last ? { keys: keySet(last.keys), at: last.at } : null;
  }
}
