/**
 * What a file (or zip entry) is, from its name: the mail-client exports Sift reads, and the files that come along
 * with them and are left alone.
 * - Apple Mail's "Export Mailbox…" writes a folder `Name.mbox/` holding a file named `mbox` (no extension), plus
 *   `Info.plist` and `table_of_contents`. Its own store keeps one `.emlx` per message.
 * - Thunderbird keeps each folder as an extensionless mbox file (`Inbox`) beside a `.msf` index.
 * - A `.json` file is a message when it is one (the Gmail API's message resource, a mail tool's export); a folder
 *   also holds JSON that is not mail (`package.json`), which is left out.
 * - Outlook's `.msg` is a binary compound file, not MIME; `.pst` a database: neither is read, and
 *   `describeUnsupported` tells the user what to export instead.
 */

import { readJsonMail } from '../links/parse/message-json.ts';

export type EntryKind = 'mbox' | 'email' | 'emlx' | 'json' | 'document' | 'zip' | 'metadata' | 'skip';

const BY_EXTENSION: Record<string, EntryKind> = {
  mbox: 'mbox',
  mbx: 'mbox',
  eml: 'email',
  emlx: 'emlx',
  json: 'json',
  html: 'document',
  htm: 'document',
  md: 'document',
  markdown: 'document',
  txt: 'document',
  zip: 'zip',
  msf: 'metadata',
  plist: 'metadata',
  ds_store: 'metadata',
};

const METADATA_NAMES = new Set(['table_of_contents', '.ds_store', 'thumbs.db', 'desktop.ini']);

export function baseName(path: string): string {
  const normal = path.replace(/\\/g, '/');
  return normal.slice(normal.lastIndexOf('/') + 1);
}

export function entryKind(path: string): EntryKind {
  const base = baseName(path).toLowerCase();
  if (base === 'mbox') return 'mbox';
  if (METADATA_NAMES.has(base)) return 'metadata';
  const extension = /\.([^.]+)$/.exec(base)?.[1];
  if (!extension) return 'skip';
  return BY_EXTENSION[extension] ?? 'skip';
}

/**
 * The message inside an Apple Mail `.emlx`: a first line with the message's length in bytes, the message, then an
 * XML property list. Null when the file is not shaped like that.
 */
export function readEmlx(bytes: Uint8Array): Uint8Array | null {
  const lf = bytes.indexOf(10);
  if (lf <= 0 || lf > 20) return null;
  const length = Number(new TextDecoder().decode(bytes.subarray(0, lf)).trim());
  if (!Number.isInteger(length) || length <= 0) return null;
  const start = lf + 1;
  return bytes.subarray(start, Math.min(bytes.length, start + length));
}

/** What a whole file or zip entry of a readable kind holds, for the item it becomes. */
export type EntryContent =
  | { kind: 'email'; bytes: Uint8Array }
  | { kind: 'document' }
  | { kind: 'ignored'; reason: 'not-a-message' | 'unreadable-entry'; detail?: string };

/**
 * One reading for loose files and zip entries alike: an `.emlx` gives the message inside it; a `.json` file a Gmail
 * API message as the email it came from (screened by its headers like any other), a flattened export as a document
 * the user chose, or nothing.
 */
export function readEntryContent(kind: 'email' | 'emlx' | 'json' | 'document', bytes: Uint8Array): EntryContent {
  if (kind === 'document') return { kind: 'document' };
  if (kind === 'json')
    return readJsonMail(new TextDecoder().decode(bytes)) ?? { kind: 'ignored', reason: 'not-a-message' };
  const email = kind === 'emlx' ? readEmlx(bytes) : bytes;
  return email
    ? { kind: 'email', bytes: email }
    : { kind: 'ignored', reason: 'unreadable-entry', detail: 'not an Apple Mail .emlx message' };
}

/** What an unsupported file is, for the sentence that says it was left out. */
export function describeUnsupported(path: string): string {
  const extension = /\.([^.]+)$/.exec(baseName(path))?.[1]?.toLowerCase();
  if (extension === 'msg') return 'Outlook .msg (save messages as .eml instead)';
  if (extension === 'pst' || extension === 'ost') return `Outlook .${extension} data file (export as .eml or .mbox)`;
  return extension ? `.${extension}` : 'no extension, and not mail';
}
