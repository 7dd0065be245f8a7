import { describe, expect, it } from 'vitest';
import { completionFields, TraceRecorder, traceToJson, traceTotals } from './trace.ts';

function recorder() {
  let clock = 100;
  return new TraceRecorder(
    { id: 'run-1', job: 'newsletter', instruction: null, engine: null, fallback: null },
    () => (clock += 5),
  );
}

const modelStep = (location: 'on-device' | 'cloud', ok: boolean) => ({
  kind: 'judge' as const,
  label: 'judge',
  engine: { id: location, model: 'm', size: location === 'cloud' ? ('large' as const) : ('small' as const), location },
  escalated: location === 'cloud',
  promptTokens: 100,
  outputTokens: 10,
  finishReason: 'stop',
  raw: '{}',
  gates: [{ gate: 'schema' as const, ok, detail: ok ? 'valid' : 'bad' }],
  error: ok ? null : 'bad',
  startedAt: 0,
  durationMs: 3,
});

describe('the trace', () => {
  it('numbers steps, times deterministic ones and reports each step as it is added', () => {
    const seen: number[] = [];
    let clock = 0;
    const trace = new TraceRecorder(
      { id: 'r', job: 'ask', instruction: 'x', engine: null, fallback: null },
      () => (clock += 10),
      (step) => seen.push(step.index),
    );
    const started = trace.now();
    trace.tool('tools', 'extract links', started, { links: 3 });
    trace.record(modelStep('on-device', true));
    expect(trace.trace.steps[0]).toMatchObject({ index: 0, engine: null, durationMs: 10, result: { links: 3 } });
    expect(seen).toEqual([0, 1]);
    expect(trace.finish('answered')).toMatchObject({ outcome: 'answered', finishedAt: 40 });
  });

  it('builds every step in one place: what happened is given, the rest takes its "nothing happened" value', () => {
    const trace = recorder();
    const started = trace.now();
    const step = trace.record({
      kind: 'plan',
      label: 'choose',
      startedAt: started,
      ...completionFields(
        { id: 'e', model: 'qwen', size: 'small', location: 'on-device', contextWindow: 4096 },
        {
          id: 'c',
          model: 'qwen',
          choices: [{ index: 0, message: { role: 'assistant', content: '{"answer":"ok"}' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 },
        },
      ),
    });
    expect(step).toEqual({
      index: 0,
      kind: 'plan',
      label: 'choose',
      engine: { id: 'e', model: 'qwen', size: 'small', location: 'on-device' },
      attempt: 0,
      repairOf: null,
      escalated: false,
      promptTokens: 40,
      outputTokens: 6,
      finishReason: 'stop',
      speed: null,
      raw: '{"answer":"ok"}',
      gates: [],
      repairs: [],
      call: null,
      result: null,
      error: null,
      startedAt: started,
      durationMs: 5,
    });
  });

  it('keeps the speed a call reports (first token, prefill, decode, grammar set-up), dropping timings the step has already', () => {
    const fields = completionFields(
      { id: 'e', model: 'qwen', size: 'small', location: 'on-device', contextWindow: 4096 },
      {
        id: 'c',
        model: 'qwen',
        choices: [{ index: 0, message: { role: 'assistant', content: '{}' }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 40,
          completion_tokens: 6,
          total_tokens: 46,
          e2e_latency_s: 1.9,
          time_to_first_token_s: 0.5,
          decode_tokens_per_s: 12,
        },
      },
    );
    expect(fields.speed).toEqual({ time_to_first_token_s: 0.5, decode_tokens_per_s: 12 });
  });

  it('totals model calls, tokens and rejections by where they ran', () => {
    const trace = recorder();
    trace.record(modelStep('on-device', false));
    trace.record(modelStep('on-device', true));
    trace.record(modelStep('cloud', true));
    expect(traceTotals(trace.trace)).toEqual({
      modelCalls: 3,
      promptTokens: 300,
      outputTokens: 30,
      rejected: 1,
      byLocation: {
        'on-device': { calls: 2, promptTokens: 200, outputTokens: 20, durationMs: 6 },
        cloud: { calls: 1, promptTokens: 100, outputTokens: 10, durationMs: 3 },
      },
    });
  });

  it('exports as versioned JSON that round-trips', () => {
    const trace = recorder();
    trace.record(modelStep('on-device', true));
    const json = JSON.parse(traceToJson(trace.finish('done')));
    expect(json).toMatchObject({ format: 'sift-trace', version: 1, id: 'run-1', totals: { modelCalls: 1 } });
    expect(json.steps).toEqual(trace.trace.steps);
  });
});
