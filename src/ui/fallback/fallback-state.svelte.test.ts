import { describe, expect, it } from 'vitest';
import { startOpenAICompatibleServer } from '../../../tests/servers/openai-compatible.ts';
import { EgressGate } from '../../net/egress.ts';
import { configFromPreset, secretIdFor, type FallbackConfig } from '../../net/fallback/config.ts';
import { FallbackState, type FallbackStores } from './fallback-state.svelte.ts';

/** Map-backed stores: the IndexedDB side is exercised end to end in tests/e2e/privacy.spec.ts. */
function memoryStores(initial?: FallbackConfig) {
  let config = initial ?? configFromPreset('openai');
  const keys = new Map<string, string>();
  const stores: FallbackStores = {
    loadConfig: async () => config,
    saveConfig: async (next) => {
      config = next;
    },
    loadKey: async (id) => keys.get(id) ?? null,
    saveKey: async (id, value) => void keys.set(id, value.trim()),
    forgetKey: async (id) => void keys.delete(id),
  };
  return { stores, keys, saved: () => config };
}

describe('FallbackState', () => {
  it('allows the fallback host in the gate only while it is switched on', async () => {
    const gate = new EgressGate('https://sift.example');
    const ollama = { ...configFromPreset('ollama'), enabled: true };
    const state = new FallbackState(memoryStores(ollama).stores, gate);
    await state.load();
    expect(gate.purposeOf(new URL('http://localhost:11434/v1/chat/completions'))).toBe('fallback');
    await state.setEnabled(false);
    expect(gate.policy()).toEqual([]);
  });

  it('refuses to switch on a cloud preset without a key, and keeps the key out of the saved settings', async () => {
    const gate = new EgressGate('https://sift.example');
    const memory = memoryStores();
    const state = new FallbackState(memory.stores, gate);
    await state.load();
    expect(await state.save({ ...configFromPreset('groq'), enabled: true })).toBe(false);
    expect(state.error).toBe('Groq needs an API key.');
    expect(gate.policy()).toEqual([]);
    expect(await state.save({ ...configFromPreset('groq'), enabled: true }, '  gsk_secret  ')).toBe(true);
    expect(memory.keys.get(secretIdFor(configFromPreset('groq')))).toBe('gsk_secret');
    expect(JSON.stringify(memory.saved())).not.toContain('gsk_secret');
    expect(JSON.stringify(state)).not.toContain('gsk_secret');
    await state.forgetKey();
    expect(memory.keys.size).toBe(0);
    expect(state.config.enabled).toBe(false);
    expect(gate.policy()).toEqual([]);
  });

  it('tests a draft against a real server, allowing its host only for the test', async () => {
    const server = await startOpenAICompatibleServer({ apiKey: 'k-123456' });
    try {
      const gate = new EgressGate('https://sift.example');
      const state = new FallbackState(memoryStores().stores, gate);
      await state.load();
      const draft = { ...configFromPreset('custom'), baseUrl: `${server.origin}/v1`, model: 'm' };
      const result = await state.test(draft, 'k-123456');
      expect(result).toMatchObject({ ok: true });
      expect(result.message).toMatch(/^Works: m answered in \d+ ms/);
      expect(gate.policy()).toEqual([]);
      expect((await state.test(draft, 'wrong-key')).message).toMatch(/refused the key/);
    } finally {
      await server.close();
    }
  });
});
