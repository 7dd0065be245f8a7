/**
 * A look at a newsletter's MIME skeleton before it is parsed: every multipart that declares a boundary must close
 * it (`--boundary--`). postal-mime reads a broken tree as far as it goes without saying so; this says so, so the
 * user knows a newsletter may be missing links. Only newsletters are checked, never skipped mail, and only as
 * bytes: nothing is decoded.
 */
import { asciiBytes, indexOfBytes, latin1 } from './byte-stream.ts';

const OUNDARY = [asciiBytes('oundary'), asciiBytes('OUNDARY')];
const QUOTE = 34;
const EQUALS = 61;

function isSpace(byte: number | undefined): boolean {
  return byte === 32 || byte === 9 || byte === 13 || byte === 10;
}

/** The value of a `boundary=` parameter whose name ends just before `at`, or null. */
function boundaryAt(bytes: Uint8Array, at: number): string | null {
  let k = at;
  while (isSpace(bytes[k])) k++;
  if (bytes[k] !== EQUALS) return null;
  k++;
  while (isSpace(bytes[k])) k++;
  const quoted = bytes[k] === QUOTE;
  if (quoted) k++;
  const start = k;
  while (k < bytes.length && k - start <= 200) {
    const byte = bytes[k]!;
    if (quoted ? byte === QUOTE || byte === 10 : byte === 59 || byte === QUOTE || isSpace(byte)) break;
    k++;
  }
  return k > start && k - start <= 200 ? latin1(bytes.subarray(start, k)) : null;
}

/** A sentence naming the first multipart that never closes, or null when the skeleton is whole. */
export function mimeDamage(bytes: Uint8Array): string | null {
  const seen = new Set<string>();
  for (const needle of OUNDARY) {
    for (let at = indexOfBytes(bytes, needle); at >= 0; at = indexOfBytes(bytes, needle, at + needle.length)) {
      const b = bytes[at - 1];
      if (b !== 0x62 && b !== 0x42) continue;
      const boundary = boundaryAt(bytes, at + needle.length);
      if (!boundary || seen.has(boundary)) continue;
      seen.add(boundary);
      if (indexOfBytes(bytes, asciiBytes(`--${boundary}--`)) < 0) {
        return `Its MIME structure is damaged: the part marked "${boundary}" never closes (a broken or cut-off export), so it was read as far as it goes and links may be missing.`;
      }
    }
  }
  return null;
}
