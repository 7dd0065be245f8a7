import { describe, expect, it } from 'vitest';
import { parseModelOutput } from './model-output.ts';

describe('parseModelOutput: strict JSON, then only meaning-preserving repairs', () => {
  it('parses strict JSON without repairs', () => {
    expect(parseModelOutput('{"a":[1,"}"]}')).toEqual({ ok: true, value: { a: [1, '}'] }, repairs: [] });
  });

  it('straightens curly quotes and drops an end token after the object', () => {
    expect(parseModelOutput('{\u201ca\u201d: \u201cb\u201d}<|im_end|>')).toEqual({
      ok: true,
      value: { a: 'b' },
      repairs: ['replaced curly quotes', 'removed text after the object'],
    });
  });

  it('drops a thinking block, a code fence and text before the object', () => {
    expect(parseModelOutput('<think>hmm</think>\n```json\n{"a":1}\n```')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(parseModelOutput('Sure! {"a":1}')).toMatchObject({ ok: true, repairs: ['removed text before the object'] });
  });

  it('never completes cut-off output or guesses a missing colon', () => {
    expect(parseModelOutput('{"a":{"b":1}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Incomplete JSON/),
    });
    expect(parseModelOutput('{"a" 1}')).toMatchObject({ ok: false });
    expect(parseModelOutput('no json here')).toMatchObject({ ok: false, error: expect.stringMatching(/Not JSON/) });
    expect(parseModelOutput('')).toMatchObject({ ok: false });
  });
});
