import { describe, expect, it } from 'vitest';
import { draftWebsite, readTags } from './base.ts';

describe('what every remote connector reads and writes the same way', () => {
  it('reads tags stored as a list or as text', () => {
    expect(readTags(['a', '', 3, 'b'])).toEqual(['a', 'b']);
    expect(readTags('a, b;c')).toEqual(['a', 'b', 'c']);
    expect(readTags(null)).toEqual([]);
  });

  it('builds the website a draft stands for', () => {
    expect(draftWebsite({ website: 'acme.com/x' })).toBe('https://acme.com/x');
    expect(draftWebsite({ domain: 'https://app.acme.com' })).toBe('https://acme.com');
    expect(draftWebsite({})).toBeNull();
  });
});
