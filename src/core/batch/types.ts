/**
 * The shapes a batch is read into: files in, one stream of items out (an email, a chosen document, something
 * ignored, or a problem in words), whatever the container (an mbox, a zip, a dropped folder, loose files).
 */

/** A file the user chose or dropped. A `File` carries all of it; `path` is its place in a dropped folder. */
export interface BatchFile {
  name: string;
  /** `webkitRelativePath` of a dropped folder's file (`Takeout/Mail/Inbox.mbox`); '' or absent for a loose file. */
  path?: string;
  /** Milliseconds since the epoch: the date of a document that has no Date header. */
  lastModified?: number;
  blob: Blob;
}

/** Where an item came from, for the user: `Inbox.mbox › message 12`, `export.zip › 2024/issue-3.eml`. */
export interface ItemOrigin {
  /** The file the user chose (its path in a dropped folder, else its name). */
  file: string;
  /** The entry inside a zip, if any. */
  entry?: string;
  /** 1-based position of the message inside an mbox. */
  index?: number;
}

/** Why something was not read as a newsletter; each has a sentence in `skip-reasons.ts`. */
export type SkipReason =
  | 'personal'
  | 'auto-reply'
  | 'bounce'
  | 'chat'
  | 'spam'
  | 'sent'
  | 'deleted'
  | 'duplicate'
  | 'unticked'
  | 'no-headers'
  | 'too-large'
  | 'unsupported-file'
  | 'not-a-message'
  | 'metadata'
  | 'nested-archive'
  | 'unsafe-path'
  | 'unreadable-entry';

interface ItemBase {
  origin: ItemOrigin;
  /** Bytes of the chosen files read so far (compressed bytes for a zip), for a progress bar. */
  readBytes: number;
}

/** One email: an mbox message, an `.eml`/`.emlx` file or zip entry. Its headers decide whether it is a newsletter. */
export interface EmailItem extends ItemBase {
  kind: 'email';
  bytes: Uint8Array;
  /** The mbox separator line (`From sender Mon Jan  1 00:00:00 2024`), '' outside an mbox: a date of last resort. */
  envelope: string;
  /** Set when the message was cut (the file ends inside it, or it was larger than the limit): a sentence saying so. */
  cutOff?: string;
  /** Date of the file it came from, when it is a whole file. */
  lastModified?: number;
}

/** A newsletter the user chose as a file (`.html`, `.md`, `.txt`): no headers to judge it by, so it is read. */
export interface DocumentItem extends ItemBase {
  kind: 'document';
  bytes: Uint8Array;
  /** The name the pipeline detects the format from. */
  fileName: string;
  lastModified?: number;
}

/** A file or entry left out on purpose (a reason the tally counts), without reading its content. */
export interface IgnoredItem extends ItemBase {
  kind: 'ignored';
  reason: SkipReason;
  /** Specifics for the user (`.pdf`, the unsafe path…); the reason's sentence says the rest. */
  detail?: string;
}

/**
 * Something that lost data or stopped reading: a file that is not what its name says, a cut-off end, a zip bomb.
 * `fatal` means the rest of that file was not read; what came before it was.
 */
export interface ProblemItem extends ItemBase {
  kind: 'problem';
  problem: string;
  fatal: boolean;
}

export type SourceItem = EmailItem | DocumentItem | IgnoredItem | ProblemItem;

/** Limits that keep a hostile or broken input from taking the tab down. */
export interface SourceLimits {
  /** A single email or document read whole (larger ones are skipped, or cut for an mbox message). */
  maxMessageBytes: number;
  /** A zip's entries, all together, uncompressed. */
  maxZipTotalBytes: number;
  /** How many times its compressed size an entry (or a zip) may expand to before it is taken for a zip bomb. */
  maxZipRatio: number;
  /** Output below this size is never judged by its ratio: tiny files compress oddly. */
  zipRatioGraceBytes: number;
  maxZipEntries: number;
}

/**
 * The pipeline reads at most 16 MB of a newsletter (`DEFAULT_MAX_BYTES`); a message larger than that is mail with
 * attachments, not a newsletter. The zip ratio follows Apache POI's zip-bomb guard (`ZipSecureFile`, minimum inflate
 * ratio 0.01, i.e. 100:1), with a larger grace than its 100 kB because text compresses better than office XML.
 */
export const DEFAULT_LIMITS: SourceLimits = {
  maxMessageBytes: 16 * 1_048_576,
  maxZipTotalBytes: 4 * 1_073_741_824,
  maxZipRatio: 100,
  zipRatioGraceBytes: 1_048_576,
  maxZipEntries: 100_000,
};

export function describeOrigin(origin: ItemOrigin): string {
  let label = origin.file;
  if (origin.entry !== undefined) label += ` › ${origin.entry}`;
  if (origin.index !== undefined) label += ` › message ${origin.index}`;
  return label;
}
