/**
 * An upper bound on the Qwen3 tokens of a prompt's text, per script, cheap enough for the page (the
 * real tokenizer weighs 7.5 MB and stays out of bundles). Characters ÷ 3 undercounts Chinese by
 * half and Japanese by 85 % (measured with Qwen3's tokenizer), so a batch sized on it overflows a
 * 4,096-token window. Each weight is at or above what Qwen3's byte-level BPE spends per character
 * of that script in newsletter text, tracking links' random ids included; prompt-tokens.test.ts holds the bound to the real tokenizer
 * on fixtures in ten scripts and on every line the corpus's judge prompts carry. Where a rare
 * character still costs more, the judge splits its batch on the "length" stop or context error.
 */

/** Per character; never above the character's UTF-8 bytes, the most a byte-level BPE can spend. */
function characterBound(code: number): number {
  if (code < 0x80) return code >= 0x30 && code <= 0x39 ? 1 : 0.55; // Qwen3 writes digits one by one
  if (code < 0x800) return 1; // accented Latin, Greek, Cyrillic, Hebrew, Arabic
  if (code < 0x10000) return isCjk(code) ? 1 : 1.5; // other scripts of the BMP (Thai, Devanagari…)
  return 2; // emoji and the rest beyond the BMP
}

/** Han, kana, Hangul and CJK punctuation: a token per character or less in newsletter text. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x3000 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}

export function promptTokenBound(text: string): number {
  let bound = 0;
  for (const character of text) bound += characterBound(character.codePointAt(0)!);
  return Math.ceil(bound);
}
