/**
 * The model's budget for a batch: how many links the rules were unsure of (the ones a paste sends to the model to
 * judge), and how long judging them would take on this device at the speed a benchmark measured here. The work is
 * counted the way the newsletter job would spend it: `splitCandidates` picks the uncertain links, each costs its
 * prompt line (`candidateLine`) and its answer (`judgeMaxTokens`), and every newsletter's calls carry the system
 * prompt again, in calls of at most `MAX_ITEMS_PER_CALL` links.
 */
import { splitCandidates } from '../agent/candidates.ts';
import { estimatePromptTokens, judgeMaxTokens, outputTokensPerItem } from '../agent/judge-batches.ts';
import { candidateLine, judgeSystemPrompt } from '../agent/judge-prompt.ts';
import type { LinkCandidate } from '../links/types.ts';

/** The judge's own limit per call (judge-batches.ts keeps it private; a bigger window only adds calls here). */
const MAX_ITEMS_PER_CALL = 30;
/** The system prompt and the message framing each call repeats, as judge-batches.ts counts it. */
const CALL_OVERHEAD_TOKENS = estimatePromptTokens(judgeSystemPrompt) + 80;

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
  const calls = Math.ceil(uncertain.length / MAX_ITEMS_PER_CALL);
  let promptTokens = calls * CALL_OVERHEAD_TOKENS;
  for (const link of uncertain) promptTokens += estimatePromptTokens(candidateLine(link, undefined)) + 1;
  // Each call's answer limit (judgeMaxTokens): a fixed part per call and a part per link. A limit, so a ceiling.
  const outputTokens = calls * judgeMaxTokens(0) + uncertain.length * outputTokensPerItem;
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
