/**
 * Oracles: scripted responders that always give the right answer, computed from the request. The
 * benchmark wraps them in a NoisyEngine; tests use them as a model that never errs. They read the
 * request the way a model would (the ids in the schema, the tool responses in the conversation).
 */
import type { ChatCompletionRequest } from '../../src/core/engines/engine.ts';
import type { ScriptedResponder } from '../../src/core/engines/scripted.ts';
import { canonicalJson, type ToolCall } from '../../src/core/agent/tool-calls.ts';

/** The ids a judgement request asks about: the required keys of its schema. */
export function requestedIds(request: ChatCompletionRequest): string[] {
  const schema = JSON.parse(request.response_format?.schema ?? '{}') as { required?: string[] };
  return schema.required ?? [];
}

/** Answers each judgement request from a table of right answers (link id → verdict). */
export function judgeOracle(truth: (id: string) => { startup: boolean; name: string }): ScriptedResponder {
  return (request) => {
    const answer: Record<string, { startup: boolean; name: string }> = {};
    for (const id of requestedIds(request)) answer[id] = truth(id);
    return JSON.stringify(answer);
  };
}

/** The calls that ran: each assistant turn answered by a `<tool_response>`, not a `<tool_error>`. */
export function executedCalls(request: ChatCompletionRequest): string[] {
  const done: string[] = [];
  const { messages } = request;
  for (let index = 0; index + 1 < messages.length; index++) {
    const message = messages[index]!;
    const next = messages[index + 1]!;
    if (message.role !== 'assistant' || !next.content.startsWith('<tool_response>')) continue;
    try {
      done.push(canonicalJson(JSON.parse(message.content)));
    } catch {
      // A malformed turn that was answered anyway cannot be one of the plan's calls.
    }
  }
  return done;
}

/**
 * Follows a fixed plan: the first call of the plan not yet executed, then the answer. Calls that
 * ran out of order (a wrong but harmless read) are skipped over, as a sensible model would.
 */
export function planOracle(plan: readonly ToolCall[], answer: string): ScriptedResponder {
  const steps = plan.map((call) => ({ call, key: canonicalJson(call) }));
  return (request) => {
    const done = new Set(executedCalls(request));
    const next = steps.find((step) => !done.has(step.key));
    return JSON.stringify(next ? { tool: next.call.tool, arguments: next.call.arguments } : { answer });
  };
}

/** The links of a judgement request as its prompt lists them: `L3 acme.com | ...` → id and domain. */
export function requestedLinks(request: ChatCompletionRequest): Array<{ id: string; domain: string }> {
  const ids = new Set(requestedIds(request));
  // The list is in the first user message; a repair request ends with the errors instead.
  const found = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role !== 'user') continue;
    for (const match of message.content.matchAll(/^(L\d+) (\S+) \|/gm)) {
      if (ids.has(match[1]!) && !found.has(match[1]!)) found.set(match[1]!, match[2]!);
    }
  }
  return [...found].map(([id, domain]) => ({ id, domain }));
}
