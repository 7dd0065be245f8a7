/**
 * The newsletter job's stages as it reports them, with their counts: the UI shows its progress list
 * from these events alone (it does not watch which port is called), and a batch over many
 * newsletters can add them up. Events of one stage arrive in order: `running` (possibly several
 * times, as the count moves), then `done` or `skipped`.
 */

export type JobStage = 'links' | 'crm' | 'model';

export interface LinkCounts {
  /** Distinct destinations found. */
  links: number;
  /** Of those, how many were behind a tracking redirect that was read offline. */
  unwrapped: number;
  /** Of those, how many sit behind a tracker that hides the address (it opens only over the network). */
  hidden: number;
  /** Startups the rules are sure of, links the model is asked about, links left out. */
  certain: number;
  uncertain: number;
  excluded: number;
  /** How long extraction took in the tools, in ms. */
  ms: number;
}

export interface CrmCounts {
  checked: number;
  inCrm: number;
  possible: number;
  notInCrm: number;
}

export interface ModelCounts {
  /** Uncertain links judged (by the model, or by the rules where it did not pass the gates). */
  judged: number;
  /** Of those, settled by the model's own answer. */
  byModel: number;
  calls: number;
  /** Model outputs a gate rejected (each was repaired, escalated or left to the rules). */
  corrected: number;
}

export type NewsletterStageEvent =
  | { stage: 'links'; status: 'running' }
  | { stage: 'links'; status: 'done'; counts: LinkCounts; warnings: string[] }
  | { stage: 'crm'; status: 'running'; checking: number; crm: string }
  | { stage: 'crm'; status: 'done'; counts: CrmCounts }
  /** After each model call: the calls so far and the step just made. */
  | { stage: 'model'; status: 'running'; calls: number; corrected: number; step: string }
  | { stage: 'model'; status: 'done'; counts: ModelCounts }
  /** No model took part: the rules' leaning decided the uncertain links. */
  | { stage: 'model'; status: 'skipped'; uncertain: number };
