/**
 * What the user hands Sift: pasted text, pasted HTML (links kept), or a file's bytes. Checked here
 * before any work starts, so a PDF or a 200 MB log gets a sentence, not a frozen tab.
 */
import { looksBinary } from '../../core/text/binary.ts';
import { formatBytes } from '../../core/text/byte-size.ts';

export type NewsletterInput =
  | { kind: 'text'; text: string }
  /** HTML from an email client's clipboard; `plain` is what the user sees in the paste area. */
  | { kind: 'html'; html: string; plain: string }
  | { kind: 'file'; name: string; bytes: ArrayBuffer };

/** `.json`: an email as the Gmail API or a mail tool exports it, read like the `.eml` it stands for. */
export const ACCEPTED_EXTENSIONS = ['.eml', '.html', '.htm', '.txt', '.md', '.json'] as const;
export const ACCEPT_ATTRIBUTE = [
  ...ACCEPTED_EXTENSIONS,
  'message/rfc822',
  'text/html',
  'text/plain',
  'text/markdown',
  'application/json',
].join(',');

/** Larger files are refused outright; the link tools cut what they read at their own limit. */
export const MAX_FILE_BYTES = 50 * 2 ** 20;
/** Pastes above this are held in memory and summarised instead of shown: a textarea with 20 MB freezes. */
export const MAX_SHOWN_PASTE_CHARS = 200_000;

export class InputRefusedError extends Error {
  override name = 'InputRefusedError';
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

const KNOWN_BINARY: [string, string][] = [
  ['%PDF', 'a PDF'],
  ['PK\u0003\u0004', 'a ZIP archive (or a Word/Excel file)'],
  ['\u0089PNG', 'a PNG image'],
  ['GIF8', 'a GIF image'],
];

function binaryKind(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG image';
  return KNOWN_BINARY.find(([magic]) => head.startsWith(magic))?.[1] ?? 'a binary file';
}

/** Reads a dropped or chosen file, refusing what Sift cannot read with a message that says why. */
export async function readNewsletterFile(file: File): Promise<NewsletterInput> {
  const extension = extensionOf(file.name);
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new InputRefusedError(
      `“${file.name}” is not a file Sift reads. Choose an email (.eml, or .json as the Gmail API exports it), a web page (.html, .htm), or text (.txt, .md).`,
    );
  }
  if (file.size === 0) throw new InputRefusedError(`“${file.name}” is empty.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new InputRefusedError(
      `“${file.name}” is ${formatBytes(file.size)}; Sift reads newsletters up to ${formatBytes(MAX_FILE_BYTES)}.`,
    );
  }
  const bytes = await file.arrayBuffer();
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 8192));
  if (looksBinary(new Uint8Array(bytes))) {
    throw new InputRefusedError(
      `“${file.name}” looks like ${binaryKind(head)}, not a newsletter. Save the email as .eml or .html and try that.`,
    );
  }
  return { kind: 'file', name: file.name, bytes };
}

export function inputIsEmpty(input: NewsletterInput | null): boolean {
  if (!input) return true;
  if (input.kind === 'file') return input.bytes.byteLength === 0;
  if (input.kind === 'html') return input.html.trim() === '' && input.plain.trim() === '';
  return input.text.trim() === '';
}

/** A short name for the run, for the history list: the file's name or the first words. */
export function describeInput(input: NewsletterInput): string {
  if (input.kind === 'file') return input.name;
  const titled = input.kind === 'html' ? htmlTitle(input.html) : '';
  if (titled) return shorten(titled);
  const text = input.kind === 'html' ? input.plain : input.text;
  const firstLine =
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? 'Pasted newsletter';
  return shorten(firstLine);
}

/** The email's own `<title>` or first `<h1>`: a better name than its first line ("View in browser"). */
function htmlTitle(html: string): string {
  const head = html.slice(0, 100_000);
  const found = /<title[^>]*>([^<]+)<\/title>/i.exec(head)?.[1] ?? /<h1[^>]*>([^<]+)<\/h1>/i.exec(head)?.[1] ?? '';
  return found
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function inputSize(input: NewsletterInput): number {
  if (input.kind === 'file') return input.bytes.byteLength;
  return input.kind === 'html' ? input.html.length : input.text.length;
}

/** Sizes read the same here as everywhere else in Sift. */
export { formatBytes };
