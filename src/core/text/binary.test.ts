import { describe, expect, it } from 'vitest';
import { looksBinary, MAX_CONTROL_SHARE, SNIFF_BYTES } from './binary.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('looksBinary', () => {
  it('reads text in the encodings Sift accepts as text', () => {
    expect(looksBinary(encode('Café ☕ — “quoted” \t tabs\r\n\f'))).toBe(false);
    expect(looksBinary(new Uint8Array([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94]))).toBe(false);
    // ISO-2022-JP mail switches character sets with ESC sequences.
    expect(looksBinary(encode('Subject: \u001b$B$3$s$K$A$O\u001b(B hello'))).toBe(false);
    expect(looksBinary(new Uint8Array(0))).toBe(false);
  });

  it('flags the binary files people drop by mistake', () => {
    expect(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe(true);
    expect(looksBinary(new Uint8Array([...encode('%PDF-1.7\n'), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a, 0x01, 0x02]))).toBe(true);
    expect(looksBinary(new Uint8Array(100).fill(7))).toBe(true);
    expect(looksBinary(new Uint8Array([...encode('Name,Website\n'), 0, 1, 2, 3]))).toBe(true);
  });

  it(`calls more than ${MAX_CONTROL_SHARE * 100}% control bytes binary, wherever the bytes start in their buffer`, () => {
    const withControls = (count: number, offset: number): Uint8Array => {
      const buffer = new Uint8Array(offset + 1_000).fill(0x61);
      for (let i = 0; i < count; i++) buffer[offset + ((i * 37) % 1_000)] = [1, 8, 14, 31][i % 4]!;
      return buffer.subarray(offset);
    };
    for (const offset of [0, 1, 2, 3]) {
      expect(looksBinary(withControls(51, offset)), `offset ${offset}`).toBe(true);
      expect(looksBinary(withControls(50, offset)), `offset ${offset}`).toBe(false);
      expect(looksBinary(withControls(51, offset).subarray(0, 999))).toBe(true);
    }
  });

  it(`decides on the first ${SNIFF_BYTES} bytes only`, () => {
    const late = new Uint8Array(SNIFF_BYTES + 10).fill(0x61);
    late[SNIFF_BYTES + 2] = 0;
    expect(looksBinary(late)).toBe(false);
    late[SNIFF_BYTES - 1] = 0;
    expect(looksBinary(late)).toBe(true);
  });
});
