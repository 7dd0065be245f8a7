/**
 * Every schema the benchmark sends compiles under XGrammar (what WebLLM constrains decoding with),
 * accepts the right answer, and refuses a wrong type or a missing parameter that gate 2 refuses:
 * the real @mlc-ai/web-xgrammar WASM, in Node.
 */
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { beforeAll, describe, expect, it } from 'vitest';
import { responseFormatFor } from '../agent/model-step.ts';
import { layoutJson, relayoutJson } from '../engines/realistic-output.ts';
import { firstRightOutput, inSchemaOrder, wrongOutputs } from './answer-variants.ts';
import type { FunctionDoc, ModelCall } from './ast-checker.ts';
import { bfclTurnSchema } from './bfcl.ts';
import { benchItems } from './items.ts';
import { stringifyPyJson, type PyValue } from './py-json.ts';

interface XGrammar {
  Grammar: { fromJSONSchema(schema: string): Promise<unknown>; fromEBNF(ebnf: string): Promise<unknown> };
  Testings: { isGrammarAcceptString(grammar: unknown, input: string): Promise<boolean> };
}
let xgrammar: XGrammar;

beforeAll(async () => {
  const scope = globalThis as { location?: unknown; xgrammar?: XGrammar };
  scope.location ??= { href: 'file:///' }; // the UMD bundle reads it on load
  await import('@mlc-ai/web-xgrammar');
  xgrammar = scope.xgrammar!;
});

const turnText = (calls: ModelCall[], functions: FunctionDoc[]) =>
  calls.length
    ? stringifyPyJson({
        calls: calls
          .map((call) => inSchemaOrder(call, functions))
          .map((call) => ({ tool: call.name, arguments: call.arguments })),
      } as PyValue)
    : '{"answer":"None of these functions fits."}';

describe('the BFCL items as Sift asks them', () => {
  const bfcl = benchItems('full').flatMap((item) => (item.kind === 'bfcl' ? [item.bfcl] : []));

  it(`all ${bfcl.length} turn schemas compile and accept the right answer; refused mistakes are refused by both`, async () => {
    for (const item of bfcl) {
      const schema = bfclTurnSchema(item.functions);
      const grammar = await xgrammar.Grammar.fromJSONSchema(JSON.stringify(schema));
      const right = turnText(firstRightOutput(item), item.functions);
      expect(await xgrammar.Testings.isGrammarAcceptString(grammar, right), `${item.id}: ${right}`).toBe(true);
      expect(Value.Check(schema as TSchema, JSON.parse(right)), item.id).toBe(true);
      for (const wrong of wrongOutputs(item)) {
        const text = turnText(wrong.calls, item.functions);
        const byGrammar = await xgrammar.Testings.isGrammarAcceptString(grammar, text);
        // The grammar is never looser than gate 2: what it lets through, validation accepts too.
        if (byGrammar) expect(Value.Check(schema as TSchema, JSON.parse(text)), `${item.id} ${wrong.kind}`).toBe(true);
        if (wrong.kind === 'missing-parameter' && !Value.Check(schema as TSchema, JSON.parse(text))) {
          expect(byGrammar, `${item.id}: grammar let a missing required parameter through`).toBe(false);
        }
      }
    }
  }, 240_000);

  it('the compact grammar the agent sends with each of them (where it can express the schema) compiles, accepts the right answer without whitespace and nothing gate 2 refuses', async () => {
    let expressed = 0;
    for (const item of bfcl) {
      const format = responseFormatFor(bfclTurnSchema(item.functions) as TSchema);
      if (!format.grammar) continue;
      expressed++;
      const schema = JSON.parse(format.schema) as TSchema;
      const grammar = await xgrammar.Grammar.fromEBNF(format.grammar);
      const right = relayoutJson(turnText(firstRightOutput(item), item.functions), 'compact')!;
      expect(await xgrammar.Testings.isGrammarAcceptString(grammar, right), `${item.id}: ${right}`).toBe(true);
      const padded = layoutJson(JSON.parse(right), 'spaced');
      if (padded !== right) expect(await xgrammar.Testings.isGrammarAcceptString(grammar, padded), item.id).toBe(false);
      for (const wrong of wrongOutputs(item)) {
        const text = relayoutJson(turnText(wrong.calls, item.functions), 'compact')!;
        if (await xgrammar.Testings.isGrammarAcceptString(grammar, text)) {
          expect(Value.Check(schema, JSON.parse(text)), `${item.id} ${wrong.kind}`).toBe(true);
        }
      }
    }
    // Those it cannot express go as the schema alone (tested above); they must stay the exception.
    expect(expressed).toBeGreaterThanOrEqual(bfcl.length * 0.95);
  }, 240_000);
});
