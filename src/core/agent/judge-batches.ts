/**
 * How the uncertain links are cut into model calls: each batch fits the engine's context window
 * with room for its answer, and no call's prompt passes a hard cap whatever the window.
 */
import type { EngineInfo } from '../engines/engine.ts';
import { judgeSystemPrompt } from './judge-prompt.ts';

/** Hard cap per call, whatever the context window: a 4k model keeps ~1k tokens to answer. */
export const maxPromptTokensPerCall = 3000;
/** What one id's verdict costs in the answer; the answer's token limit is sized on it. */
export const outputTokensPerItem = 22;
const maxBatchItems = 30;

/** The answer's token limit for a batch of `items` ids. */
export const judgeMaxTokens = (items: number): number => items * outputTokensPerItem + 16;

/** Conservative (over-) estimate of tokens: batches are sized on it, so it must not undercount. */
export function estimatePromptTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** Splits the uncertain candidates so that each call fits the engine's context window. */
export function planBatches(lines: readonly { id: string; line: string }[], info: EngineInfo | null): string[][] {
  const window = info?.contextWindow ?? 4096;
  const base = estimatePromptTokens(judgeSystemPrompt) + 80;
  const batches: string[][] = [];
  let current: string[] = [];
  let tokens = base;
  for (const { id, line } of lines) {
    const cost = estimatePromptTokens(line) + 1;
    const output = judgeMaxTokens(current.length + 1);
    const fits =
      current.length < maxBatchItems &&
      tokens + cost <= maxPromptTokensPerCall &&
      tokens + cost + output <= window - 64;
    if (!fits && current.length) {
      batches.push(current);
      current = [];
      tokens = base;
    }
    current.push(id);
    tokens += cost;
  }
  if (current.length) batches.push(current);
  return batches;
}
