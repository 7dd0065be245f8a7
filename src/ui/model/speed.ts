/**
 * A model call's measured speed in words, from the usage WebLLM reports with each call
 * (`usage.extra`, carried on `ChatUsage`): the model panel's last call and each call in the trace.
 */
import type { CallSpeed } from '../../core/engines/engine.ts';

export function formatSeconds(value: number): string {
  return value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(1)} s`;
}

function rate(value: number): string {
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} tokens/s`;
}

/** "first token 0.42 s", "prefill 310 tokens/s", …: only what the call measured. */
export function speedFacts(usage: CallSpeed): string[] {
  const facts: string[] = [];
  if (usage.time_to_first_token_s !== undefined)
    facts.push(`first token ${formatSeconds(usage.time_to_first_token_s)}`);
  if (usage.prefill_tokens_per_s !== undefined) facts.push(`prefill ${rate(usage.prefill_tokens_per_s)}`);
  if (usage.decode_tokens_per_s !== undefined) facts.push(`decode ${rate(usage.decode_tokens_per_s)}`);
  if (usage.grammar_init_s !== undefined) facts.push(`grammar set-up ${formatSeconds(usage.grammar_init_s)}`);
  return facts;
}
