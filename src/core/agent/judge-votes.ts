/**
 * The model's judgement of the uncertain links, by vote. Every batch is sampled twice and a third
 * sample settles the links the two disagree on, so one plain wrong judgement never decides a link on
 * its own (the rules' leaning would not catch a mistake that agrees with it). Wherever no sample
 * passes the gates, the rules' answer stands.
 */
import type { LinkCandidate } from '../links/types.ts';
import { rulesSayStartup } from './candidates.ts';
import { planBatches } from './judge-batches.ts';
import { sampleSplitting, type JudgeContext, type Verdict } from './judge-gate.ts';
import { candidateLine } from './judge-prompt.ts';
import { fullRecovery } from './recovery.ts';

export type Decider =
  | 'rules'
  | 'model'
  | 'model, confirmed by a second sample'
  | 'model, by a majority of three samples'
  | "rules, breaking the model's tie"
  | 'rules (the model did not pass the gates)'
  | 'rules (no model loaded)'
  | 'left out (the model did not pass the gates, and the rules were switched off)';

export interface Judgement {
  id: string;
  startup: boolean;
  name: string;
  decidedBy: Decider;
}

/** How the uncertain links are judged when a model is there; the app always judges by vote. */
export type JudgeUncertain = (uncertain: readonly LinkCandidate[], context: JudgeContext) => Promise<Judgement[]>;

/** Without a model the rules' leaning decides every uncertain link. */
export function judgeByRules(uncertain: readonly LinkCandidate[]): Judgement[] {
  return uncertain.map((link) => ({
    id: link.id,
    startup: rulesSayStartup(link),
    name: link.name,
    decidedBy: 'rules (no model loaded)',
  }));
}

export const judgeByVote: JudgeUncertain = async (uncertain, context) => {
  const links = new Map(uncertain.map((link) => [link.id, link]));
  const engine = context.engines.primary ?? context.engines.fallback ?? null;
  const batches = planBatches(
    uncertain.map((link) => ({ id: link.id, line: candidateLine(link, context.matches.get(link.id)) })),
    engine?.info ?? null,
  );
  const judgements: Judgement[] = [];
  for (const [batchIndex, ids] of batches.entries()) {
    const seed = batchIndex * 100;
    const first = await sampleSplitting(ids, links, context, 'judge', seed);
    const answered = ids.filter((id) => first.has(id));
    const second =
      answered.length && (context.recovery ?? fullRecovery).votes
        ? await sampleSplitting(answered, links, context, 'vote', seed + 30)
        : new Map<string, Verdict>();
    const split = answered.filter((id) => second.has(id) && second.get(id)!.startup !== first.get(id)!.startup);
    const third = split.length
      ? await sampleSplitting(split, links, context, 'vote', seed + 60)
      : new Map<string, Verdict>();
    for (const id of ids) {
      const judgement = combine(links.get(id)!, first.get(id), second.get(id), third.get(id));
      const leftOut = !first.has(id) && !(context.recovery ?? fullRecovery).rulesFallback;
      judgements.push(
        leftOut
          ? {
              ...judgement,
              startup: false,
              decidedBy: 'left out (the model did not pass the gates, and the rules were switched off)',
            }
          : judgement,
      );
    }
  }
  recordRulesFallback(judgements, context);
  return judgements;
};

/**
 * Where the model kept failing the gates or could not settle a tie, the rules decided: the trace
 * says so in a step of its own, so nobody reads the verdict as the model's.
 */
function recordRulesFallback(judgements: readonly Judgement[], context: JudgeContext): void {
  const byRules = judgements.filter((judgement) => judgement.decidedBy.startsWith('rules'));
  if (!byRules.length) return;
  const ids = byRules.map((judgement) => judgement.id);
  context.recorder.tool(
    'fallback',
    `the rules decide ${ids.length} ${ids.length === 1 ? 'link' : 'links'} the model could not (${ids.length > 6 ? `${ids.slice(0, 6).join(', ')}…` : ids.join(', ')})`,
    context.recorder.now(),
    Object.fromEntries(
      byRules.map((judgement) => [judgement.id, { startup: judgement.startup, decidedBy: judgement.decidedBy }]),
    ),
  );
}

/**
 * The model's verdict stands when two samples agree (or a third breaks their tie); the rules
 * break a tie only when no third sample passed the gates, and stand alone when no sample did.
 */
function combine(link: LinkCandidate, first?: Verdict, second?: Verdict, third?: Verdict): Judgement {
  const rules = rulesSayStartup(link);
  const judged = (verdict: Verdict, decidedBy: Decider): Judgement => ({
    id: link.id,
    startup: verdict.startup,
    name: verdict.startup ? verdict.name : link.name,
    decidedBy,
  });
  if (!first)
    return { id: link.id, startup: rules, name: link.name, decidedBy: 'rules (the model did not pass the gates)' };
  if (!second) return judged(first, 'model');
  if (first.startup === second.startup) return judged(first, 'model, confirmed by a second sample');
  if (third) return judged(third.startup === first.startup ? first : second, 'model, by a majority of three samples');
  const withRules = rules === first.startup ? first : second;
  return {
    ...judged(withRules, "rules, breaking the model's tie"),
    name: withRules.startup ? withRules.name : link.name,
  };
}
