/**
 * The benchmark's comparison: raw use of the model's output, with no gate, no repair, no vote and no
 * confirmation, for the newsletter job and for Ask.
 * Only bench:agent uses it, to show what the gates are worth; the app never does.
 */
import { turnMaxTokens, type AskTurn } from '../../src/core/agent/ask.ts';
import type { JudgeUncertain } from '../../src/core/agent/judge-votes.ts';
import { judgeMaxTokens, planBatches } from '../../src/core/agent/judge-batches.ts';
import type { Verdict } from '../../src/core/agent/judge-gate.ts';
import { candidateLine, judgeMessages, judgementSchema } from '../../src/core/agent/judge-prompt.ts';
import { canonicalJson, readTurn, turnSchema } from '../../src/core/agent/tool-calls.ts';
import { toolByName } from '../../src/core/agent/tools.ts';
import { completionFields } from '../../src/core/agent/trace.ts';

/** Every batch asked once; whatever parses is taken, and a link the answer lacks is "not a startup". */
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
    const startedAt = recorder.now();
    const completion = await engine.chat.completions.create(
      {
        messages: judgeMessages(ids.map(lineOf), ids),
        response_format: { type: 'json_object', schema: JSON.stringify(judgementSchema(ids)) },
        max_tokens: judgeMaxTokens(ids.length),
      },
      signal ? { signal } : undefined,
    );
    const raw = completion.choices[0].message.content;
    recorder.record({
      kind: 'judge',
      label: `judge ${ids.length} uncertain links (ungated)`,
      startedAt,
      ...completionFields(engine.info, completion),
    });
    const answer = JSON.parse(raw) as Record<string, Partial<Verdict>>;
    for (const id of ids) {
      const verdict = answer[id];
      judgements.push({
        id,
        startup: verdict?.startup === true,
        name: String(verdict?.name ?? links.get(id)!.name),
        decidedBy: 'model' as const,
      });
    }
  }
  return judgements;
};

/**
 * No gates for Ask: whatever the engine says is parsed strictly and executed, writes included,
 * without asking the user.
 */
export const ungatedTurn: AskTurn = async (messages, state, options, recorder) => {
  const engine = (options.engines.primary ?? options.engines.fallback)!;
  const startedAt = recorder.now();
  const completion = await engine.chat.completions.create(
    {
      messages,
      max_tokens: turnMaxTokens,
      response_format: { type: 'json_object', schema: JSON.stringify(turnSchema(state.report ? state : null)) },
    },
    options.signal ? { signal: options.signal } : undefined,
  );
  const turn = readTurn(JSON.parse(completion.choices[0].message.content));
  recorder.record({
    kind: 'plan',
    label: 'choose the next tool call (ungated)',
    startedAt,
    ...completionFields(engine.info, completion),
    call: turn.kind === 'call' ? turn.call : null,
  });
  if (turn.kind === 'answer') return { kind: 'stop', outcome: 'answered', answer: turn.answer, reason: null };
  const tool = toolByName(turn.call.tool);
  if (!tool) throw new Error(`unknown tool ${turn.call.tool}`);
  const result = await tool.execute(turn.call.arguments as never, options.ports, state);
  state.executed.set(canonicalJson(turn.call), result);
  return { kind: 'continue', call: turn.call, response: result };
};
