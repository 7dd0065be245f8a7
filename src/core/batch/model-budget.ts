/**
 * The model's budget for a batch: how many links the rules were unsure of (the ones a paste sends to the model to
 * judge), and how long judging them would take on this device at the speed a benchmark measured here. The work is
 * counted the way the newsletter job would spend it: `splitCandidates` picks the uncertain links, `planBatches` cuts
 * them into calls (for a 4,096-token window: the smallest the catalogue offers, so never fewer calls than a run),
 * and each call costs its system prompt, its links' lines (`candidateLine`) and its answer limit (`judgeMaxTokens`).
 */
import { splitCandidates } from '../agent/candidates.ts';
import { judgeCallBaseTokens, judgeLineTokens, judgeMaxTokens, planBatches } from '../agent/judge-batches.ts';
import { candidateLine } from '../agent/judge-prompt.ts';
import type { LinkCandidate } from '../links/types.ts';

export interface JudgeWork {
  /** Links the rules were unsure of. */
  links: number;
  calls: number;
  promptTokens: number;
  outputTokens: number;
}

export const NO_WORK: JudgeWork = { links: 0, calls: 0, promptTokens: 0, outputTokens: 0 };

/** The judging one newsletter's links would need. */
export function judgeWork(links: readonly LinkCandidate[]): JudgeWork {
  const { uncertain } = splitCandidates(links);
  if (uncertain.length === 0) return NO_WORK;
  const lines = uncertain.map((link, index) => ({ id: String(index), line: candidateLine(link, undefined) }));
  const lineTokens = new Map(lines.map(({ id, line }) => [id, judgeLineTokens(line)]));
  const batches = planBatches(lines, null);
  let promptTokens = 0;
  let outputTokens = 0;
  for (const batch of batches) {
    promptTokens += judgeCallBaseTokens;
    for (const id of batch) promptTokens += lineTokens.get(id)!;
    // The answer's limit, so a ceiling on what the model writes.
    outputTokens += judgeMaxTokens(batch.length);
  }
  const calls = batches.length;
  return { links: uncertain.length, calls, promptTokens, outputTokens };
}

export function addWork(a: JudgeWork, b: JudgeWork): JudgeWork {
  return {
    links: a.links + b.links,
    calls: a.calls + b.calls,
    promptTokens: a.promptTokens + b.promptTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

/** Tokens per second a benchmark measured on this device (Settings → Benchmark). */
export interface MeasuredSpeed {
  model: string;
  prefillTokensPerS: number | null;
  decodeTokensPerS: number | null;
}

/** Milliseconds the work would take at `speed`; null without a measured decode speed. */
export function judgeTimeMs(work: JudgeWork, speed: MeasuredSpeed | null): number | null {
  if (!speed?.decodeTokensPerS || speed.decodeTokensPerS <= 0) return null;
  // Without a prefill figure, reading the prompt is counted at the decode speed: an overestimate, never an under.
  const prefill =
    speed.prefillTokensPerS && speed.prefillTokensPerS > 0 ? speed.prefillTokensPerS : speed.decodeTokensPerS;
  return Math.round((work.promptTokens / prefill + work.outputTokens / speed.decodeTokensPerS) * 1000);
}
