import { describe, expect, it } from 'vitest';
import { NO_WEBGPU, type DeviceProbe } from '../../core/device.ts';
import type { ChatEngine } from '../../core/engines/engine.ts';
import { chooseEngines } from './choose.ts';
import { configFromPreset, fallbackProblem, parseFallbackConfig, secretIdFor, type FallbackConfig } from './config.ts';

const GPU: DeviceProbe = {
  ...NO_WEBGPU,
  webgpu: true,
  adapter: { vendor: 'test', architecture: '', description: '', isFallbackAdapter: false },
  problem: null,
};
const local = {
  info: { id: 'webllm:small', model: 'small', location: 'on-device', size: 'small', contextWindow: 4096 },
} as ChatEngine;
const ollama: FallbackConfig = { ...configFromPreset('ollama'), enabled: true };

describe('fallback config', () => {
  it('reads malformed stored settings as "off", never as a crash', () => {
    expect(parseFallbackConfig(null)).toBeUndefined();
    expect(parseFallbackConfig('yes')).toBeUndefined();
    const odd = parseFallbackConfig({ enabled: true, presetId: 'nope', baseUrl: 42, model: '', contextWindow: -1 });
    expect(odd).toMatchObject({ enabled: false, presetId: 'openai', contextWindow: 128_000 });
    expect(parseFallbackConfig({ ...ollama })).toEqual(ollama);
  });

  it('explains what is missing, and refuses keys or credentials in the URL', () => {
    expect(fallbackProblem({ ...ollama, baseUrl: 'localhost:11434' }, null)).toMatch(/base URL/);
    expect(fallbackProblem({ ...ollama, baseUrl: 'https://u:p@host/v1' }, null)).toMatch(/not in the URL/);
    expect(fallbackProblem({ ...ollama, baseUrl: 'https://host/v1?key=abc' }, null)).toMatch(/keys never go in URLs/);
    expect(fallbackProblem({ ...ollama, model: ' ' }, null)).toMatch(/model name/);
    expect(fallbackProblem({ ...configFromPreset('groq'), enabled: true }, null)).toBe('Groq needs an API key.');
    expect(fallbackProblem(ollama, null)).toBeNull();
  });

  it('keeps one key per protocol and host, so a key never follows the user to another provider', () => {
    expect(secretIdFor(configFromPreset('openai'))).toBe('fallback:openai-compatible:https://api.openai.com');
    expect(secretIdFor(configFromPreset('groq'))).not.toBe(secretIdFor(configFromPreset('openai')));
  });
});

describe('chooseEngines', () => {
  it('uses only the on-device model when the fallback is off', () => {
    const choice = chooseEngines(
      { fallback: { ...ollama, enabled: false }, fallbackKey: null, local: () => local },
      GPU,
    );
    expect(choice.primary).toBe(local);
    expect(choice.fallback).toBeNull();
    expect(choice.reason).toMatch(/nothing leaves this device/);
  });

  it('keeps the on-device model first and adds the fallback when it is switched on', () => {
    const choice = chooseEngines({ fallback: ollama, fallbackKey: null, local: () => local }, GPU);
    expect(choice.primary).toBe(local);
    expect(choice.fallback?.info).toMatchObject({
      size: 'large',
      location: 'on-premises',
      id: 'openai-compatible:ollama',
    });
  });

  it('gives every step to the fallback when there is no WebGPU, and never builds the local engine', () => {
    let built = false;
    const choice = chooseEngines(
      { fallback: ollama, fallbackKey: null, local: () => ((built = true), local) },
      NO_WEBGPU,
    );
    expect(choice.primary).toBeNull();
    expect(built).toBe(false);
    expect(choice.fallback?.info.location).toBe('on-premises');
    expect(choice.reason).toMatch(/No WebGPU/);
  });

  it('offers no fallback that is switched on but incomplete (a cloud preset without its key)', () => {
    const groq = { ...configFromPreset('groq'), enabled: true };
    expect(chooseEngines({ fallback: groq, fallbackKey: null, local: () => local }, GPU).fallback).toBeNull();
    const withKey = chooseEngines({ fallback: groq, fallbackKey: 'gsk_x', local: () => local }, GPU).fallback;
    expect(withKey?.info.location).toBe('cloud');
  });
});
