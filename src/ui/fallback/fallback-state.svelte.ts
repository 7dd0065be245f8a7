import type { ChatEngine } from '../../core/engines/engine.ts';
import { egress, type EgressGate } from '../../net/egress.ts';
import type { EngineSettings } from '../../net/fallback/choose.ts';
import {
  FALLBACK_OFF,
  FALLBACK_SETTING_KEY,
  configFromPreset,
  createFallbackEngine,
  fallbackProblem,
  parseFallbackConfig,
  secretIdFor,
  testFallback,
  type FallbackConfig,
  type FallbackTestResult,
} from '../../net/fallback/config.ts';
import { findPreset } from '../../net/fallback/presets.ts';
import { forgetSecret, loadSecret, saveSecret } from '../../storage/secrets.ts';
import { loadSetting, saveSetting } from '../../storage/settings.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface FallbackStores {
  loadConfig: () => Promise<FallbackConfig>;
  saveConfig: (config: FallbackConfig) => Promise<void>;
  loadKey: (id: string) => Promise<string | null>;
  saveKey: (id: string, value: string) => Promise<void>;
  forgetKey: (id: string) => Promise<void>;
}

const realStores: FallbackStores = {
  loadConfig: () => loadSetting(FALLBACK_SETTING_KEY, parseFallbackConfig, FALLBACK_OFF),
  saveConfig: (config) => saveSetting(FALLBACK_SETTING_KEY, config),
  loadKey: loadSecret,
  saveKey: saveSecret,
  forgetKey: forgetSecret,
};

/**
 * The fallback model's settings and its one allowance in the egress gate: while it is switched
 * on (and only then) its host is allowed. Keys are read from the secrets store when needed and
 * never kept in reactive state, so they cannot leak into a rendered view or a state snapshot.
 */
export class FallbackState {
  config = $state.raw<FallbackConfig>(FALLBACK_OFF);
  hasKey = $state(false);
  loaded = $state(false);
  busy = $state(false);
  testResult = $state.raw<FallbackTestResult | null>(null);
  error = $state<string | null>(null);
  #withdraw: (() => void) | undefined;
  #loading: Promise<void> | undefined;

  constructor(
    private readonly stores: FallbackStores = realStores,
    private readonly gate: EgressGate = egress,
  ) {}

  /** Idempotent: the app calls it at start so a switched-on fallback is allowed before any run. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        this.config = await this.stores.loadConfig();
        this.hasKey = (await this.stores.loadKey(secretIdFor(this.config))) !== null;
      } catch (error) {
        this.error = `Could not read the fallback settings: ${messageOf(error)}`;
      }
      this.#syncGate();
      this.loaded = true;
    })();
    return this.#loading;
  }

  /** Saves the form. A new key replaces the saved one; an empty key field keeps it. Never throws. */
  async save(next: FallbackConfig, newKey = ''): Promise<boolean> {
    this.error = null;
    this.testResult = null;
    const key = newKey.trim() || (await this.stores.loadKey(secretIdFor(next)));
    const problem = next.enabled ? fallbackProblem(next, key) : null;
    if (problem) {
      this.error = problem;
      return false;
    }
    try {
      if (newKey.trim()) await this.stores.saveKey(secretIdFor(next), newKey);
      await this.stores.saveConfig(next);
    } catch (error) {
      this.error = messageOf(error);
      return false;
    }
    this.config = next;
    this.hasKey = key !== null;
    this.#syncGate();
    return true;
  }

  setEnabled(enabled: boolean): Promise<boolean> {
    return this.save({ ...this.config, enabled });
  }

  choosePreset(presetId: string): FallbackConfig {
    return { ...configFromPreset(presetId), enabled: false };
  }

  async forgetKey(): Promise<void> {
    await this.stores.forgetKey(secretIdFor(this.config));
    this.hasKey = false;
    this.testResult = null;
    // A cloud preset without its key cannot run: switch it off rather than fail every step.
    if (this.config.enabled && findPreset(this.config.presetId)?.needsKey) await this.setEnabled(false);
  }

  /**
   * The "test" button: one tiny call with no user data. Pressing it is consent to contact that
   * host once, so it is allowed for the call even while the fallback is off, then withdrawn.
   */
  async test(draft: FallbackConfig = this.config, newKey = ''): Promise<FallbackTestResult> {
    this.busy = true;
    this.testResult = null;
    const key = newKey.trim() || (await this.stores.loadKey(secretIdFor(draft)));
    const problem = fallbackProblem({ ...draft, enabled: true }, key);
    if (problem) {
      this.busy = false;
      this.testResult = { ok: false, message: problem, durationMs: 0 };
      return this.testResult;
    }
    const withdraw = this.gate.allow(draft.baseUrl, 'fallback');
    try {
      this.testResult = await testFallback(createFallbackEngine(draft, key, this.gate));
    } finally {
      withdraw();
      this.busy = false;
    }
    return this.testResult;
  }

  /** What `chooseEngines` needs, key included; read fresh each run (the user may have forgotten it). */
  async engineSettings(local: () => ChatEngine | null): Promise<EngineSettings> {
    await this.load();
    const fallbackKey = this.config.enabled ? await this.stores.loadKey(secretIdFor(this.config)) : null;
    return { fallback: this.config, fallbackKey, local, gate: this.gate };
  }

  #syncGate(): void {
    this.#withdraw?.();
    this.#withdraw = undefined;
    if (!this.config.enabled) return;
    try {
      this.#withdraw = this.gate.allow(this.config.baseUrl, 'fallback');
    } catch (error) {
      this.error = messageOf(error);
    }
  }
}

export const fallbackState = new FallbackState();
