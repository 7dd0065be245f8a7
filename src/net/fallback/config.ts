/**
 * The user's fallback choice as stored in settings (`fallback` key), and turning it into an
 * engine. The key is not part of it: it lives in the secrets store under `secretIdFor(config)`,
 * one per protocol and host, so switching from OpenAI to Groq can never send the OpenAI key to Groq.
 */
import type { ChatEngine } from '../../core/engines/engine.ts';
import type { EgressGate } from '../egress.ts';
import { AnthropicEngine } from './anthropic.ts';
import { OpenAICompatibleEngine } from './openai-compatible.ts';
import { FALLBACK_PRESETS, findPreset, type FallbackProtocol, type StructuredOutput } from './presets.ts';
import { messageOf } from '../../core/text/error-message.ts';

export const FALLBACK_SETTING_KEY = 'fallback';

export interface FallbackConfig {
  enabled: boolean;
  presetId: string;
  protocol: FallbackProtocol;
  baseUrl: string;
  model: string;
  structured: StructuredOutput;
  contextWindow: number;
}

export function configFromPreset(presetId: string): FallbackConfig {
  const preset = findPreset(presetId) ?? FALLBACK_PRESETS[0]!;
  return {
    enabled: false,
    presetId: preset.id,
    protocol: preset.protocol,
    baseUrl: preset.baseUrl,
    model: preset.model,
    structured: preset.structured,
    contextWindow: preset.contextWindow,
  };
}

export const FALLBACK_OFF: FallbackConfig = configFromPreset('openai');

/** Reads back what settings stored; anything malformed means "off with defaults", never a crash. */
export function parseFallbackConfig(stored: unknown): FallbackConfig | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const value = stored as Record<string, unknown>;
  const base = configFromPreset(typeof value.presetId === 'string' ? value.presetId : 'openai');
  const protocol =
    value.protocol === 'anthropic' || value.protocol === 'openai-compatible' ? value.protocol : base.protocol;
  const structured =
    value.structured === 'json_schema' || value.structured === 'json_object' || value.structured === 'none'
      ? value.structured
      : base.structured;
  const config: FallbackConfig = {
    enabled: value.enabled === true,
    presetId: base.presetId,
    protocol,
    baseUrl: typeof value.baseUrl === 'string' ? value.baseUrl : base.baseUrl,
    model: typeof value.model === 'string' ? value.model : base.model,
    structured,
    contextWindow:
      typeof value.contextWindow === 'number' && value.contextWindow >= 512
        ? Math.floor(value.contextWindow)
        : base.contextWindow,
  };
  // A stored "on" that no longer validates (hand-edited, older version) is read as off.
  if (config.enabled && fallbackProblem(config, null, { ignoreKey: true })) config.enabled = false;
  return config;
}

/** Why this config cannot be used yet, in words for the settings form; null when it can. */
export function fallbackProblem(
  config: FallbackConfig,
  apiKey: string | null,
  { ignoreKey = false }: { ignoreKey?: boolean } = {},
): string | null {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    return 'Enter the endpoint’s base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The base URL must start with https:// or http://.';
  if (url.username || url.password) return 'Put the key in the key field, not in the URL.';
  if (url.search) return 'The base URL cannot have a query string (keys never go in URLs).';
  if (!config.model.trim()) return 'Enter the model name the endpoint expects.';
  const preset = findPreset(config.presetId);
  if (!ignoreKey && preset?.needsKey && !apiKey) return `${preset.label} needs an API key.`;
  return null;
}

export function secretIdFor(config: Pick<FallbackConfig, 'protocol' | 'baseUrl'>): string {
  let origin = config.baseUrl;
  try {
    origin = new URL(config.baseUrl).origin;
  } catch {
    // An unparseable URL still gets a stable id; it is never used to send anything.
  }
  return `fallback:${config.protocol}:${origin}`;
}

export function createFallbackEngine(config: FallbackConfig, apiKey: string | null, gate?: EgressGate): ChatEngine {
  const common = { baseUrl: config.baseUrl, model: config.model.trim(), apiKey, contextWindow: config.contextWindow };
  if (config.protocol === 'anthropic') return new AnthropicEngine({ ...common, ...(gate ? { gate } : {}) });
  return new OpenAICompatibleEngine({
    ...common,
    name: config.presetId,
    structured: config.structured,
    ...(gate ? { gate } : {}),
  });
}

const TEST_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { ok: { type: 'boolean' } },
  required: ['ok'],
  additionalProperties: false,
});

export interface FallbackTestResult {
  ok: boolean;
  message: string;
  durationMs: number;
}

/** The settings page's "test" button: one tiny structured call that carries no user data. */
export async function testFallback(engine: ChatEngine, signal?: AbortSignal): Promise<FallbackTestResult> {
  const started = performance.now();
  try {
    const completion = await engine.chat.completions.create(
      {
        messages: [
          { role: 'system', content: 'You are a connection test. Reply with the JSON {"ok": true}.' },
          { role: 'user', content: 'Are you there?' },
        ],
        response_format: { type: 'json_object', schema: TEST_SCHEMA },
        max_tokens: 64,
        temperature: 0,
      },
      signal ? { signal } : undefined,
    );
    const durationMs = Math.round(performance.now() - started);
    const content = completion.choices[0].message.content;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      return {
        ok: false,
        durationMs,
        message: `Reached ${engine.info.model}, but its answer was not JSON: “${content.slice(0, 80)}”.`,
      };
    }
    const ok = typeof parsed === 'object' && parsed !== null && (parsed as { ok?: unknown }).ok === true;
    return {
      ok,
      durationMs,
      message: ok
        ? `Works: ${completion.model || engine.info.model} answered in ${durationMs} ms (${completion.usage.total_tokens} tokens).`
        : `Reached ${engine.info.model}, but it did not follow the answer format: ${content.slice(0, 80)}`,
    };
  } catch (error) {
    return {
      ok: false,
      durationMs: Math.round(performance.now() - started),
      message: messageOf(error),
    };
  }
}
