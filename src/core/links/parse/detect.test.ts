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

  it('counts every control byte, wherever the bytes start in their buffer and whatever their length', () => {
    // 1,000 bytes of text with control bytes (ESC aside) spread over it: more than 5% is binary, 5% or less is not.
    const withControls = (count: number, offset: number): Uint8Array => {
      const buffer = new Uint8Array(offset + 1_000).fill(0x61);
      for (let i = 0; i < count; i++) buffer[offset + ((i * 37) % 1_000)] = [1, 8, 14, 31][i % 4]!;
      return buffer.subarray(offset);
    };
    for (const offset of [0, 1, 2, 3]) {
      expect(decodeInput(withControls(51, offset), 10_000).binary, `offset ${offset}`).toBe(true);
      expect(decodeInput(withControls(50, offset), 10_000).binary, `offset ${offset}`).toBe(false);
      expect(decodeInput(withControls(51, offset).subarray(0, 999), 10_000).binary).toBe(true);
    }
  });
});
