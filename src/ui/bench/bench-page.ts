/** The page's one BenchState, wired to the real engines, IndexedDB and the browser's measures. */
import { benchItems } from '../../core/bench/items.ts';
import { runBenchmark } from '../../core/bench/runner.ts';
import { deleteBenchRun, listBenchRuns, loadBenchRun, saveBenchRun } from '../../storage/bench-history.ts';
import { deviceState } from '../device/device-state.svelte.ts';
import { downloadText } from '../results/download.ts';
import { openBenchEngine } from './bench-engines.ts';
import { BenchState } from './bench-state.svelte.ts';
import { benchDevice, measureMemory } from './browser-measures.ts';

export const benchState = new BenchState({
  items: benchItems,
  openEngine: openBenchEngine,
  run: runBenchmark,
  measureMemory,
  device: () => benchDevice(deviceState.probe),
  storage: { list: listBenchRuns, load: loadBenchRun, save: saveBenchRun, remove: deleteBenchRun },
  download: (filename, text) => downloadText(filename, text, 'application/json'),
  now: () => performance.now(),
});
