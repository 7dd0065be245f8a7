/**
 * Which engines a run gets. The agent loop (src/core/agent) applies the routing rule: every step
 * goes to `primary` (the small on-device model) first; `fallback` gets a step only when the local
 * attempt failed its gates after repairs — or every step, when there is no primary (no WebGPU).
 * A fallback exists only when the user switched it on and its settings are complete.
 */
import type { DeviceProbe } from '../../core/device.ts';
import type { ChatEngine } from '../../core/engines/engine.ts';
import type { EgressGate } from '../egress.ts';
import { createFallbackEngine, fallbackProblem, type FallbackConfig } from './config.ts';

export interface EngineSettings {
  fallback: FallbackConfig;
  /** The fallback's key from the secrets store (null when it needs none or none was saved). */
  fallbackKey: string | null;
  /** Builds the on-device engine (the WebLLM worker's client); null when no model is chosen. */
  local: () => ChatEngine | null;
  gate?: EgressGate;
}

export interface EngineChoice {
  primary: ChatEngine | null;
  fallback: ChatEngine | null;
  /** One sentence for the run header: why these engines. */
  reason: string;
}

export function chooseEngines(settings: EngineSettings, probe: DeviceProbe): EngineChoice {
  const canRunLocally = probe.webgpu && probe.adapter !== null;
  const primary = canRunLocally ? settings.local() : null;
  const usable = settings.fallback.enabled && fallbackProblem(settings.fallback, settings.fallbackKey) === null;
  const fallback = usable ? createFallbackEngine(settings.fallback, settings.fallbackKey, settings.gate) : null;
  return { primary, fallback, reason: reasonFor(primary, fallback, canRunLocally) };
}

function reasonFor(primary: ChatEngine | null, fallback: ChatEngine | null, canRunLocally: boolean): string {
  const where = (engine: ChatEngine) => `${engine.info.model} (${engine.info.location})`;
  if (primary && fallback) return `The on-device model first; ${where(fallback)} only for steps it cannot get right.`;
  if (primary) return 'The on-device model only: nothing leaves this device.';
  if (fallback) {
    return canRunLocally
      ? `No on-device model is loaded, so every model step goes to ${where(fallback)}.`
      : `No WebGPU here, so every model step goes to ${where(fallback)}.`;
  }
  return 'No model: the deterministic tools alone rank the links.';
}
