import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicServer } from '../../../tests/servers/anthropic.ts';
import type { LocalServer } from '../../../tests/servers/http.ts';
import type { ChatCompletionRequest } from '../../core/engines/engine.ts';
import { EgressGate } from '../egress.ts';
import { AnthropicEngine } from './anthropic.ts';

const KEY = 'sk-ant-test-93be71';
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function engineFor(origin: string, apiKey = KEY) {
  const gate = new EgressGate('https://sift.example');
  gate.allow(origin, 'fallback');
  return new AnthropicEngine({ baseUrl: origin, model: 'claude-haiku-4-5', apiKey, gate });
}

const step = (schema: unknown): ChatCompletionRequest & { stream?: false } => ({
  messages: [
    { role: 'system', content: 'Pick the startup links.' },
    { role: 'system', content: 'Answer in JSON.' },
    { role: 'user', content: '1. https://acme.ai' },
    { role: 'user', content: '2. https://news.example' },
  ],
  response_format: { type: 'json_object', schema: JSON.stringify(schema) },
  max_tokens: 100,
});

describe('AnthropicEngine against a local server speaking the Anthropic Messages API', () => {
  it('forces one tool whose input schema is the step schema, and returns its input as the answer', async () => {
    const schema = { type: 'object', properties: { pick: { type: 'integer', minimum: 1 } }, required: ['pick'] };
    server = await startAnthropicServer({ apiKey: KEY });
    const completion = await engineFor(server.origin).chat.completions.create(step(schema));
    expect(JSON.parse(completion.choices[0].message.content)).toEqual({ pick: 1 });
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    const [request] = server.requests;
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer' });
    expect(body.system).toBe('Pick the startup links.\n\nAnswer in JSON.');
    expect(body.messages).toEqual([{ role: 'user', content: '1. https://acme.ai\n\n2. https://news.example' }]);
    expect(request!.headers['x-api-key']).toBe(KEY);
    expect(request!.headers['anthropic-version']).toBe('2023-06-01');
    expect(request!.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(request!.body).not.toContain(KEY);
  });

  it('wraps a schema whose top level is not an object, and unwraps the answer', async () => {
    server = await startAnthropicServer({ answer: () => ({ value: [2, 5] }) });
    const completion = await engineFor(server.origin).chat.completions.create(
      step({ type: 'array', items: { type: 'integer' } }),
    );
    expect(completion.choices[0].message.content).toBe('[2,5]');
    const body = JSON.parse(server.requests[0]!.body) as { tools: { input_schema: unknown }[] };
    expect(body.tools[0]!.input_schema).toEqual({
      type: 'object',
      properties: { value: { type: 'array', items: { type: 'integer' } } },
      required: ['value'],
    });
  });

  it('starts the conversation with the user when the step starts with the assistant', async () => {
    server = await startAnthropicServer();
    const completion = await engineFor(server.origin).chat.completions.create({
      messages: [{ role: 'assistant', content: 'Earlier answer' }],
      max_tokens: 10,
    });
    expect(completion.choices[0].message.content).toBe('Hello.');
  });

  it('reports a refused key without repeating it', async () => {
    server = await startAnthropicServer({ apiKey: 'another-key' });
    await expect(engineFor(server.origin).chat.completions.create(step({ type: 'object' }))).rejects.toThrow(
      /refused the key \(401\)/,
    );
    const failure = await engineFor(server.origin)
      .chat.completions.create(step({ type: 'object' }))
      .catch((error: unknown) => String(error));
    expect(failure).not.toContain(KEY);
  });
});
