/**
 * The benchmark's fair baseline: what a competent engineer builds without Sift's gates. Output is
 * constrained (the same schema and compact grammar the gated steps send), the answer is read past
 * Qwen3's empty think block and parsed with a try, a parse error gets one retry of the same
 * request, and whatever parses is used: no schema check of the parsed value, no state check, no
 * repair prompt, no vote, no fallback. Nothing crashes: a batch that never parses counts its links
 * as not startups, an Ask turn that never parses ends the run. Ask's writes go through the app's
 * own confirmation (the user sees and accepts them as in the app), so its writes count as the
 * user would see them. Only bench:agent uses it; the app never does.
 */
import type { AskTurn } from '../../src/core/agent/ask.ts';
import { turnMaxTokens } from '../../src/core/agent/ask.ts';
import { judgeMaxTokens, planBatches } from '../../src/core/agent/judge-batches.ts';
import type { Verdict } from '../../src/core/agent/judge-gate.ts';
import { candidateLine, judgeMessages, judgementSchema } from '../../src/core/agent/judge-prompt.ts';
import type { JudgeUncertain } from '../../src/core/agent/judge-votes.ts';
import { answerText } from '../../src/core/agent/model-output.ts';
import { responseFormatFor } from '../../src/core/agent/model-step.ts';
import { canonicalJson, readTurn, turnSchema } from '../../src/core/agent/tool-calls.ts';
import { toolByName } from '../../src/core/agent/tools.ts';
import { completionFields, type TraceRecorder, type TraceStepKind } from '../../src/core/agent/trace.ts';
import type { ChatCompletionRequest, ChatEngine } from '../../src/core/engines/engine.ts';

/** One constrained call, parsed with a try; one retry on a parse error. Null when neither parses. */
async function askOnce(
  engine: ChatEngine,
  request: ChatCompletionRequest,
  recorder: TraceRecorder,
  kind: TraceStepKind,
  label: string,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const startedAt = recorder.now();
    let completion;
    try {
      completion = await engine.chat.completions.create({ ...request, stream: false }, signal ? { signal } : undefined);
    } catch {
      continue;
    }
    recorder.record({ kind, label, startedAt, attempt, ...completionFields(engine.info, completion) });
    try {
      return JSON.parse(answerText(completion.choices[0].message.content)) as unknown;
    } catch {
      // one retry of the same request
    }
  }
  return null;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Every batch asked once (a retry on a parse error); a link the answer lacks is "not a startup". */
export const judgeUngated: JudgeUncertain = async (uncertain, { engines, matches, recorder, signal }) => {
  const engine = (engines.primary ?? engines.fallback)!;
  const links = new Map(uncertain.map((link) => [link.id, link]));
  const lineOf = (id: string) => candidateLine(links.get(id)!, matches.get(id));
  const batches = planBatches(
    uncertain.map((link) => ({ id: link.id, line: lineOf(link.id) })),
    engine.info,
  );
  const judgements = [];
  for (const ids of batches) {
    const request: ChatCompletionRequest = {
      messages: judgeMessages(ids.map(lineOf), ids),
      response_format: responseFormatFor(judgementSchema(ids)),
      max_tokens: judgeMaxTokens(ids.length),
      temperature: 0,
      extra_body: { enable_thinking: false },
    };
    const answer = asRecord(await askOnce(engine, request, recorder, 'judge', 'judge (ungated)', signal));
    for (const id of ids) {
      const verdict = asRecord(answer[id]) as Partial<Verdict>;
      judgements.push({
        id,
        startup: verdict.startup === true,
        name: typeof verdict.name === 'string' && verdict.name ? verdict.name : links.get(id)!.name,
        decidedBy: 'model' as const,
      });
    }
  }
  return judgements;
};

/** A plain agent loop: ask, parse, execute (writes after the user's confirmation); errors go back as results. */
export const ungatedTurn: AskTurn = async (messages, state, options, recorder) => {
  const engine = (options.engines.primary ?? options.engines.fallback)!;
  const request: ChatCompletionRequest = {
    messages,
    max_tokens: turnMaxTokens,
    response_format: responseFormatFor(turnSchema(state.report ? state : null)),
    temperature: 0,
    extra_body: { enable_thinking: false },
  };
  const value = await askOnce(engine, request, recorder, 'plan', 'choose the next tool call (ungated)', options.signal);
  if (value === null) return { kind: 'stop', outcome: 'failed', answer: null, reason: 'the answer did not parse' };
  const turn = readTurn(asRecord(value));
  if (turn.kind === 'answer') return { kind: 'stop', outcome: 'answered', answer: turn.answer, reason: null };
  const tool = toolByName(turn.call.tool);
  let response: unknown;
  if (!tool) {
    response = { error: `unknown tool ${turn.call.tool}` };
  } else if (
    tool.needsConfirmation &&
    !(await options.ports.confirm({
      tool: tool.name,
      summary: safely(() => tool.describe(turn.call.arguments as never, state)) ?? tool.name,
      arguments: turn.call.arguments,
    }))
  ) {
    response = { declined: true };
  } else {
    try {
      response = await tool.execute(turn.call.arguments as never, options.ports, state);
    } catch (error) {
      response = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  state.executed.set(canonicalJson(turn.call), response);
  recorder.record({
    kind: 'execute',
    label: `run ${turn.call.tool} (ungated)`,
    startedAt: recorder.now(),
    call: turn.call,
    result: response,
  });
  return { kind: 'continue', call: turn.call, response };
};

function safely<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
