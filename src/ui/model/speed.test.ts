import { describe, expect, it } from 'vitest';
import type { ChatUsage } from '../../core/engines/engine.ts';
import { speedFacts } from './speed.ts';

describe('speedFacts', () => {
  it('says what a call measured, in the order a person reads a call', () => {
    const usage: ChatUsage = {
      prompt_tokens: 900,
      completion_tokens: 40,
      total_tokens: 940,
      time_to_first_token_s: 0.4213,
      prefill_tokens_per_s: 2136.4,
      decode_tokens_per_s: 41.27,
      grammar_init_s: 0.0031,
    };
    expect(speedFacts(usage)).toEqual([
      'first token 0.42 s',
      'prefill 2136 tokens/s',
      'decode 41.3 tokens/s',
      'grammar set-up 0.00 s',
    ]);
  });

  it('says nothing of what was not measured (a fallback engine reports only tokens)', () => {
    const usage: ChatUsage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, e2e_latency_s: 0.3 };
    expect(speedFacts(usage)).toEqual([]);
  });
});
