import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { qwen3EmptyThinkBlock } from '../engines/engine.ts';
import { ScriptedEngine } from '../engines/scripted.ts';
import { answerText, parseModelOutput } from './model-output.ts';
import { runModelStep } from './model-step.ts';
import { TraceRecorder } from './trace.ts';

describe('parseModelOutput: strict JSON, then only meaning-preserving repairs', () => {
  it('parses strict JSON without repairs', () => {
    expect(parseModelOutput('{"a":[1,"}"]}')).toEqual({ ok: true, value: { a: [1, '}'] }, repairs: [] });
  });

  it('straightens curly quotes and drops an end token after the object', () => {
    expect(parseModelOutput('{\u201ca\u201d: \u201cb\u201d}<|im_end|>')).toEqual({
      ok: true,
      value: { a: 'b' },
      repairs: ['replaced curly quotes', 'removed text after the object'],
    });
  });

  it('drops a thinking block, a code fence and text before the object', () => {
    expect(parseModelOutput('<think>hmm</think>\n```json\n{"a":1}\n```')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(parseModelOutput('Sure! {"a":1}')).toMatchObject({ ok: true, repairs: ['removed text before the object'] });
  });

  it('never completes cut-off output or guesses a missing colon', () => {
    expect(parseModelOutput('{"a":{"b":1}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Incomplete JSON/),
    });
    expect(parseModelOutput('{"a" 1}')).toMatchObject({ ok: false });
    expect(parseModelOutput('no json here')).toMatchObject({ ok: false, error: expect.stringMatching(/Not JSON/) });
    expect(parseModelOutput('')).toMatchObject({ ok: false });
  });
});

describe("Qwen3's empty think block: normal output, not a repair", () => {
  it('reads past exactly the leading block, with any JSON whitespace after it', () => {
    expect(parseModelOutput(`${qwen3EmptyThinkBlock}{"a":1}`)).toEqual({ ok: true, value: { a: 1 }, repairs: [] });
    expect(parseModelOutput(`${qwen3EmptyThinkBlock}{\n  "a": [1, 2]\n}`)).toEqual({
      ok: true,
      value: { a: [1, 2] },
      repairs: [],
    });
    expect(answerText(`${qwen3EmptyThinkBlock}{"a":1}`)).toBe('{"a":1}');
    expect(answerText('{"a":1}')).toBe('{"a":1}');
  });

  it('any other think block is still a repair: one with thoughts, or one not at the start', () => {
    expect(parseModelOutput('<think>\nL3 is a blog.\n</think>\n\n{"a":1}')).toEqual({
      ok: true,
      value: { a: 1 },
      repairs: ['removed a thinking block'],
    });
    expect(parseModelOutput(`{"a":1}${qwen3EmptyThinkBlock}`)).toMatchObject({
      ok: true,
      repairs: [expect.any(String)],
    });
    expect(parseModelOutput(`${qwen3EmptyThinkBlock}${qwen3EmptyThinkBlock}{"a":1}`)).toMatchObject({
      ok: true,
      repairs: ['removed a thinking block'],
    });
    expect(parseModelOutput(qwen3EmptyThinkBlock)).toMatchObject({ ok: false });
  });

  it('a Qwen3 step passes the gates without a repair, and a repair keeps the raw answer verbatim', async () => {
    const Pick = Type.Object({ id: Type.Enum(['L1', 'L2']) }, { additionalProperties: false });
    const engine = new ScriptedEngine(['{"id": "L9"}', '{"id": "L2"}'], { model: 'Qwen3-1.7B-q4f32_1-MLC' });
    const recorder = new TraceRecorder(
      { id: 't', job: 'ask', instruction: null, engine: null, fallback: null },
      () => 0,
    );
    const outcome = await runModelStep(
      {
        kind: 'judge',
        label: 'pick',
        messages: [{ role: 'user', content: 'L1 or L2?' }],
        schema: () => Pick,
        maxTokens: () => 40,
        check: (value) => ({ errors: [], value }),
      },
      { primary: engine },
      recorder,
    );
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L2' } });
    expect(recorder.trace.steps.map((step) => step.repairs)).toEqual([[], []]);
    expect(recorder.trace.steps[1]!.gates.find((gate) => gate.gate === 'schema')?.detail).toBe('valid');
    // WebLLM reuses its KV cache only when the history is what it generated, think block included
    // (and no whitespace: the step sends the compact grammar).
    expect(engine.requests[1]!.messages[1]).toEqual({
      role: 'assistant',
      content: `${qwen3EmptyThinkBlock}{"id":"L9"}`,
    });
    expect(engine.requests[1]!.messages[1]!.content).toBe(recorder.trace.steps[0]!.raw);
  });
});
