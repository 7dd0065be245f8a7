import { describe, expect, it } from 'vitest';
import { decodeInput, detectFormat } from './detect.ts';
import { fixtureText } from './fixtures/read.ts';

describe('detectFormat', () => {
  it('trusts the file extension first', () => {
    expect(detectFormat('<p>hi</p>', 'a.md')).toBe('markdown');
    expect(detectFormat('hello', 'x.EML')).toBe('eml');
    expect(detectFormat('# hi', 'notes.txt')).toBe('text');
  });

  it('sniffs an email, HTML, Markdown and plain text', () => {
    expect(detectFormat(fixtureText('weekly.eml'))).toBe('eml');
    expect(detectFormat(fixtureText('digest.html'))).toBe('html');
    expect(detectFormat(fixtureText('issue.md'))).toBe('markdown');
    expect(detectFormat('Just text with https://a.example/ in it.')).toBe('text');
    expect(detectFormat('Subject: not really an email\nhello')).toBe('text');
  });
});

describe('decodeInput', () => {
  it('cuts input over the limit and says so', () => {
    const decoded = decodeInput(new Uint8Array(3_000).fill(0x61), 1_024);
    expect(decoded.text()).toHaveLength(1_024);
    expect(decoded.warnings[0]).toMatch(/only the first 1 kB were read/);
    expect(decodeInput('x'.repeat(2_000), 1_000).warnings[0]).toMatch(/only the first/);
  });

  it('never splits a UTF-8 character when cutting', () => {
    const bytes = new TextEncoder().encode('é'.repeat(10));
    expect(decodeInput(bytes, 5).text()).toBe('éé');
  });

  it('reads bytes that are not UTF-8 as Windows-1252, with a warning', () => {
    const decoded = decodeInput(new Uint8Array([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94]), 100);
    expect(decoded.text()).toBe('“café”');
    expect(decoded.warnings).toEqual([expect.stringMatching(/not valid UTF-8/)]);
  });

  it('flags binary data', () => {
    const decoded = decodeInput(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]), 100);
    expect(decoded.binary).toBe(true);
    expect(decoded.warnings[0]).toMatch(/binary data/);
    expect(decodeInput('a\u0000b', 100).binary).toBe(true);
  });
});
