/**
 * What kind of input this is, and its text. Decoding never throws: bytes that are not UTF-8 are read as
 * Windows-1252 (what old mail and web pages without a charset mean), and binary data is read for whatever
 * URLs it holds, each with a warning the user sees.
 */
import { looksBinary } from '../../text/binary.ts';
import type { InputFormat } from '../types.ts';

/** How much of the input is sniffed for its format and for binary content. */
const SNIFF_BYTES = 16_384;

const EXTENSIONS: Record<string, InputFormat> = {
  eml: 'eml',
  mht: 'eml',
  mhtml: 'eml',
  msg: 'eml',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  txt: 'text',
  text: 'text',
};

/** RFC 5322 headers that mark an email; a pasted email starts with a block of them. */
const MAIL_HEADER =
  /^(?:from|to|subject|date|received|return-path|delivered-to|mime-version|content-type|message-id|x-[a-z0-9-]+|dkim-signature|arc-[a-z-]+|authentication-results|reply-to|list-unsubscribe):/i;
const HTML_MARKUP =
  /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|table[\s>]|div[\s>]|p[\s>]|a\s+[^>]*href|br\s*\/?>|span[\s>])/i;
const MARKDOWN_SYNTAX = /\[[^\]\n]+\]\((?:https?:|www\.|\/)|^#{1,6}\s+\S|^\s*[-*]\s+\[/m;

/** A size for a sentence the user reads: `2.1 GB`, `16.0 MB`, `12 kB`, `80 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1_073_741_824) return `${(bytes / 1_073_741_824).toFixed(1)} GB`;
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1_024) return `${(bytes / 1_024).toFixed(0)} kB`;
  return `${bytes} bytes`;
}

const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: false });

/** Cut before a UTF-8 continuation byte would split a character. */
function utf8Boundary(bytes: Uint8Array, limit: number): number {
  let end = limit;
  while (end > 0 && end > limit - 4 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

/** Windows-1252's printable characters at 0x80-0x9F (Node's decoder reads them as Latin-1 control codes). */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}

export interface DecodedInput {
  format: InputFormat;
  /** The whole input as text. Read lazily: an email from bytes is parsed from its bytes (its parts name their charsets). */
  text(): string;
  /** The raw bytes when the input came as bytes. */
  bytes: Uint8Array | null;
  warnings: string[];
  binary: boolean;
}

/**
 * Cut the input to `maxBytes`, say whether it is binary, take its format as `told` (what the page already knows,
 * such as an HTML paste) or else detect it from the file name or its head, and decode it. Never throws; every
 * repair is a warning in words the user understands.
 */
export function decodeInput(
  input: string | Uint8Array,
  maxBytes: number,
  fileName?: string,
  told?: InputFormat,
): DecodedInput {
  const warnings: string[] = [];
  if (typeof input === 'string') {
    let text = input;
    // Counting UTF-8 bytes of a 20 MB string costs a full pass; characters are a close, cheap stand-in.
    if (text.length > maxBytes) {
      warnings.push(
        `The input is ${formatSize(text.length)}; only the first ${formatSize(maxBytes)} were read. Links after that point are missing.`,
      );
      text = text.slice(0, maxBytes);
    }
    const binary = text.slice(0, SNIFF_BYTES).includes('\u0000');
    if (binary) warnings.push('The input contains binary data; only the web addresses found in it were read.');
    const format = binary ? 'text' : (told ?? detectFormat(text, fileName));
    return { format, text: () => text, bytes: null, warnings, binary };
  }
  let bytes = input;
  if (bytes.length > maxBytes) {
    warnings.push(
      `The file is ${formatSize(bytes.length)}; only the first ${formatSize(maxBytes)} were read. Links after that point are missing.`,
    );
    bytes = bytes.subarray(0, utf8Boundary(bytes, maxBytes));
  }
  const binary = looksBinary(bytes);
  if (binary) {
    warnings.push('The file looks like binary data, not a newsletter; only the web addresses found in it were read.');
  }
  // A told format or a known extension decides without the head; decoding it would be a second pass over 16 kB.
  const format = binary
    ? 'text'
    : (told ??
      formatByName(fileName) ??
      detectFormat(new TextDecoder().decode(bytes.subarray(0, SNIFF_BYTES)), fileName));
  let text: string | null = null;
  const decode = (): string => {
    if (text !== null) return text;
    try {
      // The lenient decoder takes the fast path; only output holding U+FFFD (a bad byte or a literal one) needs the
      // strict check that tells the two apart.
      text = lenientUtf8.decode(bytes);
      if (text.includes('\uFFFD')) text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      text = decodeWindows1252(bytes);
      if (!binary) warnings.push('The file is not valid UTF-8; it was read as Windows-1252 (Western European).');
    }
    return text;
  };
  // Emails are decoded by the MIME parser, part by part; everything else is decoded now, so its warnings are known.
  if (format !== 'eml') decode();
  return { format, text: decode, bytes, warnings, binary };
}

function formatByName(fileName: string | undefined): InputFormat | undefined {
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension ? EXTENSIONS[extension] : undefined;
}

export function detectFormat(text: string, fileName?: string): InputFormat {
  const byName = formatByName(fileName);
  if (byName) return byName;
  const head = text.slice(0, SNIFF_BYTES).replace(/^\uFEFF/, '');
  if (looksLikeEmail(head)) return 'eml';
  if (HTML_MARKUP.test(head)) return 'html';
  if (MARKDOWN_SYNTAX.test(head)) return 'markdown';
  return 'text';
}

/** The first lines are headers (with folded continuations) and at least two of them are mail headers. */
function looksLikeEmail(head: string): boolean {
  let mailHeaders = 0;
  const lines = head.split(/\r?\n/, 60);
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    if (MAIL_HEADER.test(line)) mailHeaders++;
    else if (!/^[\x21-\x39\x3b-\x7e]+:/.test(line)) return false;
  }
  return mailHeaders >= 2;
}
