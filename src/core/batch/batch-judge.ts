/**
 * The model's part of a batch: each newsletter's links the rules were unsure of are kept with the batch (the
 * tools worker's pass does not wait for a model), and judged later, one newsletter at a time, by the newsletter
 * job's own judge stage (`judgeUncertainLinks`: the same prompt, gates, votes and rules fallback as a paste).
 * Until a newsletter is judged, the rules' leaning stands for its unsure links, as in a paste without a model.
 */
import { rulesSayStartup } from '../agent/candidates.ts';
import type { Judgement } from '../agent/judge-votes.ts';
import type { StepEngines } from '../agent/model-step.ts';
import { judgeUncertainLinks } from '../agent/newsletter-job.ts';
import { modelCalls, TraceRecorder, traceEngine, type ModelCall } from '../agent/trace.ts';
import type { MatchResult } from '../crm/types.ts';
import { destinationDomain, type LinkCandidate } from '../links/types.ts';
import type { Mention } from './merge.ts';
import { addWork, judgeWork, NO_WORK, type JudgeWork } from './model-budget.ts';

/** One newsletter's links the rules were unsure of, with what a mention of them needs. */
export interface UncertainLinks {
  newsletterId: string;
  newsletterName: string;
  date: string | null;
  links: LinkCandidate[];
}

/** A model call as the batch keeps it: what the 2×2 run summary counts. */
export type JudgeCall = Pick<ModelCall, 'engine' | 'promptTokens' | 'outputTokens' | 'durationMs'>;

/** One newsletter's unsure links as judged, and the model calls that cost. */
export interface NewsletterVerdicts {
  newsletterId: string;
  judgements: Judgement[];
  calls: JudgeCall[];
}

/** A mention of one link: the name the model gave when it judged it, and who decided. */
export function mentionOf(
  link: LinkCandidate,
  newsletter: Pick<UncertainLinks, 'newsletterId' | 'newsletterName' | 'date'>,
  pick?: { name: string; decidedBy: string },
): Mention {
  return {
    name: pick?.name || link.name || link.text || link.domain,
    url: link.url,
    // A link behind an opaque tracker has no known destination: it is merged by name only.
    domain: destinationDomain(link),
    context: link.context,
    newsletterId: newsletter.newsletterId,
    newsletterName: newsletter.newsletterName,
    date: newsletter.date,
    ...(pick ? { decidedBy: pick.decidedBy } : {}),
    ...(link.kind === 'sponsor' ? { sponsored: true } : {}),
  };
}

/**
 * The startups among a newsletter's unsure links: the judge's verdicts once it ran (a rejected link stays out),
 * the rules' leaning before.
 */
export function uncertainMentions(pending: UncertainLinks, judgements?: readonly Judgement[]): Mention[] {
  if (!judgements) return pending.links.filter(rulesSayStartup).map((link) => mentionOf(link, pending));
  const byId = new Map(pending.links.map((link) => [link.id, link]));
  return judgements.flatMap((judgement) => {
    const link = byId.get(judgement.id);
    return link && judgement.startup ? [mentionOf(link, pending, judgement)] : [];
  });
}

export interface JudgeNewsletterOptions {
  engines: StepEngines;
  /** The CRM's answer for each unsure link, by link id (the prompt marks those already in the CRM). */
  matches: ReadonlyMap<string, MatchResult>;
  signal?: AbortSignal | undefined;
  now?: () => number;
}

/**
 * Judges one newsletter's unsure links with the engines given. Throws (an `AbortedError`) when cancelled, so a
 * half-judged newsletter is never kept.
 */
export async function judgeNewsletter(
  pending: UncertainLinks,
  options: JudgeNewsletterOptions,
): Promise<NewsletterVerdicts> {
  const now = options.now ?? Date.now;
  const recorder = new TraceRecorder(
    {
      id: `batch-judge-${pending.newsletterId}`,
      job: 'newsletter',
      instruction: null,
      engine: traceEngine(options.engines.primary?.info),
      fallback: traceEngine(options.engines.fallback?.info),
    },
    now,
  );
  const judgements = await judgeUncertainLinks(pending.links, {
    engines: options.engines,
    matches: options.matches,
    recorder,
    signal: options.signal,
  });
  const calls = modelCalls(recorder.finish(`${judgements.length} links judged`)).map(
    ({ engine, promptTokens, outputTokens, durationMs }) => ({ engine, promptTokens, outputTokens, durationMs }),
  );
  return { newsletterId: pending.newsletterId, judgements, calls };
}

/** The CRM's answers (in the links' order) by link id, as the judge's prompt reads them. */
export function matchesById(
  links: readonly LinkCandidate[],
  found: readonly MatchResult[],
): ReadonlyMap<string, MatchResult> {
  return new Map(links.flatMap((link, index) => (found[index] ? [[link.id, found[index]] as const] : [])));
}

/** A newsletter's startups as the table counts them, and whether a model has judged its unsure links. */
export interface NewsletterTally {
  /** The sure mentions plus the unsure links that count: as judged, or as the rules lean until then. */
  startups: number;
  unsureLinks: number;
  judged: boolean;
}

/**
 * What a batch's table is built from as the judge works through it: the mentions the rules are sure of, each
 * newsletter's unsure links, and the verdicts on them so far.
 */
export class BatchJudgements {
  readonly #sure: Mention[] = [];
  readonly #uncertain = new Map<string, UncertainLinks>();
  readonly #verdicts = new Map<string, NewsletterVerdicts>();
  /** Per newsletter: its sure mentions, and its unsure links that count as startups now. */
  readonly #counts = new Map<string, { sure: number; unsure: number }>();

  constructor(saved?: {
    mentions: readonly Mention[];
    uncertain: readonly UncertainLinks[];
    verdicts: readonly NewsletterVerdicts[];
  }) {
    if (!saved) return;
    this.add(saved.mentions, saved.uncertain);
    for (const verdicts of saved.verdicts) this.judged(verdicts);
  }

  /** Newsletters the rules pass read; returns their mentions as the table shows them until a model judges. */
  add(sure: readonly Mention[], uncertain: readonly UncertainLinks[]): Mention[] {
    this.#sure.push(...sure);
    for (const mention of sure) this.#countOf(mention.newsletterId).sure += 1;
    const leaning: Mention[] = [];
    for (const pending of uncertain) {
      this.#uncertain.set(pending.newsletterId, pending);
      const counted = uncertainMentions(pending, this.#verdicts.get(pending.newsletterId)?.judgements);
      this.#countOf(pending.newsletterId).unsure = counted.length;
      leaning.push(...counted);
    }
    return [...sure, ...leaning];
  }

  judged(verdicts: NewsletterVerdicts): void {
    this.#verdicts.set(verdicts.newsletterId, verdicts);
    const pending = this.#uncertain.get(verdicts.newsletterId);
    if (pending) this.#countOf(pending.newsletterId).unsure = uncertainMentions(pending, verdicts.judgements).length;
  }

  /** Each newsletter's count as the table now stands (a newsletter with no startups and no unsure links is absent). */
  tallies(): Map<string, NewsletterTally> {
    return new Map(
      [...this.#counts].map(([newsletterId, count]) => [
        newsletterId,
        {
          startups: count.sure + count.unsure,
          unsureLinks: this.#uncertain.get(newsletterId)?.links.length ?? 0,
          judged: this.#verdicts.has(newsletterId),
        },
      ]),
    );
  }

  /** Unsure links across the batch, and how many of them a model has judged. */
  judgedLinks(): { unsureLinks: number; judgedLinks: number } {
    let unsureLinks = 0;
    let judgedLinks = 0;
    for (const pending of this.#uncertain.values()) {
      unsureLinks += pending.links.length;
      if (this.#verdicts.has(pending.newsletterId)) judgedLinks += pending.links.length;
    }
    return { unsureLinks, judgedLinks };
  }

  #countOf(newsletterId: string): { sure: number; unsure: number } {
    let count = this.#counts.get(newsletterId);
    if (!count) this.#counts.set(newsletterId, (count = { sure: 0, unsure: 0 }));
    return count;
  }

  /** The newsletters whose unsure links no model has judged yet. */
  pending(): UncertainLinks[] {
    return [...this.#uncertain.values()].filter((pending) => !this.#verdicts.has(pending.newsletterId));
  }

  remainingWork(): JudgeWork {
    return this.pending().reduce((work, pending) => addWork(work, judgeWork(pending.links)), NO_WORK);
  }

  /** Every model call the judging made, for the 2×2 summary. */
  calls(): JudgeCall[] {
    return [...this.#verdicts.values()].flatMap((verdicts) => verdicts.calls);
  }

  /** Every mention: the sure ones, and the unsure links' as judged (or as the rules lean, not judged yet). */
  mentions(): Mention[] {
    const unsure = [...this.#uncertain.values()].flatMap((pending) =>
      uncertainMentions(pending, this.#verdicts.get(pending.newsletterId)?.judgements),
    );
    return [...this.#sure, ...unsure];
  }
}
