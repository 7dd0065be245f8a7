import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ScriptedEngine, type ScriptedReply } from '../engines/scripted.ts';
import { compactJsonGrammar } from './json-grammar.ts';
import { maxRepairs, responseFormatFor, runModelStep, type ModelStepSpec } from './model-step.ts';
import { TraceRecorder } from './trace.ts';

const Pick = Type.Object({ id: Type.Enum(['L1', 'L2']), startup: Type.Boolean() }, { additionalProperties: false });

function spec(overrides: Partial<ModelStepSpec<unknown>> = {}): ModelStepSpec<unknown> {
  return {
    kind: 'judge',
    label: 'pick',
    messages: [
      { role: 'system', content: 'judge' },
      { role: 'user', content: 'L1 or L2?' },
    ],
    schema: () => Pick,
    maxTokens: () => 40,
    check: (value) => ({ errors: [], value }),
    ...overrides,
  };
}

function setup(replies: ScriptedReply[], fallbackReplies?: ScriptedReply[]) {
  let clock = 0;
  const recorder = new TraceRecorder(
    { id: 't', job: 'ask', instruction: null, engine: null, fallback: null },
    () => clock++,
  );
  const primary = new ScriptedEngine(replies, { id: 'small', location: 'on-device' });
  const fallback = fallbackReplies
    ? new ScriptedEngine(fallbackReplies, { id: 'large', size: 'large', location: 'cloud' })
    : null;
  return { recorder, primary, fallback };
}

describe('the gates, one by one', () => {
  it('gate 1 (constrained): sends the schema and its compact grammar as response_format and rejects output cut off at max_tokens', async () => {
    const { recorder, primary } = setup([
      { content: '{"id":"L1","sta', finish_reason: 'length' },
      '{"id":"L1","startup":true}',
    ]);
    const outcome = await runModelStep(spec(), { primary }, recorder);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L1', startup: true } });
    expect(primary.requests[0]!.response_format).toEqual({
      type: 'json_object',
      schema: JSON.stringify(Pick),
      grammar: compactJsonGrammar(JSON.parse(JSON.stringify(Pick))),
    });
    expect(primary.requests[0]!.max_tokens).toBe(40);
    const [first] = recorder.trace.steps;
    expect(first!.gates).toEqual([expect.objectContaining({ gate: 'constrained', ok: false })]);
    expect(first!.gates[0]!.detail).toMatch(/cut off at 40 tokens/);
  });

  it('gate 1: a schema the compact grammar cannot express goes as the schema alone, not as a looser grammar', () => {
    // BFCL's data puts array keywords on an integer; JSON Schema ignores them, json-grammar.ts refuses them.
    const foreign = Type.Object({ scores: Type.Array(Type.Integer({ minItems: 5 })) });
    expect(responseFormatFor(foreign)).toEqual({ type: 'json_object', schema: JSON.stringify(foreign) });
    expect(responseFormatFor(Pick).grammar).toContain('"\\"startup\\""');
  });

  it('gate 1: an engine that throws is a rejected attempt, not a crash', async () => {
    const primary = new ScriptedEngine(() => {
      throw new Error('GPU device lost');
    });
    const { recorder } = setup([]);
    const outcome = await runModelStep(spec(), { primary }, recorder);
    expect(outcome.ok).toBe(false);
    expect(recorder.trace.steps[0]!.gates[0]!.detail).toContain('GPU device lost');
  });

  it('gate 2 (schema): rejects malformed JSON, feeding the parse error back', async () => {
    const { recorder, primary } = setup(['{"id" "L1"}', '{"id":"L2","startup":false}']);
    const outcome = await runModelStep(spec(), { primary }, recorder);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L2', startup: false } });
    expect(recorder.trace.steps[0]!.gates[1]).toMatchObject({ gate: 'schema', ok: false });
    expect(primary.requests[1]!.messages.at(-1)!.content).toContain('not valid JSON');
  });

  it('the repair names the field, the value the model wrote and why it is wrong, with the allowed values', async () => {
    const { recorder, primary } = setup(['{"id":"L3","startup":"yes"}', '{"id":"L2","startup":false}']);
    const outcome = await runModelStep(spec(), { primary }, recorder);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L2', startup: false } });
    const [outside] = recorder.trace.steps;
    expect(outside!.gates[1]).toMatchObject({ gate: 'schema', ok: false });
    expect(recorder.trace.steps[1]!.repairOf).toBe(0);
    // The repair request carries the rejected output verbatim and the complaint; the last message is the user's.
    const repair = primary.requests[1]!.messages;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: '{"id":"L3","startup":"yes"}' });
    expect(repair.at(-1)!.role).toBe('user');
    const complaint = repair.at(-1)!.content;
    expect(complaint).toMatch(/\/id: [^\n]*, got "L3" \(allowed: L1, L2\)/);
    expect(complaint).toMatch(/\/startup: [^\n]*boolean[^\n]*, got "yes"/);
  });

  it('gate 2: tolerates curly quotes and trailing text only when the result then validates', async () => {
    const { recorder, primary } = setup([
      '\u201cnot json\u201d',
      '{\u201cid\u201d: \u201cL1\u201d, \u201cstartup\u201d: true} <|im_end|>',
    ]);
    const outcome = await runModelStep(spec(), { primary }, recorder);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L1', startup: true } });
    expect(recorder.trace.steps[0]!.gates[1]).toMatchObject({ gate: 'schema', ok: false });
    expect(recorder.trace.steps[1]!.repairs).toEqual(['replaced curly quotes', 'removed text after the object']);
    expect(recorder.trace.steps[1]!.gates[1]!.detail).toMatch(/valid after a tolerant repair/);
  });

  it('gate 2: a repaired value that does not validate is still rejected', async () => {
    const { recorder, primary } = setup([
      '{\u201cid\u201d: \u201cL9\u201d, \u201cstartup\u201d: true}',
      '{"id":"L1","startup":true}',
    ]);
    await runModelStep(spec(), { primary }, recorder);
    expect(recorder.trace.steps[0]!.gates[1]).toMatchObject({ gate: 'schema', ok: false });
  });

  it('gate 3 (state): a schema-valid answer that contradicts the run is rejected and never returned', async () => {
    const { recorder, primary } = setup(['{"id":"L2","startup":true}', '{"id":"L1","startup":true}']);
    const outcome = await runModelStep(
      spec({
        check: (value) =>
          (value as { id: string }).id === 'L2' ? { errors: ['L2 was never extracted'] } : { errors: [], value },
      }),
      { primary },
      recorder,
    );
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L1' } });
    expect(recorder.trace.steps[0]!.gates.map((gate) => [gate.gate, gate.ok])).toEqual([
      ['constrained', true],
      ['schema', true],
      ['state', false],
    ]);
    expect(primary.requests[1]!.messages.at(-1)!.content).toContain('L2 was never extracted');
  });

  it(`repairs at most ${maxRepairs} times, then escalates to the fallback engine`, async () => {
    const bad = '{"id":"L7","startup":true}';
    const { recorder, primary, fallback } = setup([bad, bad, bad, bad], ['{"id":"L1","startup":true}']);
    expect(maxRepairs).toBe(1);
    const outcome = await runModelStep(spec(), { primary, fallback }, recorder);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'L1' } });
    expect(primary.requests).toHaveLength(1 + maxRepairs);
    const last = recorder.trace.steps.at(-1)!;
    expect(last.escalated).toBe(true);
    expect(last.engine).toEqual({ id: 'large', model: 'scripted', size: 'large', location: 'cloud' });
    // The fallback starts from the original question, not from the small model's failures.
    expect(fallback!.requests[0]!.messages).toHaveLength(2);
  });

  it('reports the step undecided when every engine fails every gate', async () => {
    const bad = 'no';
    const { recorder, primary, fallback } = setup([bad, bad, bad], [bad, bad, bad]);
    const outcome = await runModelStep(spec(), { primary, fallback }, recorder);
    expect(outcome).toMatchObject({ ok: false });
    expect(recorder.trace.steps).toHaveLength(2 * (1 + maxRepairs));
  });

  it('records the speed the engine measured for each call in its trace step, and none where it measured none', async () => {
    const { recorder } = setup([]);
    const speed = {
      time_to_first_token_s: 0.42,
      prefill_tokens_per_s: 310,
      decode_tokens_per_s: 21.5,
      grammar_init_s: 0.8,
    };
    const measured = new ScriptedEngine(
      ['{"id":"L9"}', '{"id":"L1","startup":true}'],
      { location: 'on-device' },
      { speed },
    );
    await runModelStep(spec(), { primary: measured }, recorder);
    expect(recorder.trace.steps.map((step) => step.speed)).toEqual([speed, speed]);

    const unmeasured = new ScriptedEngine(['{"id":"L2","startup":false}']);
    await runModelStep(spec(), { primary: unmeasured }, recorder);
    expect(recorder.trace.steps.at(-1)!.speed).toBeNull();
  });

  it('stops at once when the run is aborted', async () => {
    const { recorder, primary } = setup(['{"id":"L1","startup":true}']);
    const controller = new AbortController();
    controller.abort();
    await expect(runModelStep(spec(), { primary }, recorder, controller.signal)).rejects.toThrow('cancelled');
    expect(primary.requests).toHaveLength(0);
  });
});
