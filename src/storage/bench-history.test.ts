import 'fake-indexeddb/auto';
import { get, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { benchItems } from '../core/bench/items.ts';
import { runBenchmark, type BenchRun } from '../core/bench/runner.ts';
import { scriptedBenchEngine } from '../core/bench/scripted-bench-engines.ts';
import { NO_WEBGPU } from '../core/device.ts';
import {
  BENCH_HISTORY_LIMIT,
  BENCH_SCHEMA_VERSION,
  deleteBenchRun,
  deviceLabel,
  listBenchRuns,
  loadBenchRun,
  readBenchRun,
  saveBenchRun,
} from './bench-history.ts';
import { STORE_NAMES, store } from './db.ts';

const items = benchItems('quick').filter((item) => item.category === 'irrelevance' || item.category === 'sift_judge');
let realRun: BenchRun;
beforeEach(async () => {
  realRun ??= await runBenchmark({
    engine: scriptedBenchEngine('scripted-oracle', items),
    items,
    mode: 'quick',
    device: {
      gpu: {
        ...NO_WEBGPU,
        webgpu: true,
        adapter: { vendor: 'acme', architecture: 'rdna3', description: '', isFallbackAdapter: false },
        shaderF16: true,
        problem: null,
      },
      cores: 8,
      browser: 'Chromium 142',
    },
  });
  for (const entry of await listBenchRuns()) await deleteBenchRun(entry.id);
});

const runAt = (finishedAt: number): BenchRun => ({ ...realRun, id: `bench-${finishedAt}`, finishedAt });

describe('benchmark history in IndexedDB', () => {
  it('uses its own versioned store', () => {
    expect(STORE_NAMES.bench).toEqual({ db: 'sift-bench', store: 'runs-v1' });
  });

  it('saves a run, lists it newest first with its device, reads it back whole, and deletes it', async () => {
    await saveBenchRun(runAt(1000));
    await saveBenchRun(runAt(3000));
    await saveBenchRun(runAt(2000));
    const list = await listBenchRuns();
    expect(list.map((entry) => entry.finishedAt)).toEqual([3000, 2000, 1000]);
    expect(list[0]).toMatchObject({
      engine: 'scripted-oracle',
      device: 'acme rdna3 · f16 · Chromium 142',
      items: 6,
      accuracy: 1,
      categories: { irrelevance: 1, sift_judge: 1 },
    });
    const { value } = await loadBenchRun('bench-3000');
    expect(value).toEqual({ ...runAt(3000), schemaVersion: BENCH_SCHEMA_VERSION });
    await deleteBenchRun('bench-3000');
    expect((await listBenchRuns()).map((entry) => entry.id)).toEqual(['bench-2000', 'bench-1000']);
    expect((await loadBenchRun('bench-3000')).value).toBeUndefined();
  });

  it(`keeps the newest ${BENCH_HISTORY_LIMIT} runs`, async () => {
    for (let n = 0; n <= BENCH_HISTORY_LIMIT; n++) await saveBenchRun(runAt(10_000 + n));
    const list = await listBenchRuns();
    expect(list).toHaveLength(BENCH_HISTORY_LIMIT);
    expect(list.at(-1)!.finishedAt).toBe(10_001);
    expect(await get('run:bench-10000', store('bench'))).toBeUndefined();
  });

  it('skips a damaged record and leaves a newer Sift’s record and index entry untouched', async () => {
    expect(readBenchRun({ id: 'x', schemaVersion: 1 })).toEqual({});
    const future = { schemaVersion: BENCH_SCHEMA_VERSION + 1, id: 'future', shape: 'unknown' };
    await set('run:future', future, store('bench'));
    await set('index', [{ id: 'future', finishedAt: 9e12, v2: true }], store('bench'));
    expect(await loadBenchRun('future')).toEqual({ newer: true });
    await saveBenchRun(runAt(5000));
    expect((await listBenchRuns()).map((entry) => entry.id)).toEqual(['bench-5000']);
    expect(await get('run:future', store('bench'))).toEqual(future);
    expect(await get('index', store('bench'))).toContainEqual({ id: 'future', finishedAt: 9e12, v2: true });
  });

  it('refuses to save a run that is not a benchmark run, with a reason', async () => {
    await expect(saveBenchRun({ ...realRun, mode: 'medium' as 'quick' })).rejects.toThrow(/could not be saved: \/mode/);
  });

  it('names a device without WebGPU', () => {
    expect(deviceLabel({ device: { gpu: NO_WEBGPU, cores: 4, browser: null } })).toBe('no WebGPU adapter');
  });
});
