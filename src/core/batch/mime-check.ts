/**
 * A look at a newsletter's MIME skeleton before it is parsed: every multipart that declares a boundary must close
 * it (`--boundary--`). postal-mime reads a broken tree as far as it goes without saying so; this says so, so the
 * user knows a newsletter may be missing links. Only newsletters are checked, never skipped mail.
 */
import { asciiBytes, indexOfBytes } from './byte-stream.ts';

const BOUNDARY_PARAM = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;
const latin1 = new TextDecoder('latin1');

/** A sentence naming the first multipart that never closes, or null when the skeleton is whole. */
export function mimeDamage(bytes: Uint8Array): string | null {
  // Boundaries are declared in part headers; scanning the text for the parameter finds every one of them.
  const text = latin1.decode(bytes);
  const seen = new Set<string>();
  for (const match of text.matchAll(BOUNDARY_PARAM)) {
    const boundary = match[1] ?? match[2]!;
    if (seen.has(boundary)) continue;
    seen.add(boundary);
    if (indexOfBytes(bytes, asciiBytes(`--${boundary}--`)) < 0) {
      return `Its MIME structure is damaged: the part marked "${boundary}" never closes (a broken or cut-off export), so it was read as far as it goes and links may be missing.`;
    }
  }
  return null;
}
