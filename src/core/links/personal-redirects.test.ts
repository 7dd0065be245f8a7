import { describe, expect, it } from 'vitest';
import { personalRedirects } from './personal-redirects.ts';

const reader = 'NDEwOUBleGFtcGxlLm9yZzEy';

describe('personalRedirects', () => {
  it("finds one host's links that share a reader's id before the part that tells them apart", () => {
    const tracked = [
      ...[3335, 3354, 3338].map((id) => `https://weekly.example/i/${reader}/${id}`),
      ...['a', 'b', 'c'].map((id) => `https://go.sender.example/l/5f1c9a2e-04b7-4c1d-9e3a-7b2d6c8f0a11/${id}`),
    ];
    const others = [
      'https://weekly.example/',
      'https://weekly.example/issues/134',
      `https://weekly.example/unsubscribe/${reader}`,
      'https://gizmo.dev/blog/launch',
    ];
    expect(personalRedirects([...tracked, ...others])).toEqual(new Set(tracked));
  });

  it('leaves alone two links with an id, slugs, files, and ids on different hosts', () => {
    const slug = 'state-of-elixir-2024-survey';
    const image = 'clybjyqvk00hm9i0mfcii8l5v';
    expect(
      personalRedirects([
        // Two are a pair of account pages, not a pattern.
        `https://weekly.example/i/${reader}/1`,
        `https://weekly.example/i/${reader}/2`,
        // A slug shared by a post's pages is words, not an id.
        ...[1, 2, 3].map((page) => `https://blog.example/${slug}/part${page}`),
        // Images under one folder id are files.
        ...['a1.jpg', 'b2.jpg', 'c3.png'].map((file) => `https://cdn.example/${image}/${file}`),
        // The same id on three hosts is no one host's redirect.
        ...['a', 'b', 'c'].map((host) => `https://${host}.example/i/${reader}/7`),
      ]),
    ).toEqual(new Set());
  });
});
