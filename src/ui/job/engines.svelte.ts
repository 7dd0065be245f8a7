/**
 * Which engines a newsletter run (and Ask) uses, and what the page says about it. The on-device
 * model: Chrome's built-in model when the person chose it in the model panel, else the WebLLM model
 * when one is loaded (waiting, with its progress, while it loads); the fallback the user switched on;
 * else tools-only mode with a banner that says why and offers the fallback when one is configured.
 */
import type { StepEngines } from '../../core/agent/model-step.ts';
import { NO_WEBGPU } from '../../core/device.ts';
import type { BuiltInEngine } from '../../core/engines/built-in.ts';
import { findPreset } from '../../net/fallback/presets.ts';
import { builtInModel } from '../built-in/built-in-model.svelte.ts';
import { deviceState } from '../device/device-state.svelte.ts';
import { fallbackState } from '../fallback/fallback-state.svelte.ts';
import { modelState } from '../model/model-state.svelte.ts';
import type { EngineProgress } from './job-ports.ts';

/**
 * An end-to-end test put a scripted engine in the page (src/ui/engine/test-engine.ts). Only the e2e
 * build (`vite build --mode e2e`) can say yes: in a production build this folds to `false` and the
 * test engine's code is left out of the bundle.
 */
export function scriptedTestEngine(): boolean {
  return import.meta.env.MODE === 'e2e' && globalThis.__SIFT_TEST_ENGINE__ !== undefined;
}

/**
 * Chrome's built-in model when the person chose it for runs and it is loaded. It needs no WebGPU of
 * the page's (Chrome runs it), so it is used even where the WebLLM model could not run.
 */
export function builtInForRuns(): BuiltInEngine | null {
  return builtInModel.inUse ? builtInModel.engine : null;
}

/** The model a run would use, by name (a fallback says so); null when the run would have none. */
export function modelForRuns(): string | null {
  // The mode check is written here too, so the production build folds the hook's name out of this line.
  if (import.meta.env.MODE === 'e2e' && scriptedTestEngine()) {
    return globalThis.__SIFT_TEST_ENGINE__?.info?.model ?? 'scripted';
  }
  const builtIn = builtInForRuns();
  if (builtIn) return builtIn.info.model;
  if (modelState.engine) return modelState.selected?.name ?? modelState.engine.info.model;
  if (modelState.status === 'loading') return `${modelState.selected?.name ?? 'the model'} (once it has loaded)`;
  if (fallbackState.config.enabled) return `${fallbackState.config.model} (your fallback)`;
  return null;
}

/** Why the run will have no model, in words for the banner; null when a model will take part. */
export function noModelReason(): string | null {
  if (scriptedTestEngine()) return null;
  if (builtInForRuns()) return null;
  if (modelState.engine || modelState.status === 'loading') return null;
  if (fallbackState.config.enabled) return null;
  const probe = deviceState.probe;
  if (probe && !probe.adapter) return probe.problem ?? NO_WEBGPU.problem;
  if (probe?.adapter?.isFallbackAdapter) {
    return 'This device has only a software graphics adapter: a model would run, but very slowly. Load one in Settings if you want to wait.';
  }
  return 'No on-device model is loaded yet: pick and load one in Settings.';
}

/** The fallback the user set up but left off: offered on the banner. Null when there is none. */
export function offeredFallback(): { label: string; enable: () => Promise<boolean> } | null {
  const config = fallbackState.config;
  if (config.enabled || !config.baseUrl || !config.model) return null;
  // Set up means the user did something: saved a key, or chose a keyless server of their own (Ollama…);
  // the default preset needs a key, so an untouched form is never offered.
  const preset = findPreset(config.presetId);
  const setUp = fallbackState.hasKey || (preset !== undefined && !preset.needsKey);
  if (!setUp) return null;
  return {
    label: `${config.model} at ${hostOf(config.baseUrl)}`,
    enable: () => fallbackState.save({ ...config, enabled: true }),
  };
}

/**
 * The engines for one run. A model still loading is waited for, its progress passed on; aborting
 * the run stops the wait (the download itself belongs to the model panel and carries on).
 */
export async function enginesForRun(
  signal: AbortSignal,
  onProgress: (progress: EngineProgress) => void,
): Promise<StepEngines> {
  let injected = null;
  if (import.meta.env.MODE === 'e2e' && scriptedTestEngine()) {
    const { testEngineFromPage } = await import('../engine/test-engine.ts');
    injected = testEngineFromPage();
  }
  const builtIn = builtInForRuns();
  if (!injected && !builtIn && modelState.status === 'loading') await waitForModel(signal, onProgress);
  // The fallback engines' HTTP clients load on the first run, not with the first screen.
  const [{ chooseEngines }, settings] = await Promise.all([
    import('../../net/fallback/choose.ts'),
    fallbackState.engineSettings(() => modelState.engine),
  ]);
  const choice = chooseEngines(settings, deviceState.probe ?? NO_WEBGPU);
  // An injected test engine stands in for the on-device model; the user's fallback stays as chosen.
  if (injected) return { primary: injected, fallback: choice.fallback };
  // chooseEngines gates its local engine on the page's WebGPU, which Chrome's own model does not use.
  return { primary: builtIn ?? choice.primary, fallback: choice.fallback };
}

function waitForModel(signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // The effect may finish before $effect.root has returned its cleanup, hence the holder and the microtask.
    const effect: { stop?: () => void } = {};
    const finish = (error?: Error) => {
      queueMicrotask(() => effect.stop?.());
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(new DOMException('Cancelled.', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    effect.stop = $effect.root(() => {
      $effect(() => {
        if (modelState.status !== 'loading') {
          finish();
          return;
        }
        const view = modelState.progress;
        const percent = view ? ` ${Math.round(view.fraction * 100)}%` : '';
        onProgress({
          text: `Loading ${modelState.selected?.name ?? 'the model'}:${percent}`,
          progress: view?.fraction ?? null,
        });
      });
    });
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
