import { describe, expect, it } from 'vitest';
import { collectStream } from './engine.ts';
import { ScriptedEngine } from './scripted.ts';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }], max_tokens: 10 });

describe('ScriptedEngine', () => {
  it('plays back its outputs in order and records each request', async () => {
    const engine = new ScriptedEngine(['one', { content: 'two', finish_reason: 'length' }]);
    const first = await engine.chat.completions.create(ask('a'));
    const second = await engine.chat.completions.create(ask('b'));
    expect(first.choices[0].message.content).toBe('one');
    expect(second.choices[0]).toMatchObject({ message: { content: 'two' }, finish_reason: 'length' });
    expect(engine.requests.map((request) => request.messages[0]!.content)).toEqual(['a', 'b']);
    expect(first.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('says how many outputs it had when asked for one more', async () => {
    const engine = new ScriptedEngine(['only']);
    await engine.chat.completions.create(ask('a'));
    await expect(engine.chat.completions.create(ask('b'))).rejects.toThrow(
      'has 1 scripted outputs but received request 2',
    );
  });

  it('streams the same text it would return whole', async () => {
    const engine = new ScriptedEngine(['{"answer":"a streamed reply"}']);
    const chunks = await engine.chat.completions.create({ ...ask('a'), stream: true });
    const whole = await collectStream(chunks);
    expect(whole.choices[0].message.content).toBe('{"answer":"a streamed reply"}');
    expect(whole.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('computes replies from the request when given a responder, and honours abort', async () => {
    const engine = new ScriptedEngine((request, index) => `${index}:${request.messages.at(-1)!.content}`, {
      id: 'oracle',
    });
    expect((await engine.chat.completions.create(ask('x'))).choices[0].message.content).toBe('0:x');
    const controller = new AbortController();
    controller.abort();
    const aborted = await engine.chat.completions.create(ask('y'), { signal: controller.signal });
    expect(aborted.choices[0].finish_reason).toBe('abort');
    expect(engine.info).toMatchObject({ id: 'oracle', location: 'test' });
  });
});
