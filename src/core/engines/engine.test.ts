import { describe, expect, it } from 'vitest';
import { collectStream, streamOf, type ChatCompletion } from './engine.ts';

const whole: ChatCompletion = {
  id: 'c1',
  model: 'test',
  choices: [
    { index: 0, message: { role: 'assistant', content: '{"tool":"list_candidates"}' }, finish_reason: 'length' },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
};

describe('streamOf', () => {
  it('replays a completion in pieces and ends with its finish reason and usage', async () => {
    const chunks = [];
    for await (const chunk of streamOf(whole, 8)) chunks.push(chunk);
    expect(chunks.slice(0, -1).map((chunk) => chunk.choices[0]!.delta.content)).toEqual([
      '{"tool":',
      '"list_ca',
      'ndidates',
      '"}',
    ]);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'length' }], usage: whole.usage });
  });

  it('round-trips through collectStream unchanged', async () => {
    expect(await collectStream(streamOf(whole))).toEqual(whole);
  });
});
