/**
 * The engines the Benchmark view can measure: the model Sift uses now (the on-device model, or the
 * fallback when there is none), Chrome's built-in model where the browser has it, and — only in a
 * test build (`vite build --mode e2e`) — the scripted engines that check the benchmark itself. In a
 * production build the test branch is removed at build time, so they cannot be reached at all.
 */
import type { BenchItem } from '../../core/bench/items.ts';
import type { ChatEngine } from '../../core/engines/engine.ts';
import { builtInModel } from '../built-in/built-in-model.svelte.ts';
import { fallbackState } from '../fallback/fallback-state.svelte.ts';
import { builtInForRuns, enginesForRun, noModelReason } from '../job/engines.svelte.ts';
import { modelState } from '../model/model-state.svelte.ts';

export interface BenchEngineChoice {
  id: string;
  label: string;
}

const testEngines: BenchEngineChoice[] = [
  { id: 'scripted-oracle', label: 'Test engine: scripted-oracle (always right)' },
  { id: 'scripted-wrong', label: 'Test engine: scripted-wrong (plausibly wrong)' },
];

function currentLabel(): string {
  const builtIn = builtInForRuns();
  if (builtIn) return `Sift’s model: ${builtIn.info.model} (on this device)`;
  if (modelState.engine) return `Sift’s model: ${modelState.engine.info.model} (on this device)`;
  if (fallbackState.config.enabled) return `Sift’s model: ${fallbackState.config.model} (fallback)`;
  return 'Sift’s model (none loaded yet)';
}

/** Read inside a $derived: the labels follow the model panel and the built-in model's state. */
export function benchEngineChoices(): BenchEngineChoice[] {
  const choices: BenchEngineChoice[] = [{ id: 'current', label: currentLabel() }];
  if (builtInModel.present || builtInModel.engine) {
    choices.push({ id: 'built-in', label: 'Chrome’s built-in model (Gemini Nano)' });
  }
  if (import.meta.env.MODE === 'e2e') choices.push(...testEngines);
  return choices;
}

/** The engine to measure. Runs from the Run click, so a built-in model download may start here. */
export async function openBenchEngine(
  id: string,
  items: readonly BenchItem[],
  signal: AbortSignal,
): Promise<ChatEngine> {
  if (id === 'built-in') {
    const engine = await builtInModel.load();
    if (!engine) throw new Error(builtInModel.problem ?? 'Chrome’s built-in model did not load.');
    return engine;
  }
  if (import.meta.env.MODE === 'e2e' && (id === 'scripted-oracle' || id === 'scripted-wrong')) {
    const { scriptedBenchEngine } = await import('../../core/bench/scripted-bench-engines.ts');
    return scriptedBenchEngine(id, items);
  }
  const engines = await enginesForRun(signal, () => undefined);
  const engine = engines.primary ?? engines.fallback;
  if (!engine) throw new Error(noModelReason() ?? 'No model is loaded: load one in Settings → On-device model.');
  return engine;
}
