/**
 * Turns a model's raw text into JSON. Strict first; then a small set of tolerant repairs for the
 * mistakes that do not change meaning (curly quotes, a thinking block, a code fence, text after the
 * object). A repaired value is only ever used if it then passes schema validation: the caller
 * decides, this module only reports what it changed.
 *
 * Qwen3's empty think block at the very start is not a mistake: WebLLM writes it there itself
 * whenever thinking is off (engine.ts `qwen3EmptyThinkBlock`), so it is read past as normal output.
 * The caller keeps the raw text, block included, in the conversation: WebLLM reuses its KV cache
 * only when the history matches what it generated. The block's tokens count against `max_tokens`
 * (token-budget.ts `thinkBlockTokens`).
 */
import { qwen3EmptyThinkBlock } from '../engines/engine.ts';
import { messageOf } from '../text/error-message.ts';

export type ParsedOutput = { ok: true; value: unknown; repairs: string[] } | { ok: false; error: string };

/** The answer after WebLLM's leading empty think block, which is part of every Qwen3 answer. */
export function answerText(raw: string): string {
  return raw.startsWith(qwen3EmptyThinkBlock) ? raw.slice(qwen3EmptyThinkBlock.length) : raw;
}

export function parseModelOutput(raw: string): ParsedOutput {
  const answer = answerText(raw);
  try {
    return { ok: true, value: JSON.parse(answer), repairs: [] };
  } catch (error) {
    const strictError = messageOf(error);
    const repairs: string[] = [];
    let text = answer;
    const withoutThinking = text.replace(/<think>[\s\S]*?<\/think>/g, '');
    if (withoutThinking !== text) repairs.push('removed a thinking block');
    text = withoutThinking;
    const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
    if (fenced) {
      text = fenced[1]!;
      repairs.push('removed a code fence');
    }
    const straight = text.replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"');
    if (straight !== text) repairs.push('replaced curly quotes');
    text = straight;
    const start = text.search(/[{[]/);
    if (start < 0) return { ok: false, error: `Not JSON: ${strictError}` };
    const end = endOfValue(text, start);
    if (end < 0) return { ok: false, error: `Incomplete JSON (cut off?): ${strictError}` };
    if (start > 0 && text.slice(0, start).trim()) repairs.push('removed text before the object');
    if (text.slice(end).trim()) repairs.push('removed text after the object');
    try {
      return { ok: true, value: JSON.parse(text.slice(start, end)), repairs };
    } catch (repairError) {
      return {
        ok: false,
        error: `Not valid JSON: ${repairError instanceof Error ? repairError.message : strictError}`,
      };
    }
  }
}

/** Index just past the JSON object or array starting at `start`, or -1 if it never closes. */
function endOfValue(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}
