import { describe, expect, it } from 'vitest';
import { benchItems } from '../../core/bench/items.ts';
import { runBenchmark, type BenchRun } from '../../core/bench/runner.ts';
import { scriptedBenchEngine } from '../../core/bench/scripted-bench-engines.ts';
import { readBenchRun, summariseBenchRun, type SavedBenchRun } from '../../storage/bench-history.ts';
import { BenchState, type BenchDeps } from './bench-state.svelte.ts';

function deps(overrides: Partial<BenchDeps> = {}) {
  const saved = new Map<string, SavedBenchRun>();
  const downloads: Array<{ filename: string; text: string }> = [];
  const base: BenchDeps = {
    items: (mode) => benchItems(mode),
    openEngine: async (id, items) => scriptedBenchEngine(id as 'scripted-oracle', items),
    run: runBenchmark,
    measureMemory: async () => ({ bytes: null, source: 'unavailable: not cross-origin isolated' }),
    device: () => ({ gpu: null, cores: 2, browser: 'Test 1' }),
    storage: {
      list: async () => [...saved.values()].map(summariseBenchRun).sort((a, b) => b.finishedAt - a.finishedAt),
      load: async (id) => readBenchRun(saved.get(id)),
      save: async (run: BenchRun) => void saved.set(run.id, { ...run, schemaVersion: 1 }),
      remove: async (id) => void saved.delete(id),
    },
    download: (filename, text) => downloads.push({ filename, text }),
    now: () => 0,
  };
  return { deps: { ...base, ...overrides }, saved, downloads };
}

describe('BenchState', () => {
  it('runs the chosen engine, keeps the finished run in history and exports it as JSON', async () => {
    const { deps: wired, saved, downloads } = deps();
    const bench = new BenchState(wired);
    bench.engineId = 'scripted-oracle';
    expect(bench.itemCount('quick')).toBe(20);
    await bench.start();
    expect(bench.running).toBe(false);
    expect(bench.problem).toBeNull();
    expect(bench.run).toMatchObject({ cancelled: false, overall: { items: 20, accuracy: 1 }, device: { cores: 2 } });
    expect(bench.progress).toMatchObject({ done: 20, total: 20, correct: 20, current: null });
    expect(saved.size).toBe(1);
    expect(bench.history.map((entry) => entry.engine)).toEqual(['scripted-oracle']);
    bench.exportJson();
    expect(downloads[0]!.filename).toMatch(/^sift-benchmark-scripted-oracle-\d{4}-\d\d-\d\d-\d\d-\d\d\.json$/);
    expect(JSON.parse(downloads[0]!.text)).toMatchObject({ format: 'sift-benchmark', results: { length: 20 } });
  });

  it('cancels at once, shows what finished and keeps nothing in history', async () => {
    const { deps: wired, saved } = deps();
    const bench = new BenchState({
      ...wired,
      run: (options) =>
        runBenchmark({
          ...options,
          onProgress(progress) {
            options.onProgress?.(progress);
            if (progress.done === 3) bench.cancel();
          },
        }),
    });
    bench.engineId = 'scripted-oracle';
    await bench.start();
    expect(bench.run).toMatchObject({ cancelled: true, results: { length: 3 } });
    expect(saved.size).toBe(0);
    expect(bench.running).toBe(false);
  });

  it('says why it cannot run, and reopens, exports and deletes past runs', async () => {
    const { deps: wired, downloads } = deps({
      openEngine: async () => {
        throw new Error('No on-device model is loaded yet: pick and load one in Settings.');
      },
    });
    const bench = new BenchState(wired);
    await bench.start();
    expect(bench.problem).toMatch(/No on-device model/);
    expect(bench.run).toBeNull();

    const { deps: working } = deps();
    const first = new BenchState({ ...working, storage: wired.storage });
    first.engineId = 'scripted-wrong';
    await first.start();
    const id = first.run!.id;
    await bench.refreshHistory();
    await bench.open(id);
    expect(bench.run?.overall.accuracy).toBe(0);
    await bench.exportSaved(id);
    expect(downloads).toHaveLength(1);
    await bench.remove(id);
    expect(bench.history).toEqual([]);
    await bench.open(id);
    expect(bench.historyProblem).toMatch(/deleted or its saved data is damaged/);
  });
});
