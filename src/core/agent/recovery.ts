/**
 * The mechanisms that recover from a model's mistakes, each of which bench:agent switches off in
 * turn (its ablation table) to show what it is worth. The app always runs with all of them.
 */
export interface Recovery {
  /** One repair carrying the exact complaint (model-step). */
  repair: boolean;
  /** Ask: a step still failing after its repair is asked once more, afresh, as a check of the plan. */
  afresh: boolean;
  /** A second sample (and a third on disagreement) of every judgement; votes on Ask's decisive turns. */
  votes: boolean;
  /** A judge batch that fails splits down to single links (judge-gate). */
  split: boolean;
  /** The rules decide a link the model could not; off, such a link is left out. */
  rulesFallback: boolean;
}

export const fullRecovery: Readonly<Recovery> = {
  repair: true,
  afresh: true,
  votes: true,
  split: true,
  rulesFallback: true,
};
