import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateLine, judgeMessages, judgementSchema } from '../agent/judge-prompt.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../bench/sandbox.ts';
import { canonicalJson, turnSchema } from '../agent/tool-calls.ts';
import { toolByName, ToolState } from '../agent/tools.ts';
import type { ChatCompletionRequest as AnyRequest, ChatMessage } from './engine.ts';
import { collectStream, qwen3EmptyThinkBlock } from './engine.ts';
import {
  detectableKinds,
  mutate,
  NoisyEngine,
  noiseKinds,
  noiseVisibility,
  seededRandom,
  undetectableKinds,
  type NoiseKind,
  type NoisyEngineOptions,
} from './noisy.ts';
import { qwen3Tokens } from './qwen3-tokens.ts';
import type { TokenMeasure } from './realistic-output.ts';
import { ScriptedEngine } from './scripted.ts';

/** A request answered in one piece. */
type ChatCompletionRequest = AnyRequest & { stream?: false };

// ------------------------------------------------------------------ a judgement batch

const links = Array.from({ length: 12 }, (_, index) =>
  linkCandidate({
    id: `L${index + 1}`,
    domain: `company${index + 1}.example`,
    name: `Company ${index + 1}`,
    text: `Company ${index + 1}`,
    context: `Company ${index + 1} raised a seed round.`,
    kind: 'other',
    score: 0.6,
  }),
);
const truth = (id: string) => ({ startup: Number(id.slice(1)) % 2 === 0, name: `Company ${id.slice(1)}` });

/** Always right: answers every id the schema requires. */
const judgeOracle = (request: AnyRequest) => {
  const ids = (JSON.parse(request.response_format!.schema) as { required: string[] }).required;
  return JSON.stringify(Object.fromEntries(ids.map((id) => [id, truth(id)])));
};

function judgeRequest(
  ids: string[],
  overrides: Partial<ChatCompletionRequest> = {},
  messages?: ChatMessage[],
): ChatCompletionRequest {
  const lines = ids.map((id) =>
    candidateLine(
      links.find((link) => link.id === id)!,
      undefined,
    ),
  );
  return {
    messages: messages ?? judgeMessages(lines, ids),
    response_format: { type: 'json_object', schema: JSON.stringify(judgementSchema(ids)) },
    max_tokens: 2000,
    temperature: 0,
    seed: 0,
    ...overrides,
  };
}

const allIds = links.map((link) => link.id);

/** Each link's answer as the engine gave it (text of its entry), or "missing". */
async function answerPerLink(engine: NoisyEngine, request: ChatCompletionRequest): Promise<Map<string, string>> {
  const completion = await engine.chat.completions.create(request);
  const content = completion.choices[0].message.content;
  const entries = new Map<string, string>();
  for (const id of allIds) {
    const at = content.indexOf(`"${id}"`);
    entries.set(id, at < 0 ? 'missing' : content.slice(at, content.indexOf('}', at) + 1));
  }
  return entries;
}

function mistakesByTask(engine: NoisyEngine, request: number): Map<string, NoiseKind> {
  return new Map(
    engine.noise.filter((record) => record.request === request).map((record) => [record.task, record.kind]),
  );
}

// ------------------------------------------------------------------ an Ask decision

const state = new ToolState();
state.setReport(linkReport(links));
const extractCall = '{"tool":"extract_links","arguments":{}}';
const lookupCall = '{"tool":"lookup_company","arguments":{"link_id":"L2"}}';

function askRequest(instruction: string, extra: ChatMessage[] = [], system = 'You are Sift.'): ChatCompletionRequest {
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: instruction },
      { role: 'assistant', content: extractCall },
      { role: 'user', content: '<tool_response>\n{"links":12}\n</tool_response>' },
      ...extra,
    ],
    response_format: { type: 'json_object', schema: JSON.stringify(turnSchema(state)) },
    max_tokens: 200,
    temperature: 0,
  };
}

const noisy = (options: Partial<NoisyEngineOptions> & { rate: number }, oracle = judgeOracle) =>
  new NoisyEngine(new ScriptedEngine(oracle), { seed: 11, ...options });

describe('NoisyEngine: mistakes drawn per task', () => {
  it('is the oracle at rate 0 and wrong about every task at rate 1', async () => {
    const clean = noisy({ rate: 0 });
    const request = judgeRequest(allIds);
    expect((await clean.chat.completions.create(request)).choices[0].message.content).toBe(judgeOracle(request));
    const wrong = noisy({ rate: 1 });
    await wrong.chat.completions.create(request);
    expect(new Set(wrong.noise.map((record) => record.task)).size).toBe(allIds.length);
  });

  it('each candidate of a batch is its own task, wrong at about the given rate', async () => {
    let wrong = 0;
    for (let seed = 0; seed < 40; seed++) {
      const engine = new NoisyEngine(new ScriptedEngine(judgeOracle), { rate: 0.2, seed });
      await engine.chat.completions.create(judgeRequest(allIds));
      wrong += engine.noise.length;
    }
    expect(wrong / (40 * allIds.length)).toBeGreaterThan(0.14);
    expect(wrong / (40 * allIds.length)).toBeLessThan(0.26);
  });

  it('with ρ = 1 a link gets the same mistake however it is re-asked', async () => {
    const engine = noisy({ rate: 0.5, correlation: 1 });
    const first = await answerPerLink(engine, judgeRequest(allIds));
    const mistaken = mistakesByTask(engine, 0);
    expect(mistaken.size).toBeGreaterThan(2);
    expect(mistaken.size).toBeLessThan(allIds.length);
    const reordered = [...allIds].reverse();
    const paraphrased = [
      { role: 'system' as const, content: 'Decide for each link below whether it is a startup.' },
      {
        role: 'user' as const,
        content: `Here are the candidates, one per line:\n\n${reordered
          .map((id) =>
            candidateLine(
              links.find((link) => link.id === id)!,
              undefined,
            ),
          )
          .join('\n')}\n\nReply in JSON.`,
      },
    ];
    const reasks: ChatCompletionRequest[] = [
      judgeRequest(reordered),
      judgeRequest(allIds, { temperature: 0.5, seed: 30 }),
      judgeRequest(allIds, {}, paraphrased),
      judgeRequest(allIds, {}, [
        ...judgeRequest(allIds).messages,
        { role: 'assistant', content: '{"L1":' },
        { role: 'user', content: '<tool_error>\n- Your answer was cut off\n</tool_error>' },
      ]),
    ];
    for (const [index, request] of reasks.entries()) {
      const again = await answerPerLink(engine, request);
      // Same links wrong, in the same way; the right ones stay right.
      expect(mistakesByTask(engine, index + 1), `re-ask ${index + 1}`).toEqual(mistaken);
      for (const id of allIds) {
        const kind = [...mistaken.entries()].find(([task]) => task.includes(`company${id.slice(1)}.example `))?.[1];
        if (kind === undefined || kind === 'wrong-judgement') expect(again.get(id), `${id}`).toBe(first.get(id));
      }
    }
    // A vote on the links the first two samples split on: a subset, still the same tasks.
    const subset = allIds.filter((_, index) => index % 3 === 0);
    await engine.chat.completions.create(judgeRequest(subset));
    for (const [task, kind] of mistakesByTask(engine, reasks.length + 1)) expect(mistaken.get(task)).toBe(kind);
  });

  /** Over 30 seeds: how often a link wrong on the first ask is wrong again on a re-ask (the same way, if `sameKind`). */
  async function wrongAgain(
    options: { rate: number; correlation: number },
    reask: ChatCompletionRequest,
    sameKind: boolean,
  ): Promise<number> {
    let firstWrong = 0;
    let again = 0;
    for (let seed = 0; seed < 30; seed++) {
      const engine = new NoisyEngine(new ScriptedEngine(judgeOracle), { ...options, seed });
      await engine.chat.completions.create(judgeRequest(allIds));
      await engine.chat.completions.create(reask);
      const [first, second] = [mistakesByTask(engine, 0), mistakesByTask(engine, 1)];
      firstWrong += first.size;
      again += [...first].filter(([task, kind]) => second.has(task) && (!sameKind || second.get(task) === kind)).length;
    }
    return again / firstWrong;
  }

  it('with ρ = 0 re-asks are independent: a wrong link is wrong again only at the base rate', async () => {
    const share = await wrongAgain(
      { rate: 0.5, correlation: 0 },
      judgeRequest(allIds, { temperature: 0.5, seed: 30 }),
      false,
    );
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it('with ρ = 0.5 a re-ask repeats the first mistake about half the time, plus chance', async () => {
    // 0.5 repeats, and a fresh draw is the same kind now and then.
    const share = await wrongAgain({ rate: 0.3, correlation: 0.5 }, judgeRequest(allIds), true);
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.7);
  });

  it('an Ask decision is the instruction as typed and the calls made: repairs, votes and rewording repeat its mistake', async () => {
    const oracle = () => lookupCall;
    let checked = 0;
    for (let seed = 0; seed < 20; seed++) {
      const engine = new NoisyEngine(new ScriptedEngine(oracle), { rate: 0.7, correlation: 1, seed });
      const first = (await engine.chat.completions.create(askRequest('Is Company 2 in our CRM?'))).choices[0].message
        .content;
      if (!engine.noise.length) continue;
      checked++;
      const again = [
        askRequest('Is Company 2 in our CRM?', [
          { role: 'assistant', content: first },
          { role: 'user', content: '<tool_error>\n- fix it\n</tool_error>' },
        ]),
        { ...askRequest('Is Company 2 in our CRM?'), temperature: 0.5, seed: 3 },
        askRequest('Is Company 2 in our CRM?', [], 'You carry out instructions with tools, one call per turn.'),
      ];
      for (const request of again) {
        expect((await engine.chat.completions.create(request)).choices[0].message.content).toBe(first);
      }
      // After another call ran, it is another decision.
      const next = askRequest('Is Company 2 in our CRM?', [
        { role: 'assistant', content: lookupCall },
        { role: 'user', content: '<tool_response>\n{"status":"not-in-crm"}\n</tool_response>' },
      ]);
      await engine.chat.completions.create(next);
      expect(new Set(engine.noise.map((record) => record.task)).size).toBeLessThanOrEqual(2);
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('draws do not depend on the order tasks are asked in', async () => {
    const one = noisy({ rate: 0.4, correlation: 1 });
    const two = noisy({ rate: 0.4, correlation: 1 });
    await one.chat.completions.create(judgeRequest(allIds.slice(0, 6)));
    await one.chat.completions.create(judgeRequest(allIds.slice(6)));
    await two.chat.completions.create(judgeRequest(allIds.slice(6)));
    await two.chat.completions.create(judgeRequest(allIds.slice(0, 6)));
    const kinds = (engine: NoisyEngine) => new Map(engine.noise.map((record) => [record.task, record.kind] as const));
    expect(kinds(two)).toEqual(kinds(one));
  });

  it('refuses a rate or a correlation outside 0..1', () => {
    expect(() => noisy({ rate: 1.5 })).toThrow('rate must be 0..1');
    expect(() => noisy({ rate: 0.1, correlation: -0.1 })).toThrow('correlation must be 0..1');
  });

  it('seededRandom is uniform enough and repeatable', () => {
    const random = seededRandom(42);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / 1000).toBeCloseTo(0.5, 1);
    expect(Array.from({ length: 5 }, seededRandom(42))).toEqual(values.slice(0, 5));
  });
});

// ------------------------------------------------------------------ kinds and what the gates see

const ports = sandboxPorts(linkReport(links), new MemoryCrm());

/** What the gates say of an Ask turn: the reason it is rejected, or null when it would run. */
async function gateVerdict(content: string, finish: string, request: ChatCompletionRequest): Promise<string | null> {
  if (finish !== 'stop') return 'gate 1: cut off';
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return 'gate 2: not JSON';
  }
  if (!Value.Check(JSON.parse(request.response_format!.schema), value)) return 'gate 2: schema';
  const turn = value as { tool?: string; arguments?: never };
  if (turn.tool === undefined) return null;
  if (canonicalJson(value) === canonicalJson(JSON.parse(extractCall))) return 'gate 3: repeated call';
  const errors = await toolByName(turn.tool)!.check(turn.arguments!, state, ports);
  return errors.length ? `gate 3: ${errors.join('; ')}` : null;
}

describe('every mistake kind, and whether a gate can see it', () => {
  it('classifies every kind', () => {
    expect([...detectableKinds, ...undetectableKinds].sort()).toEqual([...noiseKinds].sort());
    expect(undetectableKinds).toEqual(['wrong-tool', 'wrong-judgement']);
  });

  for (const kind of noiseKinds) {
    it(`${kind}: made on an Ask turn, and ${noiseVisibility[kind] === 'detectable' ? 'a gate rejects it' : 'it passes every gate'}`, async () => {
      let made = 0;
      for (let seed = 0; seed < 12; seed++) {
        const engine = new NoisyEngine(new ScriptedEngine(() => lookupCall), { rate: 1, seed, kinds: [kind] });
        const request = askRequest('Is Company 2 in our CRM?');
        const completion = await engine.chat.completions.create(request);
        if (engine.noise[0]?.kind !== kind) continue;
        made++;
        const verdict = await gateVerdict(
          completion.choices[0].message.content,
          completion.choices[0].finish_reason,
          request,
        );
        if (noiseVisibility[kind] === 'detectable') {
          // Curly quotes are seen (strict JSON fails) and repaired only because the meaning survives.
          expect(verdict, completion.choices[0].message.content).not.toBeNull();
        } else {
          expect(verdict, completion.choices[0].message.content).toBeNull();
          expect(completion.choices[0].message.content).not.toBe(lookupCall);
        }
      }
      expect(made).toBe(12);
    });
  }

  it('on a judgement: each kind that applies to one link, on that link only', async () => {
    const applies = noiseKinds.filter((kind) => kind !== 'wrong-tool' && kind !== 'repeated-call');
    for (const kind of applies) {
      const engine = noisy({ rate: 0.3, kinds: [kind], correlation: 0 });
      const request = judgeRequest(allIds);
      const completion = await engine.chat.completions.create(request);
      const content = completion.choices[0].message.content;
      expect(
        engine.noise.every((record) => record.kind === kind),
        kind,
      ).toBe(true);
      expect(engine.noise.length, kind).toBeGreaterThan(0);
      const valid = (() => {
        try {
          return Value.Check(judgementSchema(allIds), JSON.parse(content));
        } catch {
          return false;
        }
      })();
      expect(valid && completion.choices[0].finish_reason === 'stop', `${kind}: ${content}`).toBe(
        noiseVisibility[kind] === 'undetectable',
      );
    }
    // Kinds that need a tool fall through to one that applies.
    const engine = noisy({ rate: 1, kinds: ['wrong-tool', 'truncated-json'] });
    await engine.chat.completions.create(judgeRequest(['L1', 'L2']));
    expect(engine.noise.map((record) => record.kind)).toContain('truncated-json');
  });

  it('mutate: one mistake on one answer, for the grammar tests', () => {
    const schema = JSON.stringify(turnSchema(state));
    expect(JSON.parse(mutate(lookupCall, schema, ['invented-argument'], 0, 0.4)!.content).arguments).toMatchObject({
      link_id: 'L2',
      confidence: 0.9,
    });
    expect(mutate(lookupCall, schema, ['truncated-json'], 0, 0.4)).toMatchObject({ finish: 'length' });
    expect(mutate('not json', schema, ['wrong-tool'], 0, 0.4)).toBeNull();
  });
});

// ------------------------------------------------------------------ what reaches the agent

describe('what a Qwen3 model sends back', () => {
  let tokens: TokenMeasure;
  beforeAll(() => {
    tokens = qwen3Tokens();
  });
  const qwen3 = { model: 'Qwen3-1.7B-q4f32_1-MLC' };

  it('opens with the empty think block, in the content and the first stream chunk', async () => {
    const engine = noisy({ rate: 0, info: qwen3 });
    const request = { ...judgeRequest(['L1', 'L2']), extra_body: { enable_thinking: false } };
    const whole = await engine.chat.completions.create(request);
    expect(whole.choices[0].message.content.startsWith(qwen3EmptyThinkBlock)).toBe(true);
    const chunks = await engine.chat.completions.create({ ...request, stream: true });
    const first = await chunks[Symbol.asyncIterator]().next();
    expect(first.value?.choices[0]?.delta.content?.startsWith(qwen3EmptyThinkBlock)).toBe(true);
    const streamed = await collectStream(await engine.chat.completions.create({ ...request, stream: true }));
    expect(streamed.choices[0].message.content).toBe(whole.choices[0].message.content);
    const thinking = await engine.chat.completions.create({ ...request, extra_body: { enable_thinking: true } });
    expect(thinking.choices[0].message.content.startsWith('<think>')).toBe(false);
  });

  it('pads JSON as it likes where the grammar allows whitespace, and writes it compact under the compact grammar', async () => {
    const engine = noisy({ rate: 0, info: qwen3, layout: 'indented', tokens });
    const free = judgeRequest(['L1', 'L2']);
    const padded = (await engine.chat.completions.create(free)).choices[0].message.content;
    expect(padded).toContain('\n  "L1": {\n');
    const compact = (
      await engine.chat.completions.create({
        ...free,
        response_format: { ...free.response_format!, grammar: 'root ::= "{}"' },
      })
    ).choices[0].message.content;
    expect(compact).toBe(`${qwen3EmptyThinkBlock}${judgeOracle(free)}`);
  });

  it('stops at max_tokens with "length", the think block counted, the text cut there', async () => {
    const engine = noisy({ rate: 0, info: qwen3, layout: 'indented', tokens });
    const request = { ...judgeRequest(allIds), max_tokens: 60 };
    const completion = await engine.chat.completions.create(request);
    const { content } = completion.choices[0].message;
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage.completion_tokens).toBe(60);
    expect(tokens.count(qwen3EmptyThinkBlock) + tokens.count(content.slice(qwen3EmptyThinkBlock.length))).toBe(60);
    expect(JSON.stringify(JSON.parse(judgeOracle(request)), null, 2).startsWith(content.slice(19))).toBe(true);
  });
});
