/**
 * The benchmark's comparison: raw use of the model's output, with no gate, no repair and no vote.
 * Only bench:agent uses it, to show what the gates are worth; the app never does.
 */
import type { JudgeUncertain } from '../../src/core/agent/judge-votes.ts';
import { judgeMaxTokens, planBatches } from '../../src/core/agent/judge-batches.ts';
import type { Verdict } from '../../src/core/agent/judge-gate.ts';
import { candidateLine, judgeMessages, judgementSchema } from '../../src/core/agent/judge-prompt.ts';
import { traceEngine } from '../../src/core/agent/trace.ts';

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
    recorder.add({
      kind: 'judge',
      label: `judge ${ids.length} uncertain links (ungated)`,
      engine: traceEngine(engine.info),
      attempt: 0,
      repairOf: null,
      escalated: false,
      promptTokens: completion.usage.prompt_tokens,
      outputTokens: completion.usage.completion_tokens,
      finishReason: completion.choices[0].finish_reason,
      raw,
      gates: [],
      repairs: [],
      call: null,
      result: null,
      error: null,
      startedAt,
      durationMs: recorder.now() - startedAt,
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
