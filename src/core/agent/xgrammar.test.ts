/**
 * Every schema the model sees must compile under XGrammar (what WebLLM constrains decoding with),
 * and the grammar must be no looser than our validator: a string the grammar accepts has to pass
 * gate 2 too. Runs the real @mlc-ai/web-xgrammar WASM in Node.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutate, noiseKinds } from '../engines/noisy.ts';
import { judgementSchema } from './judge-prompt.ts';
import { AnswerSchema, callSchema, turnSchema } from './tool-calls.ts';
import { tools, ToolState } from './tools.ts';
import { company, linkCandidate, linkReport } from '../bench/sandbox.ts';

interface XGrammar {
  Grammar: { fromJSONSchema(schema: string): Promise<unknown> };
  Testings: { isGrammarAcceptString(grammar: unknown, input: string): Promise<boolean> };
}

let xgrammar: XGrammar;

beforeAll(async () => {
  // A UMD bundle that reads `location` when it loads; in Node there is none.
  const global = globalThis as { location?: unknown; xgrammar?: XGrammar };
  global.location ??= { href: 'file:///' };
  await import('@mlc-ai/web-xgrammar');
  xgrammar = global.xgrammar!;
  expect(xgrammar, 'web-xgrammar did not register globalThis.xgrammar').toBeDefined();
});

const state = new ToolState();
state.setReport(linkReport([linkCandidate({ id: 'L1' }), linkCandidate({ id: 'L2' }), linkCandidate({ id: 'L12' })]));
state.companies.set('c7', company({ id: 'c7', name: 'Acme', domain: 'acme.ai', website: null }));

const validExamples: Record<string, unknown[]> = {
  extract_links: [{ tool: 'extract_links', arguments: {} }],
  list_candidates: [
    { tool: 'list_candidates', arguments: {} },
    { tool: 'list_candidates', arguments: { kind: 'startup', min_score: 0.5, limit: 10 } },
  ],
  lookup_company: [
    { tool: 'lookup_company', arguments: { link_id: 'L12' } },
    // Not `Acme \"Robotics\"`: XGrammar 0.1.27 rejects escaped quotes inside a length-bounded string
    // (stricter than gate 2, so safe) — a model's name with quotes fails gate 1 and is re-asked.
    { tool: 'lookup_company', arguments: { name: 'Acme Robotics (YC W25)' } },
  ],
  add_company: [{ tool: 'add_company', arguments: { link_id: 'L2', name: 'Bolt', tags: ['newsletter-nov'] } }],
  tag_company: [{ tool: 'tag_company', arguments: { company_id: 'c7', tags: ['ai-infra', 'q4'] } }],
  export_csv: [{ tool: 'export_csv', arguments: { link_ids: ['L1', 'L2'] } }],
};

const invalidExamples = [
  '{"tool":"delete_everything","arguments":{}}',
  '{"tool":"lookup_company","arguments":{"link_id":"L99"}}',
  '{"tool":"tag_company","arguments":{"company_id":"c7","tags":[]}}',
  '{"tool":"tag_company","arguments":{"company_id":"c7","tags":["Not A Tag"]}}',
  '{"tool":"add_company","arguments":{"name":"Bolt"}}',
  '{"tool":"list_candidates","arguments":{"limit":0}}',
  '{"tool":"list_candidates","arguments":{"kind":"unicorn"}}',
  '{"tool":"extract_links","arguments":{"url":"https://evil.example"}}',
  '{"answer":""}',
  '{"answer":"ok","tool":"extract_links"}',
];

const grammars = new Map<string, Promise<unknown>>();

async function accepts(schema: TSchema, input: string): Promise<boolean> {
  const text = JSON.stringify(schema);
  let grammar = grammars.get(text);
  if (!grammar) grammars.set(text, (grammar = xgrammar.Grammar.fromJSONSchema(text)));
  return xgrammar.Testings.isGrammarAcceptString(await grammar, input);
}

/** Gate 2 in short: strict JSON that validates. (The tolerant repair only ever runs after this fails.) */
function validates(schema: TSchema, input: string): boolean {
  try {
    return Value.Check(schema, JSON.parse(input));
  } catch {
    return false;
  }
}

/** Valid strings and their noisy variants: what a grammar could plausibly be asked to accept. */
function variants(examples: unknown[], schema: TSchema, details = [0.1, 0.6]): string[] {
  const texts = examples.map((example) => JSON.stringify(example));
  for (const text of [...texts]) {
    for (const kind of noiseKinds) {
      for (const detail of details) {
        const noisy = mutate(text, JSON.stringify(schema), [kind], 0, detail);
        if (noisy) texts.push(noisy.content);
      }
    }
  }
  return [...new Set(texts)];
}

describe('XGrammar compiles every schema the model sees, and is no looser than gate 2', () => {
  for (const tool of tools) {
    it(`${tool.name}: the call schema, plain and narrowed to the run's ids`, async () => {
      for (const schema of [callSchema(tool, null), callSchema(tool, state)]) {
        for (const text of variants(validExamples[tool.name]!, schema)) {
          const grammar = await accepts(schema, text);
          if (grammar) expect(validates(schema, text), `grammar accepted ${text}`).toBe(true);
        }
        for (const example of validExamples[tool.name]!) {
          expect(await accepts(schema, JSON.stringify(example))).toBe(true);
        }
      }
    });
  }

  it('the turn schema (every tool and the final answer) accepts each valid turn and rejects invalid ones', async () => {
    const schema = turnSchema(state);
    const valid = [...Object.values(validExamples).flat(), { answer: 'Tagged 2 companies.' }];
    for (const example of valid) {
      const text = JSON.stringify(example);
      expect(await accepts(schema, text), text).toBe(true);
      expect(validates(schema, text), text).toBe(true);
    }
    for (const text of invalidExamples) {
      expect(await accepts(schema, text), text).toBe(false);
      expect(validates(schema, text), text).toBe(false);
    }
    // One variant per mistake here: matching against the whole union is slow (~0.1 s a string).
    for (const text of variants(valid, schema, [0.6])) {
      if (await accepts(schema, text)) expect(validates(schema, text), text).toBe(true);
    }
  }, 60_000);

  it('the judgement schema admits exactly the batch ids, once each', async () => {
    const schema = judgementSchema(['L3', 'L7']);
    const good = '{"L3":{"startup":true,"name":"Acme"},"L7":{"startup":false,"name":"Medium"}}';
    expect(await accepts(schema, good)).toBe(true);
    expect(validates(schema, good)).toBe(true);
    for (const bad of [
      '{"L3":{"startup":true,"name":"Acme"}}',
      '{"L3":{"startup":true,"name":"Acme"},"L7":{"startup":false,"name":"M"},"L9":{"startup":true,"name":"X"}}',
      '{"L3":{"startup":"yes","name":"Acme"},"L7":{"startup":false,"name":"M"}}',
      '{"L3":{"startup":true,"name":""},"L7":{"startup":false,"name":"M"}}',
    ]) {
      expect(await accepts(schema, bad), bad).toBe(false);
      expect(validates(schema, bad), bad).toBe(false);
    }
    for (const text of variants([JSON.parse(good)], schema)) {
      if (await accepts(schema, text)) expect(validates(schema, text), text).toBe(true);
    }
  });

  it('the final answer schema', async () => {
    expect(await accepts(AnswerSchema, '{"answer":"done"}')).toBe(true);
    expect(await accepts(AnswerSchema, `{"answer":"${'x'.repeat(601)}"}`)).toBe(false);
  });
});
