import { describe, expect, it } from 'vitest';
import { remembered, rememberedLast } from './recent.ts';

describe('remembered', () => {
  it('answers a repeated text from memory and a new one by reading it', () => {
    const read: string[] = [];
    const length = remembered((text) => {
      read.push(text);
      return text.length;
    });
    expect([length('abc'), length('abc'), length('de'), length('abc')]).toEqual([3, 3, 2, 3]);
    expect(read).toEqual(['abc', 'de']);
  });

  it('keeps at most `max` answers, forgetting them all when full', () => {
    const read: string[] = [];
    const upper = remembered((text) => {
      read.push(text);
      return text.toUpperCase();
    }, 2);
    upper('a');
    upper('b');
    upper('c'); // full: a and b are forgotten
    upper('a');
    expect(upper('c')).toBe('C');
    expect(read).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('rememberedLast', () => {
  it('answers the text just asked from memory, any other by reading it', () => {
    const read: string[] = [];
    const length = rememberedLast((text) => {
      read.push(text);
      return text.length;
    });
    expect([length('abc'), length('abc'), length('de'), length('abc'), length('abc')]).toEqual([3, 3, 2, 3, 3]);
    expect(read).toEqual(['abc', 'de', 'abc']);
  });
});

describe.each([
  ['remembered', remembered],
  ['rememberedLast', rememberedLast],
] as const)('%s', (_, memo) => {
  it('remembers an undefined answer too', () => {
    let reads = 0;
    const nothing = memo(() => {
      reads++;
      return undefined;
    });
    nothing('x');
    nothing('x');
    expect(reads).toBe(1);
  });
});
