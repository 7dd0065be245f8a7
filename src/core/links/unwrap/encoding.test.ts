import { describe, expect, it } from 'vitest';
import { firstPathSegment, pathSegments } from './encoding.ts';

describe('firstPathSegment', () => {
  it('is the first of pathSegments, through doubled, leading and trailing slashes', () => {
    const paths = ['', '/', '//', '/c', '/c/', '//c//eJx', '/click/1.2/aHR0cA/sig', '/e/c/x', '///', '/a%2Fb/c'];
    for (const path of paths) {
      const url = new URL(`https://links.example.com${path}`);
      expect(firstPathSegment(url), path).toBe(pathSegments(url)[0] ?? '');
    }
  });
});
