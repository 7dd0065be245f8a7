import { describe, expect, it } from 'vitest';
import { modelCalls, type TraceStep } from '../../core/agent/trace.ts';
import { DEFAULT_PRICES, formatCost, parsePrices, summariseRun, type CallRecord } from './run-summary.ts';

const small = {
  id: 'webllm:qwen3-1.7b',
  model: 'Qwen3-1.7B-q4f16_1-MLC',
  size: 'small',
  location: 'on-device',
} as const;
const groq = { id: 'openai-compatible:groq', model: 'openai/gpt-oss-20b', size: 'large', location: 'cloud' } as const;
const ollama = { id: 'openai-compatible:ollama', model: 'qwen3:30b', size: 'large', location: 'on-premises' } as const;
const call = (engine: CallRecord['engine'], prompt: number, output: number, durationMs = 100): CallRecord => ({
  engine,
  promptTokens: prompt,
  outputTokens: output,
  durationMs,
});

describe('summariseRun', () => {
  it('puts each call in its size × place cell, with tokens, time and cost', () => {
    const summary = summariseRun(
      [
        call(small, 1000, 100, 900),
        call(small, 800, 80, 700),
        call(groq, 2_000_000, 1_000_000, 400),
        call(ollama, 500, 50),
      ],
      DEFAULT_PRICES,
    );
    expect(summary.cells.small.device).toMatchObject({
      calls: 2,
      promptTokens: 1800,
      outputTokens: 180,
      durationMs: 1600,
      cost: 0,
    });
    expect(summary.cells.large['off-device']).toMatchObject({
      calls: 2,
      cost: 0.2 + 0.5,
      models: ['openai/gpt-oss-20b', 'qwen3:30b'],
    });
    expect(summary.cells.small['off-device'].calls).toBe(0);
    expect(summary.total).toMatchObject({ calls: 4, durationMs: 2100 });
    // The on-device calls priced as if they had gone to the fallback in use.
    expect(summary.saved?.reference).toBe('openai/gpt-oss-20b');
    expect(summary.saved?.cost).toBeCloseTo((1800 * 0.1 + 180 * 0.5) / 1e6, 12);
  });

  it('says "no price set" for a cloud model missing from the table, instead of a wrong $0', () => {
    const unknown = { ...groq, model: 'brand-new-model' };
    const summary = summariseRun([call(unknown, 10, 10)], DEFAULT_PRICES);
    expect(summary.cells.large['off-device'].cost).toBeNull();
    expect(formatCost(summary.total.cost)).toBe('no price set');
    expect(summary.saved).toBeNull();
  });

  it('uses edited prices, and names a reference model when asked', () => {
    const summary = summariseRun(
      [call(small, 1_000_000, 0)],
      [{ model: 'GPT-4.1', inputPerMTok: 3, outputPerMTok: 9 }],
      'gpt-4.1',
    );
    expect(summary.saved).toEqual({ reference: 'GPT-4.1', cost: 3 });
  });
});

describe('the summary of a trace', () => {
  it('counts the model calls the trace gives and skips deterministic steps', () => {
    const step = (engine: TraceStep['engine'], promptTokens: number) =>
      ({ engine, promptTokens, outputTokens: 5, durationMs: 12, gates: [] }) as unknown as TraceStep;
    const calls = modelCalls({ steps: [step(null, 0), step(small, 40), step(groq, 60)] });
    expect(calls).toEqual([
      { ...call(small, 40, 5, 12), rejected: false },
      { ...call(groq, 60, 5, 12), rejected: false },
    ]);
    expect(summariseRun(calls, DEFAULT_PRICES).total).toMatchObject({ calls: 2, promptTokens: 100, durationMs: 24 });
  });
});

describe('parsePrices', () => {
  it('drops malformed rows and keeps good ones', () => {
    expect(parsePrices('x')).toBeUndefined();
    expect(
      parsePrices([
        { model: ' m ', inputPerMTok: 1, outputPerMTok: 2 },
        { model: 'n', inputPerMTok: -1, outputPerMTok: 2 },
        null,
        { model: '' },
      ]),
    ).toEqual([{ model: 'm', inputPerMTok: 1, outputPerMTok: 2 }]);
  });
});
