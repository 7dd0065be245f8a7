/**
 * Output budgets (`max_tokens`) for the model's answers, from token counts measured with Qwen3's
 * tokenizer on compact JSON (no free whitespace: what `compactJsonGrammar` lets the model write).
 * token-budget.test.ts recomputes every figure below from the tokenizer and fails when one drifts.
 *
 * WebLLM counts its empty think block against `max_tokens` and stops with "length" as soon as the
 * output holds `max_tokens` tokens, so a complete answer needs its own tokens, the think block's
 * and one to spare for the stop token.
 *
 * For scale (Qwen3 tokenizer, the labelled corpus's judgements): 14.4 tokens per judged link in
 * compact JSON, 18.4 with Python's ", " / ": " separators, 24.5 indented by two spaces. A budget
 * that holds compact answers does not hold padded ones: send the compact grammar with it.
 */

/** `<think>\n\n</think>\n\n`, which WebLLM puts in front of every Qwen3 answer with thinking off. */
export const thinkBlockTokens = 4;

/** The stop token: without room for it a complete answer still ends with "length". */
export const stopTokens = 1;

/** `{` and `}` around the judgement (`{}` is one token). */
export const judgementFrameTokens = 1;

/**
 * One judged link, `"L9999":{"startup":false,"name":"…"},`, for the widest id the tools allow and
 * names up to 40 characters (the corpus's longest): the most any of the test's sample names costs.
 */
export const judgementItemTokens = 19;

/** `max_tokens` for a judgement of `items` links. */
export function judgementMaxTokens(items: number): number {
  return thinkBlockTokens + judgementFrameTokens + items * judgementItemTokens + stopTokens;
}

/** The final answer at its schema's 600 characters, in the densest of the sample scripts (Japanese). */
export const answerTokens = 277;

/** The largest call without an id list: `add_company` with a 40-character name and five long tags. */
export const largestCallTokens = 51;

/** `export_csv` with an empty id list, and each `"L9999",` an id adds (Qwen splits digits one by one). */
export const idListCallTokens = 13;
export const linkIdTokens = 6;

/** The most ids one call may list (`export_csv`'s `maxItems`). */
const maxListedIds = 200;

/** `max_tokens` for one Ask turn when the run knows `linkIds` link ids (a call may list them all). */
export function planTurnMaxTokens(linkIds: number): number {
  const listing = idListCallTokens + Math.min(linkIds, maxListedIds) * linkIdTokens;
  return thinkBlockTokens + Math.max(answerTokens, largestCallTokens, listing) + stopTokens;
}
