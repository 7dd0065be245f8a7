/**
 * Test- and bench-only engines for checking the benchmark itself (never offered in a production
 * build): `scripted-oracle` always gives the right answer, `scripted-wrong` always a plausible wrong
 * one — a function that exists but is the wrong one, a missing parameter, a wrong type, a call where
 * none is due, a link misjudged, a plan stopped one call short. Like a small model at temperature 0,
 * each repeats its answer when asked again. They recognise an item by its opening messages, so
 * they answer exactly what the runner sends.
 */
import { askSystemPrompt, secondOpinionNote } from '../agent/ask.ts';
import { candidateLine, judgeMessages } from '../agent/judge-prompt.ts';
import { planOracle } from '../../../tests/support/oracles.ts';
import type { ToolCall } from '../agent/tool-calls.ts';
import type { ChatMessage } from '../engines/engine.ts';
import { ScriptedEngine, type ScriptedResponder } from '../engines/scripted.ts';
import { firstRightCall, firstRightOutput, inSchemaOrder, wrongOutputs, type MistakeKind } from './answer-variants.ts';
import type { ModelCall } from './ast-checker.ts';
import { bfclMessages } from './bfcl.ts';
import type { BenchItem } from './items.ts';
import { stringifyPyJson, toPlain, type PyValue } from './py-json.ts';
import { siftToolDocs, type AskItem, type JudgeItem } from './sift-items.ts';

export const scriptedBenchEngineIds = ['scripted-oracle', 'scripted-wrong'] as const;
export type ScriptedBenchEngineId = (typeof scriptedBenchEngineIds)[number];

export function scriptedBenchEngine(id: ScriptedBenchEngineId, items: readonly BenchItem[]): ScriptedEngine {
  const answers = new Map<string, ScriptedResponder>();
  const rank = new Map<string, number>();
  for (const item of items) {
    const position = rank.get(item.category) ?? 0;
    rank.set(item.category, position + 1);
    answers.set(openingKey(openingMessages(item)), responder(id, item, position));
  }
  return new ScriptedEngine(
    (request, index) => {
      const answer = answers.get(openingKey(request.messages));
      if (!answer) throw new Error(`${id} does not know this request: it answers only the benchmark's items.`);
      return answer(request, index);
    },
    { id, model: id, location: 'test', size: 'small', contextWindow: 32_768 },
  );
}

function openingMessages(item: BenchItem): ChatMessage[] {
  switch (item.kind) {
    case 'bfcl':
      return bfclMessages(item.bfcl);
    case 'judge':
      return judgeMessages(
        item.judge.links.map((link) => candidateLine(link, undefined)),
        item.judge.links.map((link) => link.id),
      );
    case 'ask':
      return [
        { role: 'system', content: askSystemPrompt() },
        { role: 'user', content: item.ask.instruction },
      ];
  }
}

/** The item a request is about; Ask's votes add a note to the system prompt, which says nothing of the item. */
const openingKey = (messages: readonly ChatMessage[]) =>
  messages
    .slice(0, 2)
    .map((message) => `${message.role}:${message.content.replace(`\n${secondOpinionNote}`, '')}`)
    .join('\n');

function responder(id: ScriptedBenchEngineId, item: BenchItem, position: number): ScriptedResponder {
  const right = id === 'scripted-oracle';
  switch (item.kind) {
    case 'bfcl': {
      const calls = right ? firstRightOutput(item.bfcl) : wrongBfclOutput(item.bfcl, position);
      // In the schema's property order, as a grammar-constrained model writes them.
      const ordered = calls.map((call) => inSchemaOrder(call, item.bfcl.functions));
      const text = calls.length
        ? stringifyPyJson({ calls: ordered.map((call) => ({ tool: call.name, arguments: call.arguments })) }, 1)
        : JSON.stringify({ answer: 'None of these functions can do what is asked.' });
      return () => text;
    }
    case 'judge': {
      const text = JSON.stringify(judgeAnswer(item.judge, right));
      return () => text;
    }
    case 'ask':
      return askResponder(item.ask, right);
  }
}

/** The mistakes in turn, so a category shows each kind that applies to it. */
const mistakeOrder: MistakeKind[] = ['wrong-function', 'missing-parameter', 'wrong-type', 'disallowed-value'];

function wrongBfclOutput(item: Extract<BenchItem, { kind: 'bfcl' }>['bfcl'], position: number): ModelCall[] {
  const outputs = wrongOutputs(item);
  if (item.answer.length === 0) return outputs[0]!.calls;
  // A single function has no wrong one to pick: `${name}_v2` would not be plausible.
  const usable = outputs.filter(
    (output) => mistakeOrder.includes(output.kind) && (output.kind !== 'wrong-function' || item.functions.length > 1),
  );
  const pick = usable[position % usable.length] ?? outputs.find((output) => output.kind === 'extra-call')!;
  return pick.calls;
}

function judgeAnswer(item: JudgeItem, right: boolean): Record<string, { startup: boolean; name: string }> {
  const answer: Record<string, { startup: boolean; name: string }> = {};
  item.links.forEach((link, index) => {
    const truth = item.truth[link.id]!;
    // The wrong engine misjudges the first link, as a small model does a borderline one.
    const startup = right || index > 0 ? truth.startup : !truth.startup;
    answer[link.id] = { startup, name: startup ? (truth.names[0] ?? link.name) : link.name };
  });
  return answer;
}

function askResponder(item: AskItem, right: boolean): ScriptedResponder {
  const docs = siftToolDocs();
  const calls: ToolCall[] = item.plan.map((step) => {
    const call = firstRightCall({ functions: docs, answer: step }, step[0]!);
    return { tool: call.name, arguments: toPlain(call.arguments as PyValue) as Record<string, unknown> };
  });
  // Stopping one call short is the mistake small planners repeat most.
  return planOracle(right ? calls : calls.slice(0, -1), item.answer);
}
