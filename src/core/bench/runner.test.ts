import { describe, expect, it } from 'vitest';
import { installFakeLanguageModel } from '../../../tests/fakes/language-model.ts';
import { loadBuiltInModel, type LanguageModelApi } from '../engines/built-in.ts';
import { oneShotChat, type ChatEngine } from '../engines/engine.ts';
import { ScriptedEngine } from '../engines/scripted.ts';
import { benchCategories, benchItems } from './items.ts';
import { runBenchmark, type BenchProgress } from './runner.ts';
import { scriptedBenchEngine } from './scripted-bench-engines.ts';
import { benchLine } from './summary.ts';

describe('runBenchmark', () => {
  const quick = benchItems('quick');

  it('has about twenty quick items covering every category, all part of the full set', () => {
    const full = benchItems('full');
    expect(quick.length).toBe(20);
    expect(new Set(quick.map((item) => item.category))).toEqual(new Set(benchCategories));
    const fullIds = new Set(full.map((item) => item.id));
    expect(quick.every((item) => fullIds.has(item.id))).toBe(true);
    expect(full.length).toBe(200 + 6 + 8);
  });

  it('scores the always-right engine 1.0 in every category, with no repairs', async () => {
    const run = await runBenchmark({
      engine: scriptedBenchEngine('scripted-oracle', quick),
      items: quick,
      mode: 'quick',
    });
    expect(run.cancelled).toBe(false);
    for (const result of run.results) expect(result, result.id).toMatchObject({ correct: true, error: null });
    const line = benchLine(run);
    expect(line).toMatchObject({
      engine: 'scripted-oracle',
      items: 20,
      accuracy: 1,
      valid_before_repair: 1,
      repairs: 0,
    });
    expect(Object.values(line.by_category)).toEqual([1, 1, 1, 1, 1, 1]);
    // A scripted engine measures nothing: its speeds are absent, not invented.
    expect(line.decode_tokens_per_s).toBeNull();
    expect(line.ttft_ms_p50).not.toBeNull();
  });

  it('scores the plausibly wrong engine 0.0, and each mistake is caught where it should be', async () => {
    const run = await runBenchmark({
      engine: scriptedBenchEngine('scripted-wrong', quick),
      items: quick,
      mode: 'quick',
    });
    expect(run.results.filter((result) => result.correct).map((result) => result.id)).toEqual([]);
    expect(benchLine(run).accuracy).toBe(0);
    // A missing parameter or a wrong type fails gate 2 and is sent back twice; it is repeated, so it stays wrong.
    expect(run.overall.repairs).toBeGreaterThan(0);
    expect(run.overall.validBeforeRepair).toBeLessThan(1);
    const errors = run.results.map((result) => result.error ?? '').join('\n');
    expect(errors).toMatch(/Function name .* not found/);
    expect(errors).toMatch(/call\(s\) where no function fits/);
    expect(errors).toMatch(/is (not )?a startup/);
    expect(errors).toMatch(/No call matches the expected/);
  });

  it('scores the full set with the always-right engine 1.0', async () => {
    const full = benchItems('full');
    const run = await runBenchmark({ engine: scriptedBenchEngine('scripted-oracle', full), items: full, mode: 'full' });
    expect(run.results.filter((result) => !result.correct).map((result) => [result.id, result.error])).toEqual([]);
    expect(run.overall.items).toBe(full.length);
  }, 60_000);

  it('reports progress with counts and stops at once when cancelled, keeping what finished', async () => {
    const controller = new AbortController();
    const seen: BenchProgress[] = [];
    const run = await runBenchmark({
      engine: scriptedBenchEngine('scripted-oracle', quick),
      items: quick,
      mode: 'quick',
      signal: controller.signal,
      onProgress(progress) {
        seen.push(progress);
        if (progress.done === 5) controller.abort();
      },
    });
    expect(run.cancelled).toBe(true);
    expect(run.results).toHaveLength(5);
    expect(seen[0]).toMatchObject({ done: 0, total: 20, current: { id: quick[0]!.id } });
    expect(seen.at(-1)).toMatchObject({ done: 5, correct: 5, current: null });
  });

  it('keeps the speeds and memory the engine and browser report', async () => {
    const scripted = new ScriptedEngine(() => '{"answer":"No function fits."}');
    // An engine that measures its speeds, as WebLLM does in `usage.extra`.
    const reporting: ChatEngine = {
      info: scripted.info,
      chat: oneShotChat(async (request, options) => {
        const completion = await scripted.chat.completions.create({ ...request, stream: false }, options);
        return { ...completion, usage: { ...completion.usage, decode_tokens_per_s: 40, prefill_tokens_per_s: 400 } };
      }),
    };
    const items = quick.filter((item) => item.category === 'irrelevance');
    let reading = 0;
    const run = await runBenchmark({
      engine: reporting,
      items,
      mode: 'quick',
      measureMemory: async () => ({ bytes: (reading += 2 ** 20) * 1, source: 'test' }),
    });
    expect(run.overall).toMatchObject({ accuracy: 1, decodeTokensPerS: 40, prefillTokensPerS: 400 });
    expect(run.memory).toEqual({ peakBytes: 2 * 2 ** 20, source: 'test' });
  });

  it("runs against Chrome's built-in model (the fake), whose schema-made answers are valid but mostly wrong", async () => {
    installFakeLanguageModel({ availability: 'available' });
    const api = (globalThis as unknown as { LanguageModel: LanguageModelApi }).LanguageModel;
    const engine = await loadBuiltInModel(api);
    const run = await runBenchmark({ engine, items: quick, mode: 'quick' });
    delete (globalThis as { LanguageModel?: unknown }).LanguageModel;
    expect(run.overall.items).toBe(20);
    expect(run.engine.id).toBe('built-in:chrome');
    expect(run.overall.accuracy).toBeLessThan(0.5);
    expect(run.categories.simple!.validBeforeRepair).toBe(1);
    expect(run.overall.ttftMsP50).not.toBeNull();
  });
});
