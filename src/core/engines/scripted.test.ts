import { beforeAll, describe, expect, it } from 'vitest';
import { collectStream, qwen3EmptyThinkBlock, type ChatCompletionRequest as AnyRequest } from './engine.ts';
import { qwen3Tokens } from './qwen3-tokens.ts';
import { layoutJson, relayoutJson, utf8TokenBound, type TokenMeasure } from './realistic-output.ts';
import { ScriptedEngine } from './scripted.ts';

/** A request answered in one piece. */
type ChatCompletionRequest = AnyRequest & { stream?: false };

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

describe('ScriptedEngine answers as the model it names', () => {
  let tokens: TokenMeasure;
  beforeAll(() => {
    tokens = qwen3Tokens();
  });
  const qwen3 = { model: 'Qwen3-0.6B-q4f16_1-MLC' };
  const json = '{"L1": {"startup": true, "name": "Acme"}}';
  const judge = (overrides: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
    ...ask('judge'),
    max_tokens: 100,
    response_format: { type: 'json_object', schema: '{"type":"object"}' },
    extra_body: { enable_thinking: false },
    ...overrides,
  });

  it('Qwen3 opens with the empty think block, whole in the first stream chunk; other models and thinking on do not', async () => {
    const engine = new ScriptedEngine(() => json, qwen3);
    expect((await engine.chat.completions.create(judge())).choices[0].message.content).toBe(
      `${qwen3EmptyThinkBlock}${json}`,
    );
    const stream = await engine.chat.completions.create({ ...judge(), stream: true });
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.value?.choices[0]?.delta.content).toBe(`${qwen3EmptyThinkBlock}${json.slice(0, 8)}`);
    const thinking = await engine.chat.completions.create(judge({ extra_body: { enable_thinking: true } }));
    expect(thinking.choices[0].message.content).toBe(json);
    expect((await new ScriptedEngine(() => json).chat.completions.create(judge())).choices[0].message.content).toBe(
      json,
    );
  });

  it('keeps the whitespace it was written with, lays JSON out as told, and has none under the compact grammar', async () => {
    const asWritten = new ScriptedEngine(() => json);
    expect((await asWritten.chat.completions.create(judge())).choices[0].message.content).toBe(json);
    const indented = new ScriptedEngine(() => json, {}, { layout: 'indented' });
    expect((await indented.chat.completions.create(judge())).choices[0].message.content).toBe(
      JSON.stringify(JSON.parse(json), null, 2),
    );
    const grammar = judge({
      response_format: { type: 'json_object', schema: '{"type":"object"}', grammar: 'root ::= "{}"' },
    });
    for (const engine of [asWritten, indented]) {
      expect((await engine.chat.completions.create(grammar)).choices[0].message.content).toBe(
        '{"L1":{"startup":true,"name":"Acme"}}',
      );
    }
    const prose = new ScriptedEngine(() => 'Sure: {"L1": "yes"}', {}, { layout: 'compact' });
    expect((await prose.chat.completions.create(grammar)).choices[0].message.content).toBe('Sure: {"L1": "yes"}');
  });

  it('relays out JSON token by token: numbers keep their spelling, every layout matches its serialiser', async () => {
    const grammar = judge({ response_format: { type: 'json_object', schema: '{}', grammar: 'root ::= "{}"' } });
    const floats = new ScriptedEngine(() => '{"x": 1.0, "y": [2.50, 1e5], "z": "a, b: c"}');
    expect((await floats.chat.completions.create(grammar)).choices[0].message.content).toBe(
      '{"x":1.0,"y":[2.50,1e5],"z":"a, b: c"}',
    );
    const value = { a: [], b: {}, c: [1, { d: 'q"uote\\', e: [true, null] }], f: 'x' };
    expect(layoutJson(value, 'compact')).toBe(JSON.stringify(value));
    expect(layoutJson(value, 'indented')).toBe(JSON.stringify(value, null, 2));
    expect(layoutJson(value, 'spaced')).toBe(
      '{"a": [], "b": {}, "c": [1, {"d": "q\\"uote\\\\", "e": [true, null]}], "f": "x"}',
    );
    expect(relayoutJson('{"a": 1', 'compact')).toBeNull();
  });

  it('stops with "length" once the think block and the text reach max_tokens, one token short of the stop', async () => {
    const engine = new ScriptedEngine(() => json, qwen3, { tokens });
    const needed = tokens.count(qwen3EmptyThinkBlock) + tokens.count(json);
    const fits = await engine.chat.completions.create(judge({ max_tokens: needed + 1 }));
    expect(fits.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: `${qwen3EmptyThinkBlock}${json}` },
    });
    expect(fits.usage.completion_tokens).toBe(needed + 1);
    const short = await engine.chat.completions.create(judge({ max_tokens: needed }));
    expect(short.choices[0].finish_reason).toBe('length');
    const cut = await engine.chat.completions.create(judge({ max_tokens: 9 }));
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.choices[0].message.content).toBe(`${qwen3EmptyThinkBlock}${tokens.truncate(json, 5)}`);
    expect(json.startsWith(cut.choices[0].message.content.slice(qwen3EmptyThinkBlock.length))).toBe(true);
    expect(cut.usage.completion_tokens).toBe(9);
    expect(cut.usage.prompt_tokens).toBe(tokens.count('<|im_start|>user\njudge<|im_end|>\n<|im_start|>assistant\n'));
  });

  it('the light bound for the browser never counts below the real tokenizer', () => {
    const texts = [
      qwen3EmptyThinkBlock,
      json,
      JSON.stringify(JSON.parse(json), null, 2),
      'Bolt Labs launched an API for robotics startups.',
      '東京のスタートアップが資金調達しました。',
      '北京的初创公司完成了融资。',
      '   \n\n\t  ',
    ];
    for (const text of texts) {
      expect(utf8TokenBound.count(text), text).toBeGreaterThanOrEqual(tokens.count(text));
      const cut = utf8TokenBound.truncate(text, 7);
      expect(text.startsWith(cut)).toBe(true);
      expect(utf8TokenBound.count(cut)).toBeLessThanOrEqual(7);
    }
  });
});
