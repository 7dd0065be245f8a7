/**
 * postal-mime runs with Sift's speed patch (patches/postal-mime+<version>.patch, applied by `npm install`'s
 * postinstall): it finds line ends and quoted-printable escapes with native scans, feeds body lines without a promise
 * each, and joins decoded chunks without a Blob. These tests hold its output to what RFC 2045 and RFC 2046 say a
 * message decodes to, over generated messages, so a patch that changed a byte would fail here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

const hexDigit = (code: number): number =>
  code >= 0x30 && code <= 0x39
    ? code - 0x30
    : code >= 0x41 && code <= 0x46
      ? code - 0x37
      : code >= 0x61 && code <= 0x66
        ? code - 0x57
        : -1;

/**
 * Quoted-printable decoding as RFC 2045 6.7 states it, one line at a time: white space added at a line's end in
 * transit goes, a line ending in `=` joins the next, `=XX` is a byte, and an `=` that starts no escape stays.
 */
function referenceQuotedPrintable(lines: ReadonlyArray<{ text: string; lineBreak: string }>): number[] {
  const out: number[] = [];
  lines.forEach(({ text, lineBreak }, index) => {
    let end = text.length;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    const soft = end > 0 && text[end - 1] === '=';
    if (soft) end--;
    for (let i = 0; i < end; i++) {
      const code = text.charCodeAt(i);
      const high = i + 2 < end ? hexDigit(text.charCodeAt(i + 1)) : -1;
      const low = i + 2 < end ? hexDigit(text.charCodeAt(i + 2)) : -1;
      if (code === 0x3d && high >= 0 && low >= 0) {
        out.push(high * 16 + low);
        i += 2;
      } else out.push(code);
    }
    // The break before the closing boundary belongs to the boundary (RFC 2046 5.1.1).
    if (!soft && index < lines.length - 1) for (const char of lineBreak) out.push(char.charCodeAt(0));
  });
  return out;
}

/** One encoded line: literal ASCII, escapes (valid, lower-case, broken), `=` at odd places, trailing blanks. */
const encodedLine = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '<', '"', '-', '.'), maxLength: 40 }),
      fc.integer({ min: 0, max: 255 }).map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`),
      fc.integer({ min: 0, max: 255 }).map((byte) => `=${byte.toString(16).padStart(2, '0')}`),
      fc.constantFrom('=', '==', '=G1', '=3', '=\t', '= '),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''))
  // A body line is never taken for the boundary, which starts with `--`.
  .filter((text) => !text.startsWith('--'));

const lineBreak = fc.constantFrom('\r\n', '\n', '\r\r\n');

describe("postal-mime with Sift's speed patch", () => {
  it('decodes a quoted-printable part byte for byte as RFC 2045 says, with any line breaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ text: encodedLine, lineBreak }), { minLength: 1, maxLength: 30 }),
        lineBreak,
        async (lines, headerBreak) => {
          const body = lines.map(({ text, lineBreak: end }) => text + end).join('');
          const message =
            `Content-Type: multipart/mixed; boundary="b1"${headerBreak}${headerBreak}--b1${headerBreak}` +
            `Content-Type: text/plain${headerBreak}${headerBreak}before${headerBreak}--b1${headerBreak}` +
            `Content-Type: application/octet-stream${headerBreak}Content-Transfer-Encoding: quoted-printable${headerBreak}` +
            `Content-Disposition: attachment; filename="part.bin"${headerBreak}${headerBreak}${body}--b1--${headerBreak}`;
          const email = await PostalMime.parse(new TextEncoder().encode(message), {
            attachmentEncoding: 'arraybuffer',
          });
          expect(email.text).toBe('before');
          expect(email.attachments).toHaveLength(1);
          const decoded = [...new Uint8Array(email.attachments[0]!.content as ArrayBuffer)];
          expect(decoded).toEqual(referenceQuotedPrintable(lines));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a pass-through part and a base64 part as sent, and a last line with no break', async () => {
    const bytes = Array.from({ length: 700 }, (_, i) => (i * 37) % 256);
    const base64 = Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
    const message =
      'Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html\n\n<p>a\r\nb</p>\r\n\n' +
      '--x\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n' +
      `Content-Disposition: attachment; filename=a.bin\n\n${base64}\n--x\nContent-Type: text/plain\n\nlast line`;
    const email = await PostalMime.parse(new TextEncoder().encode(message), { attachmentEncoding: 'arraybuffer' });
    // A text part after the HTML one in a mixed multipart is shown after it (postal-mime's rendering).
    expect(email.html).toBe('<p>a\nb</p>\n\n<div>last line</div>');
    expect([...new Uint8Array(email.attachments[0]!.content as ArrayBuffer)]).toEqual(bytes);
    expect(email.text).toBe('\na\nb\n\nlast line\n');
  });

  it('is the version the patch was made for, with the patch applied', () => {
    const packageJson = require.resolve('postal-mime/package.json');
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const patch = join(import.meta.dirname, '../../../../patches', `postal-mime+${version}.patch`);
    expect(() => readFileSync(patch), `no patch for postal-mime ${version}: redo it (npx patch-package)`).not.toThrow();
    const patched = readFileSync(join(dirname(packageJson), 'dist/esm/decode-strings.js'), 'utf8');
    expect(patched, 'postal-mime is installed unpatched: run npm install').toContain('chunksToArrayBuffer');
  });
});
