/**
 * The newsletter job: a fixed pipeline in which the model only judges. Links are extracted and
 * ranked, and checked against the CRM, by deterministic tools (src/core/links, the CRM port); the
 * uncertain links go to the model in batches (judge-prompt, judge-batches), each answer through the
 * gates (judge-gate) and settled by vote (judge-votes); the rules decide wherever the model's answer
 * does not stand. The job reports its stages as events (job-stages) and returns the table's rows
 * (result-row).
 */
import type { MatchResult } from '../crm/types.ts';
import { plural } from '../text/plural.ts';
import { destinationDomain, type LinkCandidate, type LinkReport } from '../links/types.ts';
import { nothingToJudgeBy, sharedPlatformKinds, splitCandidates } from './candidates.ts';
import type { NewsletterStageEvent } from './job-stages.ts';
import { judgeByRules, judgeByVote, type Decider, type Judgement, type JudgeUncertain } from './judge-votes.ts';
import type { StepEngines } from './model-step.ts';
import { maybeRow, onePerCompany, resultRow, type ResultRow, type RowPick } from './result-row.ts';
import { ToolState, type ToolPorts } from './tools.ts';
import { TraceRecorder, gateRejected, traceEngine, type Trace, type TraceStep } from './trace.ts';

export interface NewsletterResult {
  /** The table's rows, in the newsletter's order. */
  rows: ResultRow[];
  /** Uncertain links that were not accepted, with their CRM match: the results table's "Maybe" group. */
  maybe: ResultRow[];
  /**
   * Links the rules turned down outright (never judged, never matched against the CRM), for the trace: a person may
   * say one is a startup after all. Links on shared platforms (social, media, the newsletter's own, images, app
   * stores, code hosts) are left out: a verdict on their domain would hold for every link there. So are links behind
   * an opaque tracker with no words in their anchor: a person sees nothing to judge, and "is a startup" on one
   * would name the tracker's host a startup.
   */
  turnedDown: ResultRow[];
  /** The model's (or the rules') verdict on every uncertain candidate. */
  judgements: Judgement[];
  report: LinkReport;
  state: ToolState;
  trace: Trace;
}

export interface NewsletterJobOptions {
  engines: StepEngines;
  ports: ToolPorts;
  /**
   * How the uncertain links are judged when a model is there: by gated votes (the default, and
   * what the app always uses). The benchmark passes raw use of the model's output to compare.
   */
  judge?: JudgeUncertain;
  signal?: AbortSignal;
  now?: () => number;
  runId?: string;
  onStep?: (step: TraceStep) => void;
  /** Each stage as it starts, moves and ends, with its counts. */
  onStage?: (event: NewsletterStageEvent) => void;
}

/** The row keeps what a correction of it would record (the tools worker sets it on each link). */
function withCorrectionBasis(row: ResultRow, link: LinkCandidate): ResultRow {
  return link.correction ? { ...row, correction: link.correction } : row;
}

export interface JudgeStageOptions {
  engines: StepEngines;
  /** The CRM's answer for each link, by id: the prompt marks the ones already in the CRM. */
  matches: ReadonlyMap<string, MatchResult>;
  recorder: TraceRecorder;
  judge?: JudgeUncertain | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The job's judge stage on its own: the uncertain links of one newsletter, judged by the model
 * through the gates (or by the rules' leaning when no engine is there). Exported so a batch, whose
 * links and CRM ran earlier in the tools worker, judges exactly as a paste does.
 */
export async function judgeUncertainLinks(
  uncertain: readonly LinkCandidate[],
  options: JudgeStageOptions,
): Promise<Judgement[]> {
  const engine = options.engines.primary ?? options.engines.fallback ?? null;
  if (!engine) return judgeByRules(uncertain);
  const judge = options.judge ?? judgeByVote;
  return judge(uncertain, {
    engines: options.engines,
    matches: options.matches,
    recorder: options.recorder,
    signal: options.signal,
  });
}

export async function runNewsletterJob(options: NewsletterJobOptions): Promise<NewsletterResult> {
  const now = options.now ?? Date.now;
  const engine = options.engines.primary ?? options.engines.fallback ?? null;
  const stage = options.onStage ?? (() => undefined);
  let modelCalls = 0;
  let corrected = 0;
  const recorder = new TraceRecorder(
    {
      id: options.runId ?? `newsletter-${now()}`,
      job: 'newsletter',
      instruction: null,
      engine: traceEngine(options.engines.primary?.info),
      fallback: traceEngine(options.engines.fallback?.info),
    },
    now,
    (step) => {
      options.onStep?.(step);
      if (step.engine === null) return;
      modelCalls += 1;
      if (gateRejected(step)) corrected += 1;
      stage({ stage: 'model', status: 'running', calls: modelCalls, corrected, step: step.label });
    },
  );
  const state = new ToolState();

  stage({ stage: 'links', status: 'running' });
  let started = recorder.now();
  const report = await options.ports.extractLinks();
  state.setReport(report);
  recorder.tool('tools', 'extract links', started, {
    links: report.links.length,
    format: report.format,
    warnings: report.warnings,
  });

  started = recorder.now();
  const split = splitCandidates(report.links);
  recorder.tool('tools', 'rank candidates', started, {
    startups: split.certain.map((link) => link.id),
    uncertain: split.uncertain.map((link) => link.id),
    excluded: split.excluded.length,
  });
  stage({
    stage: 'links',
    status: 'done',
    warnings: report.warnings,
    counts: {
      links: report.links.length,
      unwrapped: report.links.filter((link) => link.tracker !== null && !link.needsNetwork).length,
      hidden: report.links.filter((link) => link.needsNetwork).length,
      certain: split.certain.length,
      uncertain: split.uncertain.length,
      excluded: split.excluded.length,
      ms: report.stats.ms,
    },
  });

  started = recorder.now();
  // Links the person's corrections turned down are listed under "Maybe" with the correction as their reason.
  const correctedOut = split.excluded.filter((link) => link.correctedBy !== undefined);
  const considered = [...split.certain, ...split.uncertain, ...correctedOut];
  stage({ stage: 'crm', status: 'running', checking: considered.length, crm: options.ports.crm.label });
  const matches = new Map<string, MatchResult>();
  const found = await options.ports.crm.matchMany(
    considered.map((link) => ({ domain: destinationDomain(link), name: link.name })),
  );
  considered.forEach((link, index) => {
    const match = found[index];
    if (match) matches.set(link.id, match);
  });
  const inCrm = found.filter((match) => match.status === 'in-crm').length;
  const possible = found.filter((match) => match.status === 'possible').length;
  recorder.tool('tools', `match against ${options.ports.crm.label}`, started, { checked: considered.length, inCrm });
  stage({
    stage: 'crm',
    status: 'done',
    counts: { checked: considered.length, inCrm, possible, notInCrm: found.length - inCrm - possible },
  });

  const judgements = await judgeUncertainLinks(split.uncertain, {
    engines: options.engines,
    matches,
    recorder,
    judge: options.judge,
    signal: options.signal,
  });

  const byModel = judgements.filter((judgement) => judgement.decidedBy.startsWith('model')).length;
  if (engine) {
    stage({
      stage: 'model',
      status: 'done',
      counts: { judged: judgements.length, byModel, calls: modelCalls, corrected },
    });
  } else {
    stage({ stage: 'model', status: 'skipped', uncertain: split.uncertain.length });
  }

  const chosen = new Map<string, { name: string; decidedBy: Decider }>();
  for (const link of split.certain) chosen.set(link.id, { name: link.name, decidedBy: 'rules' });
  for (const judgement of judgements) {
    if (judgement.startup) chosen.set(judgement.id, { name: judgement.name, decidedBy: judgement.decidedBy });
  }

  // A name the model gave may find a CRM record the link's own name guess missed.
  started = recorder.now();
  const renamed = [...chosen.entries()].filter(([id, pick]) => {
    const link = state.links.get(id)!;
    return pick.name !== link.name && matches.get(id)?.status !== 'in-crm';
  });
  if (renamed.length) {
    const again = await options.ports.crm.matchMany(
      renamed.map(([id, pick]) => ({ domain: destinationDomain(state.links.get(id)!), name: pick.name })),
    );
    renamed.forEach(([id], index) => {
      const match = again[index];
      if (match) matches.set(id, match);
    });
    recorder.tool('tools', 'match model-named companies', started, { checked: renamed.length });
  }

  const rows = onePerCompany(
    [...chosen.entries()]
      .map(([id, pick]) => ({ link: state.links.get(id)!, pick }))
      .sort((a, b) => a.link.firstPosition - b.link.firstPosition)
      .map(({ link, pick }) => {
        const match = matches.get(link.id);
        if (match?.company) state.companies.set(match.company.id, match.company);
        return withCorrectionBasis(resultRow(link, pick, match), link);
      }),
  );
  // The uncertain links turned down stay visible as "Maybe": a person can promote one the rules or the model missed.
  const maybe = onePerCompany(
    [
      ...judgements
        .filter((judgement) => !chosen.has(judgement.id))
        .map((judgement) => ({ link: state.links.get(judgement.id)!, pick: judgement as RowPick })),
      ...correctedOut.map((link) => ({ link, pick: { name: link.name, decidedBy: 'your correction' } })),
    ]
      .sort((a, b) => a.link.firstPosition - b.link.firstPosition)
      .map(({ link, pick }) => withCorrectionBasis(maybeRow(link, pick, matches.get(link.id)), link)),
    rows,
  );

  const turnedDown = split.excluded
    .filter((link) => link.correctedBy === undefined && !sharedPlatformKinds.has(link.kind) && !nothingToJudgeBy(link))
    .map((link) => withCorrectionBasis(maybeRow(link, { name: link.name, decidedBy: 'rules' }, undefined), link));

  // Several links to one company make one row: the counts after the colon are of links.
  const linksBehind = chosen.size === rows.length ? '' : ` (from ${chosen.size} links)`;
  const uncertain = plural(judgements.length, 'uncertain link', 'uncertain links');
  // Without a model nothing judged the uncertain links: the rules kept some, and the rest wait in Maybe.
  const keptByRules = judgements.filter((judgement) => judgement.startup).length;
  // Maybe shows one row per company and leaves out the table's companies: its count is of rows, not links.
  const maybeFromJudgements = maybe.filter((row) => row.decidedBy !== 'your correction').length;
  const uncertainPart =
    judgements.length === 0
      ? 'no uncertain links'
      : engine
        ? `${uncertain} judged, ${byModel} of them by the model`
        : `${uncertain} and no model loaded: ${keptByRules} kept by the rules, the rest in Maybe (${plural(maybeFromJudgements, 'row', 'rows')})`;
  const trace = recorder.finish(
    `${plural(rows.length, 'startup', 'startups')}${linksBehind}: ${split.certain.length} sure by the rules; ${uncertainPart}`,
  );
  return { rows, maybe, turnedDown, judgements, report, state, trace };
}
