/**
 * Every schema the model sees must compile under XGrammar (what WebLLM constrains decoding with),
 * and the grammar must be no looser than our validator: a string the grammar accepts has to pass
 * gate 2 too. Runs the real @mlc-ai/web-xgrammar WASM in Node.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutate, noiseKinds } from '../engines/noisy.ts';
import { layoutJson } from '../engines/realistic-output.ts';
import { compactJsonGrammar, UnsupportedSchemaError } from './json-grammar.ts';
import { judgementSchema } from './judge-prompt.ts';
import { AnswerSchema, callSchema, turnSchema } from './tool-calls.ts';
import { toolByName, tools, ToolState } from './tools.ts';
import { company, linkCandidate, linkReport } from '../bench/sandbox.ts';

interface XGrammar {
  Grammar: {
    fromJSONSchema(
      schema: string,
      anyWhitespace?: boolean,
      indent?: number,
      separators?: [string, string],
      strictMode?: boolean,
    ): Promise<unknown>;
    fromEBNF(ebnf: string): Promise<unknown>;
  };
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

/** Grammar text → compiled grammar, for the compact grammars (ours and XGrammar's own). */
const compiled = new Map<string, Promise<unknown>>();

function compile(key: string, build: () => Promise<unknown>): Promise<unknown> {
  let grammar = compiled.get(key);
  if (!grammar) compiled.set(key, (grammar = build()));
  return grammar;
}

/** Ours: built in TypeScript, compiled by XGrammar from its EBNF. */
const ours = (schema: TSchema) => {
  const ebnf = compactJsonGrammar(JSON.parse(JSON.stringify(schema)));
  return compile(`ours ${ebnf}`, () => xgrammar.Grammar.fromEBNF(ebnf));
};

/** XGrammar's own converter with no free whitespace: one line, "," and ":" as separators. */
const theirs = (schema: TSchema) => {
  const text = JSON.stringify(schema);
  return compile(`theirs ${text}`, () => xgrammar.Grammar.fromJSONSchema(text, false, -1, [',', ':'], true));
};

/** Whitespace a model could put inside a valid answer when the grammar lets it (XGrammar allows none around it). */
function padded(compact: string): string[] {
  const value = JSON.parse(compact) as unknown;
  return [
    layoutJson(value, 'spaced'),
    layoutJson(value, 'indented'),
    compact.replace(/\}$/, ' }'),
    compact.replace(/:/, ': '),
    compact.replace(/,/, ', '),
    compact.replace(/^\{/, '{\n  '),
  ].filter((text) => text !== compact);
}

/** The schemas the model sees, each with valid answers. */
function schemasWithExamples(): Array<{ name: string; schema: TSchema; valid: unknown[] }> {
  const judged = { L3: { startup: true, name: 'Acme Robotics (YC W25)' }, L7: { startup: false, name: 'Medium' } };
  return [
    ...tools.flatMap((tool) =>
      [null, state].map((runState) => ({
        name: `${tool.name} (${runState ? 'narrowed' : 'plain'})`,
        schema: callSchema(tool, runState),
        valid: validExamples[tool.name]!,
      })),
    ),
    { name: 'the final answer', schema: AnswerSchema, valid: [{ answer: 'Tagged 2 companies.' }] },
    { name: 'a judgement', schema: judgementSchema(['L3', 'L7']), valid: [judged] },
  ];
}

describe('the compact grammar: no free whitespace, for every schema the model sees', () => {
  for (const { name, schema, valid } of schemasWithExamples()) {
    it(`${name}: XGrammar compiles it, it accepts compact JSON and rejects padded JSON, as XGrammar's own does`, async () => {
      const grammar = await ours(schema);
      const reference = await theirs(schema);
      const anyWhitespace = await compile(`any ${JSON.stringify(schema)}`, () =>
        xgrammar.Grammar.fromJSONSchema(JSON.stringify(schema)),
      );
      for (const example of valid) {
        const compact = JSON.stringify(example);
        expect(await xgrammar.Testings.isGrammarAcceptString(grammar, compact), compact).toBe(true);
        for (const text of padded(compact)) {
          expect(await xgrammar.Testings.isGrammarAcceptString(grammar, text), text).toBe(false);
          expect(await xgrammar.Testings.isGrammarAcceptString(reference, text), text).toBe(false);
          // What WebLLM compiles from the schema alone lets every one of these through.
          expect(await xgrammar.Testings.isGrammarAcceptString(anyWhitespace, text), text).toBe(true);
        }
      }
      // Right and wrong answers alike: ours accepts exactly what XGrammar's own compact grammar does.
      for (const text of variants(valid, schema, [0.6])) {
        const expected = await xgrammar.Testings.isGrammarAcceptString(reference, text);
        expect(await xgrammar.Testings.isGrammarAcceptString(grammar, text), text).toBe(expected);
        if (expected) expect(validates(schema, text), text).toBe(true);
      }
    }, 60_000);
  }

  it('the turn schema over every tool and the answer, narrowed to the run: same verdicts as XGrammar', async () => {
    const schema = turnSchema(state);
    const grammar = await ours(schema);
    const reference = await theirs(schema);
    const valid = [...Object.values(validExamples).flat(), { answer: 'Tagged 2 companies.' }];
    for (const example of valid) {
      const text = JSON.stringify(example);
      expect(await xgrammar.Testings.isGrammarAcceptString(grammar, text), text).toBe(true);
      expect(await xgrammar.Testings.isGrammarAcceptString(grammar, layoutJson(example, 'spaced')), text).toBe(false);
    }
    for (const text of invalidExamples) {
      expect(await xgrammar.Testings.isGrammarAcceptString(grammar, text), text).toBe(
        await xgrammar.Testings.isGrammarAcceptString(reference, text),
      );
    }
  }, 60_000);

  it('where ours is stricter than XGrammar 0.1.27, it follows JSON and the validator', async () => {
    const name = callSchema(toolByName('lookup_company')!, null);
    // XGrammar refuses any escape inside a length-bounded string; JSON (and gate 2) allow them.
    const escaped = '{"tool":"lookup_company","arguments":{"name":"Acme \\"Robotics\\""}}';
    expect(validates(name, escaped)).toBe(true);
    expect(await xgrammar.Testings.isGrammarAcceptString(await ours(name), escaped)).toBe(true);
    expect(await xgrammar.Testings.isGrammarAcceptString(await theirs(name), escaped)).toBe(false);
    // XGrammar lets 1.5 through for a number at most 1; ours stops at the bound.
    const list = callSchema(toolByName('list_candidates')!, null);
    const over = '{"tool":"list_candidates","arguments":{"min_score":1.5}}';
    expect(validates(list, over)).toBe(false);
    expect(await xgrammar.Testings.isGrammarAcceptString(await ours(list), over)).toBe(false);
    expect(await xgrammar.Testings.isGrammarAcceptString(await ours(list), over.replace('1.5', '1.0'))).toBe(true);
  });

  it('an object the schema says nothing about takes any members, compact; listed properties allow no others', async () => {
    const anything = await ours({ type: 'object' } as unknown as TSchema);
    for (const text of ['{}', '{"a":1}', '{"a":{"b":[1,"x",null,true]},"c":-2.5e3}'])
      expect(await xgrammar.Testings.isGrammarAcceptString(anything, text), text).toBe(true);
    for (const text of ['{"a": 1}', '{"a":[1, 2]}', '[]', '{"a":}'])
      expect(await xgrammar.Testings.isGrammarAcceptString(anything, text), text).toBe(false);
    // As WebLLM's strict mode compiles it: properties listed, additionalProperties unsaid, no others.
    const listed = { type: 'object', properties: { a: { type: 'integer' } } } as unknown as TSchema;
    for (const text of ['{}', '{"a":1}', '{"a":1,"b":2}']) {
      expect(await xgrammar.Testings.isGrammarAcceptString(await ours(listed), text), text).toBe(
        await xgrammar.Testings.isGrammarAcceptString(await theirs(listed), text),
      );
    }
  });

  it('refuses a schema it cannot express, naming the keyword', () => {
    expect(() => compactJsonGrammar({ type: 'string', format: 'uri' })).toThrow(UnsupportedSchemaError);
    expect(() => compactJsonGrammar({ type: 'string', format: 'uri' })).toThrow('"format"');
    expect(() => compactJsonGrammar({ type: 'object', additionalProperties: true })).toThrow('additionalProperties');
    expect(() => compactJsonGrammar({ type: 'string', pattern: 'L[0-9]+' })).toThrow('anchored');
  });
});
