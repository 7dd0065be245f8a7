/**
 * What a real model's answer looks like when it reaches the agent, for the test engines (scripted
 * and noisy): Qwen3's empty think block in front, JSON laid out the way the request's grammar lets
 * the model lay it out, and the text cut where `max_tokens` runs out (WebLLM 0.2.86's rules,
 * `lib/index.js` `forwardPrefill` and `processNextToken`). Test and benchmark code: the app never
 * runs a model through this.
 */
import type { CallSpeed, ChatCompletionRequest, FinishReason } from './engine.ts';
import { qwen3EmptyThinkBlock } from './engine.ts';

/** How a model lays out JSON where its grammar allows free whitespace. */
export type JsonLayout = 'compact' | 'spaced' | 'indented';

/** Counts and cuts text in one model's tokens. */
export interface TokenMeasure {
  count(text: string): number;
  /** The text of the first `limit` tokens. */
  truncate(text: string, limit: number): string;
}

const utf8 = new TextEncoder();

/**
 * A bound never below a byte-level BPE tokenizer's count (Qwen's among them: every token stands for
 * at least one byte), light enough for the browser. Loose: about three times the real count for
 * English, so an engine measuring with it stops early; Node code measures with `qwen3Tokens`.
 */
export const utf8TokenBound: TokenMeasure = {
  count: (text) => utf8.encode(text).length,
  truncate(text, limit) {
    let bytes = 0;
    let end = 0;
    for (const char of text) {
      bytes += utf8.encode(char).length;
      if (bytes > limit) break;
      end += char.length;
    }
    return text.slice(0, end);
  },
};

/** The estimate an engine without a tokenizer reports as usage: not a measurement. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * WebLLM opens every answer with the empty think block when `enable_thinking` is false, and Sift's
 * WebLLM engine sends false for Qwen3 models unless the request turns thinking on.
 */
export function writesEmptyThinkBlock(model: string, request: Pick<ChatCompletionRequest, 'extra_body'>): boolean {
  return /^Qwen3-/.test(model) && request.extra_body?.enable_thinking !== true;
}

/** How a test engine's model writes. */
export interface ModelHabits {
  /** How it lays out JSON where the request allows free whitespace. */
  layout?: JsonLayout;
  /** Where its tokens are counted and cut (`qwen3Tokens()` in Node, `utf8TokenBound` anywhere); without it nothing is cut. */
  tokens?: TokenMeasure;
  /** The speed it reports with every call, as WebLLM's `usage.extra` does; without it, none. */
  speed?: CallSpeed;
}

/** The model's own layout, unless the request carries the compact grammar, which leaves it none to choose. */
export function layoutFor(
  request: Pick<ChatCompletionRequest, 'response_format'>,
  habit: JsonLayout | undefined,
): JsonLayout | undefined {
  return request.response_format?.grammar ? 'compact' : habit;
}

/** `compact` is `JSON.stringify`; `spaced` is Python's `json.dumps` (", " and ": "); `indented` uses two spaces. */
export function layoutJson(value: unknown, layout: JsonLayout): string {
  return relayoutJson(JSON.stringify(value), layout)!;
}

/** A JSON text's tokens: strings, punctuation, and numbers and literals exactly as spelled. */
const jsonTokenPattern = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;

/**
 * JSON text laid out anew with every token as written: a number keeps its spelling (`1.0` stays a
 * float to a Python-typed checker, which re-serialising the parsed value would lose). Null when the
 * text is not JSON.
 */
export function relayoutJson(text: string, layout: JsonLayout): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const tokens = text.match(jsonTokenPattern) ?? [];
  if (layout === 'compact') return tokens.join('');
  if (layout === 'spaced')
    return tokens.map((token) => (token === ',' || token === ':' ? `${token} ` : token)).join('');
  // As `JSON.stringify(value, null, 2)`: empty containers stay on one line.
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    const previous = tokens[index - 1];
    if (token === '{' || token === '[') {
      out += token;
      if (next !== (token === '{' ? '}' : ']')) {
        depth++;
        out += newline();
      }
    } else if (token === '}' || token === ']') {
      if (previous !== (token === '}' ? '{' : '[')) {
        depth--;
        out += newline();
      }
      out += token;
    } else if (token === ',') {
      out += `,${newline()}`;
    } else if (token === ':') {
      out += ': ';
    } else {
      out += token;
    }
  });
  return out;
}

export interface ShapedAnswer {
  content: string;
  finish: FinishReason;
  completionTokens: number;
}

/**
 * The answer as the engine returns it: the think block (when the model writes one) and the text,
 * cut where the block and the text together reach `max_tokens` (WebLLM stops with "length" as soon
 * as the output holds `max_tokens` tokens, so a complete answer needs one token to spare for the
 * stop token). `finish` other than "stop" is kept: the text was already cut by whoever wrote it
 * ("length": at `max_tokens`).
 * Without a token measure nothing is cut: the engine cannot know where the model would stop.
 */
export function shapeAnswer(
  text: string,
  finish: FinishReason,
  request: ChatCompletionRequest,
  model: string,
  tokens: TokenMeasure | undefined,
): ShapedAnswer {
  const block = writesEmptyThinkBlock(model, request) ? qwen3EmptyThinkBlock : '';
  if (!tokens) return { content: block + text, finish, completionTokens: estimateTokens(block + text) };
  const blockTokens = block ? tokens.count(block) : 0;
  const textTokens = tokens.count(text);
  if (finish === 'length') return { content: block + text, finish, completionTokens: request.max_tokens };
  if (finish !== 'stop') return { content: block + text, finish, completionTokens: blockTokens + textTokens };
  if (blockTokens + textTokens >= request.max_tokens) {
    const room = Math.max(0, request.max_tokens - blockTokens);
    return { content: block + tokens.truncate(text, room), finish: 'length', completionTokens: request.max_tokens };
  }
  return { content: block + text, finish: 'stop', completionTokens: blockTokens + textTokens + 1 };
}

/** The prompt's tokens in Qwen's chat format (ChatML), as WebLLM renders the conversation. */
export function promptTokens(request: ChatCompletionRequest, tokens: TokenMeasure | undefined): number {
  if (!tokens) return estimateTokens(request.messages.map((message) => message.content).join('\n'));
  const chat = request.messages
    .map((message) => `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`)
    .join('');
  return tokens.count(`${chat}<|im_start|>assistant\n`);
}
