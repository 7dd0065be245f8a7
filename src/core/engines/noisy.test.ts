import { describe, expect, it } from 'vitest';
import { mutate, NoisyEngine, noiseKinds, seededRandom, type NoiseKind } from './noisy.ts';
import { ScriptedEngine } from './scripted.ts';

const toolSchema = JSON.stringify({
  anyOf: [
    {
      type: 'object',
      properties: {
        tool: { const: 'lookup_company' },
        arguments: { type: 'object', properties: { link_id: { enum: ['L1', 'L2', 'L3'] } }, required: ['link_id'] },
      },
    },
    {
      type: 'object',
      properties: {
        tool: { const: 'add_company' },
        arguments: { type: 'object', properties: { link_id: { enum: ['L1', 'L2', 'L3'] } }, required: ['link_id'] },
      },
    },
    { type: 'object', properties: { answer: { type: 'string' } } },
  ],
});
const call = '{"tool":"lookup_company","arguments":{"link_id":"L2"}}';
const decisions = '{"L1":{"startup":true,"name":"Acme"},"L2":{"startup":false,"name":"TechCrunch"}}';

const only = (kind: NoiseKind, content: string, detail = 0.4) => mutate(content, toolSchema, [kind], 0, detail);

describe('NoisyEngine', () => {
  it('is the oracle at rate 0 and never the oracle at rate 1', async () => {
    const oracle = new ScriptedEngine(() => call);
    const request = {
      messages: [{ role: 'user' as const, content: 'go' }],
      max_tokens: 50,
      response_format: { type: 'json_object' as const, schema: toolSchema },
    };
    const clean = new NoisyEngine(oracle, { rate: 0, seed: 1 });
    const noisy = new NoisyEngine(oracle, { rate: 1, seed: 1 });
    for (let index = 0; index < 20; index++) {
      expect((await clean.chat.completions.create(request)).choices[0].message.content).toBe(call);
      expect((await noisy.chat.completions.create(request)).choices[0].message.content).not.toBe(call);
    }
    expect(noisy.noise).toHaveLength(20);
    expect(new Set(noisy.noise.map((record) => record.kind)).size).toBeGreaterThan(4);
  });

  it('makes the same mistakes for the same seed, at about the given rate', async () => {
    const run = async (seed: number) => {
      const engine = new NoisyEngine(new ScriptedEngine(() => call), { rate: 0.2, seed });
      for (let index = 0; index < 500; index++) {
        await engine.chat.completions.create({ messages: [{ role: 'user', content: 'go' }], max_tokens: 9 });
      }
      return engine.noise.map((record) => `${record.request}:${record.kind}`);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(70);
    expect(first.length).toBeLessThan(130);
  });

  it('refuses a rate outside 0..1', () => {
    expect(() => new NoisyEngine(new ScriptedEngine([]), { rate: 1.5, seed: 1 })).toThrow('0..1');
  });

  it('seededRandom is uniform enough and repeatable', () => {
    const random = seededRandom(42);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / 1000).toBeCloseTo(0.5, 1);
  });
});

describe('the mistakes small models make', () => {
  it('wrong tool: another tool the schema offers', () => {
    expect(JSON.parse(only('wrong-tool', call)!.content)).toEqual({
      tool: 'add_company',
      arguments: { link_id: 'L2' },
    });
  });

  it('invented argument and missing argument', () => {
    expect(Object.keys(JSON.parse(only('invented-argument', call)!.content).arguments)).toEqual([
      'link_id',
      'confidence',
    ]);
    expect(JSON.parse(only('missing-argument', call)!.content).arguments).toEqual({});
  });

  it('malformed and truncated JSON', () => {
    expect(() => JSON.parse(only('malformed-json', call)!.content)).toThrow();
    const truncated = only('truncated-json', call)!;
    expect(truncated.finish).toBe('length');
    expect(call.startsWith(truncated.content)).toBe(true);
  });

  it('smart quotes with a stray end token', () => {
    const curly = only('smart-quotes', call, 0.9)!.content;
    expect(curly).toContain('\u201ctool\u201d');
    expect(curly).not.toContain('"');
    expect(curly).toMatch(/<\|im_end\|>$/);
  });

  it('a value never extracted: a link id outside the run', () => {
    expect(JSON.parse(only('value-not-allowed', call)!.content).arguments.link_id).toMatch(/^L9\d\d$/);
    const keyed = JSON.parse(only('value-not-allowed', decisions)!.content);
    expect(Object.keys(keyed).some((key) => /^L9\d\d$/.test(key))).toBe(true);
  });

  it('a plain wrong judgement: a valid but wrong id, or a flipped verdict', () => {
    const wrong = JSON.parse(only('wrong-judgement', call)!.content);
    expect(wrong.tool).toBe('lookup_company');
    expect(['L1', 'L3']).toContain(wrong.arguments.link_id);
    const flipped = JSON.parse(only('wrong-judgement', decisions, 0.1)!.content);
    expect(flipped.L1.startup).toBe(false);
  });

  it('falls through to a kind that applies when the picked one does not', () => {
    const result = mutate(decisions, undefined, ['wrong-tool', 'truncated-json'], 0, 0.5);
    expect(result?.kind).toBe('truncated-json');
    expect(noiseKinds).toHaveLength(8);
  });
});
