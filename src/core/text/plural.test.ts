import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it('picks the noun by the count and groups digits', () => {
    expect(plural(1, 'link', 'links')).toBe('1 link');
    expect(plural(0, 'link', 'links')).toBe('0 links');
    expect(plural(1204, 'link', 'links')).toBe(`${(1204).toLocaleString()} links`);
  });
});
