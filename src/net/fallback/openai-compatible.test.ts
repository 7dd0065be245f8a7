import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAICompatibleServer } from '../../../tests/servers/openai-compatible.ts';
import type { LocalServer } from '../../../tests/servers/http.ts';
import type { ChatCompletionRequest } from '../../core/engines/engine.ts';
import { collectStream } from '../../core/engines/engine.ts';
import { EgressGate } from '../egress.ts';
import { OpenAICompatibleEngine } from './openai-compatible.ts';

const KEY = 'sk-test-4f1c9d2e7a';
const SCHEMA = {
  type: 'object',
  properties: { links: { type: 'array', items: { type: 'integer' }, minItems: 1 } },
  required: ['links'],
};
const STEP: ChatCompletionRequest & { stream?: false } = {
  messages: [
    { role: 'system', content: 'Pick the startup links.' },
    { role: 'user', content: '1. https://acme.ai — "Acme raised a seed round"' },
  ],
  response_format: { type: 'json_object', schema: JSON.stringify(SCHEMA) },
  max_tokens: 200,
  temperature: 0,
};

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function engineFor(origin: string, options: { apiKey?: string | null; allow?: boolean } = {}) {
  const gate = new EgressGate('https://sift.example');
  if (options.allow !== false) gate.allow(origin, 'fallback');
  const engine = new OpenAICompatibleEngine({
    name: 'test',
    baseUrl: `${origin}/v1`,
    model: 'qwen3-30b',
    apiKey: options.apiKey === undefined ? KEY : options.apiKey,
    gate,
  });
  return { engine, gate };
}

describe('OpenAICompatibleEngine against a local server speaking the OpenAI chat-completions protocol', () => {
  it('sends the step with a json_schema response_format and returns the answer and usage', async () => {
    server = await startOpenAICompatibleServer({ apiKey: KEY });
    const { engine } = engineFor(server.origin);
    const completion = await engine.chat.completions.create(STEP);
    expect(JSON.parse(completion.choices[0].message.content)).toEqual({ links: [0] });
    expect(completion.usage.total_tokens).toBeGreaterThan(0);
    const body = JSON.parse(server.requests[0]!.body) as Record<string, unknown>;
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'sift_step', schema: SCHEMA, strict: false },
    });
    expect(engine.info).toMatchObject({ location: 'on-premises', size: 'large', model: 'qwen3-30b' });
  });

  it('sends only the step: its messages, the model, the limits and the schema; the key only in a header', async () => {
    server = await startOpenAICompatibleServer({ apiKey: KEY });
    const { engine } = engineFor(server.origin);
    await engine.chat.completions.create(STEP);
    const [request] = server.requests;
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['max_tokens', 'messages', 'model', 'response_format', 'stream', 'temperature'].sort(),
    );
    expect(body.messages).toEqual(STEP.messages);
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.body).not.toContain(KEY);
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.cookie).toBeUndefined();
  });

  it('steps down to JSON mode, then to the schema in the prompt, when the endpoint refuses structured output', async () => {
    server = await startOpenAICompatibleServer({ accepts: [] });
    const { engine } = engineFor(server.origin);
    const completion = await engine.chat.completions.create(STEP);
    expect(completion.choices[0].message.content).toBe('{"ok":true}');
    const formats = server.requests.map(
      (r) => (JSON.parse(r.body) as { response_format?: { type: string } }).response_format?.type,
    );
    expect(formats).toEqual(['json_schema', 'json_object', undefined]);
    const last = JSON.parse(server.requests.at(-1)!.body) as { messages: { content: string }[] };
    expect(last.messages[0]!.content).toContain('Pick the startup links.');
    expect(last.messages[0]!.content).toContain('"minItems":1');
    expect(engine.structured).toBe('none');
    // Remembered: the next call does not probe again.
    await engine.chat.completions.create(STEP);
    expect(server.requests).toHaveLength(4);
  });

  it('adapts to models that take max_completion_tokens and only default sampling (OpenAI reasoning models)', async () => {
    server = await startOpenAICompatibleServer({ refuses: ['max_tokens', 'temperature'] });
    const { engine } = engineFor(server.origin);
    const completion = await engine.chat.completions.create(STEP);
    expect(JSON.parse(completion.choices[0].message.content)).toEqual({ links: [0] });
    const last = JSON.parse(server.requests.at(-1)!.body) as Record<string, unknown>;
    expect(last).toMatchObject({ max_completion_tokens: 200 });
    expect(last).not.toHaveProperty('max_tokens');
    expect(last).not.toHaveProperty('temperature');
    expect(server.requests).toHaveLength(3);
    await engine.chat.completions.create(STEP);
    expect(server.requests).toHaveLength(4);
  });

  it('says the key was refused, without repeating the key', async () => {
    server = await startOpenAICompatibleServer({ apiKey: 'the-right-key' });
    const { engine } = engineFor(server.origin);
    const failure = await engine.chat.completions.create(STEP).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/refused the key \(401\)/);
    expect((failure as Error).message).not.toContain(KEY);
  });

  it('never sends to a host the gate has not switched on', async () => {
    server = await startOpenAICompatibleServer();
    const { engine, gate } = engineFor(server.origin, { allow: false });
    await expect(engine.chat.completions.create(STEP)).rejects.toThrow(/not switched on/);
    expect(server.requests).toHaveLength(0);
    expect(gate.log[0]).toMatchObject({ outcome: 'refused' });
  });

  it('explains an unreachable server in terms of what to check (address, server, CORS)', async () => {
    const { engine } = engineFor('http://127.0.0.1:9');
    await expect(engine.chat.completions.create(STEP)).rejects.toThrow(/Could not reach 127\.0\.0\.1:9.*CORS/);
  });

  it('reports an aborted call as finish_reason "abort" instead of throwing', async () => {
    server = await startOpenAICompatibleServer();
    const { engine } = engineFor(server.origin);
    const controller = new AbortController();
    controller.abort();
    const completion = await engine.chat.completions.create(STEP, { signal: controller.signal });
    expect(completion.choices[0].finish_reason).toBe('abort');
  });

  it('answers a streamed request with one chunk that collects to the same completion', async () => {
    server = await startOpenAICompatibleServer();
    const { engine } = engineFor(server.origin, { apiKey: null });
    const completion = await collectStream(await engine.chat.completions.create({ ...STEP, stream: true }));
    expect(JSON.parse(completion.choices[0].message.content)).toEqual({ links: [0] });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });
});
