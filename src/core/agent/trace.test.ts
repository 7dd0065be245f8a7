import { describe, expect, it } from 'vitest';
import { TraceRecorder, traceToJson, traceTotals } from './trace.ts';

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
  attempt: 0,
  repairOf: null,
  escalated: location === 'cloud',
  promptTokens: 100,
  outputTokens: 10,
  finishReason: 'stop',
  raw: '{}',
  gates: [{ gate: 'schema' as const, ok, detail: ok ? 'valid' : 'bad' }],
  repairs: [],
  call: null,
  result: null,
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
    trace.add(modelStep('on-device', true));
    expect(trace.trace.steps[0]).toMatchObject({ index: 0, engine: null, durationMs: 10, result: { links: 3 } });
    expect(seen).toEqual([0, 1]);
    expect(trace.finish('answered')).toMatchObject({ outcome: 'answered', finishedAt: 40 });
  });

  it('totals model calls, tokens and rejections by where they ran', () => {
    const trace = recorder();
    trace.add(modelStep('on-device', false));
    trace.add(modelStep('on-device', true));
    trace.add(modelStep('cloud', true));
    expect(traceTotals(trace.trace)).toEqual({
      modelCalls: 3,
      promptTokens: 300,
      outputTokens: 30,
      rejected: 1,
      byLocation: {
        'on-device': { calls: 2, promptTokens: 200, outputTokens: 20 },
        cloud: { calls: 1, promptTokens: 100, outputTokens: 10 },
      },
    });
  });

  it('exports as versioned JSON that round-trips', () => {
    const trace = recorder();
    trace.add(modelStep('on-device', true));
    const json = JSON.parse(traceToJson(trace.finish('done')));
    expect(json).toMatchObject({ format: 'sift-trace', version: 1, id: 'run-1', totals: { modelCalls: 1 } });
    expect(json.steps).toEqual(trace.trace.steps);
  });
});
