/**
 * What a request asks the model to decide, whatever the words around it: each candidate link of a
 * judgement batch (its domain and anchor text, read from the candidate lines wherever they sit in
 * the prompt and in whatever order), or one Ask decision (the instruction as the user typed it,
 * and the calls already executed before it). The noisy engine keys a model's mistakes on these, so
 * that a repair, a vote, another seed or temperature, a reordered batch or a reworded prompt is
 * the same task to it: a stubborn model cannot be talked out of a mistake by rephrasing.
 */
import type { ChatCompletionRequest } from '../engines/engine.ts';
import { qwen3EmptyThinkBlock } from '../engines/engine.ts';
import { canonicalJson } from './tool-calls.ts';

export interface Task {
  /** The same for every re-ask of one decision. */
  key: string;
  /** Where the decision sits in the answer: a judged link's id (a key of the answer), or null for all of it. */
  answerKey: string | null;
}

/** A candidate line as `candidateLine` writes it: `L3 acme.com | text: Acme | sentence: … | score 0.55`. */
const candidateLinePattern = /^(L\d+) (\S+)((?: \| [^\n]*)?)$/gm;

/** Link id → task key, from every candidate line in the conversation (the first line per id wins). */
export function candidateTasks(request: Pick<ChatCompletionRequest, 'messages'>): Map<string, string> {
  const found = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === 'assistant') continue;
    for (const [, id, domain, rest] of message.content.matchAll(candidateLinePattern)) {
      if (found.has(id!)) continue;
      const anchor =
        rest!
          .split(' | ')
          .find((field) => field.startsWith('text: '))
          ?.slice('text: '.length) ?? '';
      found.set(id!, ['link', domain!.toLowerCase(), anchor.replace(/…$/, '').trim()].filter(Boolean).join(' '));
    }
  }
  return found;
}

/**
 * The instruction as typed (the first user message) and the calls executed so far: assistant turns
 * answered with a `<tool_response>` (a turn answered with an error is a failed attempt at the same
 * decision, so it does not count).
 */
export function decisionKey(request: Pick<ChatCompletionRequest, 'messages'>): string {
  const { messages } = request;
  const instruction = messages.find((message) => message.role === 'user')?.content ?? '';
  const executed: string[] = [];
  for (let index = 0; index + 1 < messages.length; index++) {
    const message = messages[index]!;
    if (message.role !== 'assistant' || !messages[index + 1]!.content.startsWith('<tool_response>')) continue;
    const text = message.content.startsWith(qwen3EmptyThinkBlock)
      ? message.content.slice(qwen3EmptyThinkBlock.length)
      : message.content;
    try {
      executed.push(canonicalJson(JSON.parse(text)));
    } catch {
      executed.push(text.trim());
    }
  }
  return `decide ${instruction}\n${executed.join('\n')}`;
}

/**
 * The tasks one answer decides: one per judged link when the answer is keyed by candidates the
 * prompt lists, otherwise the whole answer is one decision.
 */
export function tasksOf(request: Pick<ChatCompletionRequest, 'messages'>, answer: unknown): Task[] {
  if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
    const candidates = candidateTasks(request);
    const judged = Object.keys(answer).filter((key) => candidates.has(key));
    if (judged.length) return judged.map((id) => ({ key: candidates.get(id)!, answerKey: id }));
  }
  return [{ key: decisionKey(request), answerKey: null }];
}
