/**
 * How the uncertain links are cut into model calls: each batch fits the engine's context window
 * with room for its answer, and no call's prompt passes a hard cap whatever the window, both
 * measured with a per-script bound that is never below Qwen3's real count (prompt-tokens.ts).
 */
import type { EngineInfo } from '../engines/engine.ts';
import { judgeSystemPrompt } from './judge-prompt.ts';
import { promptTokenBound } from './prompt-tokens.ts';

/** Hard cap per call, whatever the context window: a 4k model keeps ~1k tokens to answer. */
export const maxPromptTokensPerCall = 3000;
/** What one id's verdict costs in the answer; the answer's token limit is sized on it. */
export const outputTokensPerItem = 22;
const maxBatchItems = 30;

/** What every judge call's prompt carries before its links: the system prompt and the message framing. */
export const judgeCallBaseTokens = promptTokenBound(judgeSystemPrompt) + 80;
/** What one link's prompt line adds to its call. */
export const judgeLineTokens = (line: string): number => promptTokenBound(line) + 1;

/** The answer's token limit for a batch of `items` ids. */
export const judgeMaxTokens = (items: number): number => items * outputTokensPerItem + 16;

/** Splits the uncertain candidates so that each call fits the engine's context window. */
export function planBatches(lines: readonly { id: string; line: string }[], info: EngineInfo | null): string[][] {
  const window = info?.contextWindow ?? 4096;
  const base = judgeCallBaseTokens;
  const batches: string[][] = [];
  let current: string[] = [];
  let tokens = base;
  for (const { id, line } of lines) {
    const cost = judgeLineTokens(line);
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
