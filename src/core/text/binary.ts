/**
 * Is this a file of text, or binary data (a PDF, an image, an archive, a spreadsheet)? The one
 * answer every reader of user files uses: the newsletter input, the link tools and CSV import.
 *
 * The rule: within the first `SNIFF_BYTES`, a NUL byte, or more than `MAX_CONTROL_SHARE` of bytes
 * that are control characters, means binary. Text in any encoding Sift reads (UTF-8, Latin-1 and
 * Windows-1252, quoted-printable MIME, ISO-2022-JP mail with its ESC sequences) has no NUL and almost
 * no control characters: tab, line feed, vertical tab, form feed, carriage return and ESC are not
 * counted. Binary formats have both within their first kilobytes. UTF-16 text has NUL bytes: a
 * reader that accepts it checks for its byte-order mark first.
 */

/** How much of the input decides: enough to see past a binary format's header, cheap to scan. */
export const SNIFF_BYTES = 16_384;
/** Above this share of control bytes the input is binary; real text stays far below it. */
export const MAX_CONTROL_SHARE = 0.05;

export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  const head = bytes.subarray(0, end);
  if (head.indexOf(0) >= 0) return true;
  return end > 0 && countControl(head) / end > MAX_CONTROL_SHARE;
}

function isControl(byte: number): boolean {
  return byte < 9 || (byte > 13 && byte < 32 && byte !== 27);
}

/** Control bytes in `head`, read four at a time: a word whose bytes are all 32 or more (almost all) is skipped whole. */
function countControl(head: Uint8Array): number {
  const end = head.length;
  let control = 0;
  let i = 0;
  while (i < end && (head.byteOffset + i) % 4 !== 0) if (isControl(head[i++]!)) control++;
  const words = i < end ? new Uint32Array(head.buffer, head.byteOffset + i, (end - i) >>> 2) : new Uint32Array(0);
  for (let w = 0; w < words.length; w++) {
    // A byte below 32 has its top three bits clear; this is non-zero only when some byte of the word is one.
    const top = words[w]! & 0xe0e0e0e0;
    if (((top - 0x01010101) & ~top & 0x80808080) === 0) continue;
    for (let k = i + w * 4; k < i + w * 4 + 4; k++) if (isControl(head[k]!)) control++;
  }
  for (let k = i + words.length * 4; k < end; k++) if (isControl(head[k]!)) control++;
  return control;
}
