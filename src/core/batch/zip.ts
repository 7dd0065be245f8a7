/**
 * Reading a `.zip` as it streams in (fflate's `Unzip`, entry by entry from the local headers), with the limits a
 * hostile archive needs: entry count, each entry's and the whole archive's uncompressed size, and the expansion
 * ratio (a zip bomb inflates ~1000:1). An `.mbox` inside (a Gmail Takeout download) is split as it inflates, so
 * it is never held whole either.
 *
 * Entry names are labels, never paths: nothing is written anywhere. A name that climbs out of the archive (`../`),
 * is absolute (`/etc`, `C:\`) or hides in macOS metadata (`__MACOSX/`, `._name`) is left unread.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { formatSize } from '../links/parse/detect.ts';
import { type ByteSource, concatBytes, type ReadCounter, readChunks } from './byte-stream.ts';
import { MboxSplitter, mboxItems } from './mbox.ts';
import { baseName, describeUnsupported, entryKind, readEntryContent } from './file-kinds.ts';
import { DEFAULT_LIMITS, type ItemOrigin, type SkipReason, type SourceItem, type SourceLimits } from './types.ts';
import { messageOf } from '../text/error-message.ts';

/**
 * fflate inflates everything a push gives it in one go: pushing small pieces bounds what one push can produce
 * (16 kB of deflate at most ~16 MB) so the limits are checked before memory runs away.
 */
const PUSH_PIECE = 16 * 1024;

/** Why an entry name may not be used, or null when it is a plain relative name. */
export function unsafeEntryPath(name: string): string | null {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/')) return 'an absolute path';
  if (/^[a-zA-Z]:/.test(path)) return 'a drive path';
  if (path.split('/').some((segment) => segment === '..')) return 'a path that climbs out of the archive (../)';
  return null;
}

function isMacMetadata(name: string): boolean {
  const path = name.replace(/\\/g, '/');
  const base = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store';
}

interface OpenEntry {
  name: string;
  kind: ReturnType<typeof entryKind>;
  /** Compressed bytes pushed into the archive when the entry began: what it consumed is measured from here. */
  pushedAtStart: number;
  compressedSize: number | undefined;
  out: number;
  parts: Uint8Array[];
  splitter: MboxSplitter | null;
  /** Data after this is dropped (too large, unreadable); the entry is still read through, to reach the next one. */
  dropped: boolean;
}

export async function* readZip(
  source: ByteSource,
  origin: ItemOrigin,
  options: { counter: ReadCounter; signal?: AbortSignal; limits?: Partial<SourceLimits> },
): AsyncGenerator<SourceItem> {
  const limits: SourceLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { counter } = options;
  const label = origin.file;
  const queue: SourceItem[] = [];
  let fatal: string | null = null;
  let entries = 0;
  let totalOut = 0;
  let pushed = 0;

  const item = (entry: string | undefined): ItemOrigin => (entry === undefined ? origin : { ...origin, entry });
  const ignore = (entry: string, reason: SkipReason, detail?: string) =>
    queue.push({
      kind: 'ignored',
      origin: item(entry),
      readBytes: counter.bytes,
      reason,
      ...(detail ? { detail } : {}),
    });
  const stop = (problem: string) => {
    fatal ??= problem;
  };

  const finishEntry = (entry: OpenEntry) => {
    if (entry.dropped) return;
    if (entry.kind === 'mbox' && entry.splitter) {
      queue.push(...mboxItems(entry.splitter.end(), item(entry.name), counter));
      return;
    }
    const bytes = concatBytes(entry.parts, entry.out);
    entry.parts = [];
    const { kind } = entry;
    if (kind !== 'email' && kind !== 'emlx' && kind !== 'json' && kind !== 'document') return;
    const content = readEntryContent(kind, bytes);
    if (content.kind === 'ignored') {
      ignore(entry.name, content.reason, content.detail);
    } else if (content.kind === 'document') {
      queue.push({
        kind: 'document',
        origin: item(entry.name),
        readBytes: counter.bytes,
        bytes,
        fileName: baseName(entry.name),
      });
    } else {
      queue.push({
        kind: 'email',
        origin: item(entry.name),
        readBytes: counter.bytes,
        bytes: content.bytes,
        envelope: '',
      });
    }
  };

  const onData = (entry: OpenEntry, error: Error | null, data: Uint8Array | null, final: boolean) => {
    if (fatal) return;
    if (error) {
      if (!entry.dropped) {
        entry.dropped = true;
        entry.parts = [];
        ignore(entry.name, 'unreadable-entry', error.message);
      }
      return;
    }
    if (data && data.length > 0) {
      entry.out += data.length;
      totalOut += data.length;
      if (totalOut > limits.maxZipTotalBytes) {
        stop(
          `${label} expands to more than ${formatSize(limits.maxZipTotalBytes)}: reading stopped there (a zip bomb, or an archive too large to read in a browser tab). What came before was kept.`,
        );
        return;
      }
      const consumed = entry.compressedSize ?? Math.max(1, pushed - entry.pushedAtStart);
      if (entry.out > limits.zipRatioGraceBytes && entry.out / consumed > limits.maxZipRatio) {
        stop(
          `${label} looks like a zip bomb: "${entry.name}" expands more than ${limits.maxZipRatio} times its compressed size. Reading stopped there; what came before was kept.`,
        );
        return;
      }
      if (pushed > 0 && totalOut > limits.zipRatioGraceBytes * 16 && totalOut / pushed > limits.maxZipRatio) {
        stop(
          `${label} looks like a zip bomb: it expands more than ${limits.maxZipRatio} times its size. Reading stopped there; what came before was kept.`,
        );
        return;
      }
      if (!entry.dropped) {
        if (entry.splitter) queue.push(...mboxItems(entry.splitter.push(data), item(entry.name), counter));
        else if (entry.kind !== 'skip') {
          if (entry.out > limits.maxMessageBytes) {
            entry.dropped = true;
            entry.parts = [];
            ignore(entry.name, 'too-large', `larger than ${formatSize(limits.maxMessageBytes)}`);
          } else entry.parts.push(data);
        }
      }
    }
    if (final) finishEntry(entry);
  };

  const unzip = new Unzip((file: UnzipFile) => {
    if (fatal) return;
    entries += 1;
    if (entries > limits.maxZipEntries) {
      stop(
        `${label} has more than ${limits.maxZipEntries.toLocaleString('en-US')} entries: reading stopped there (a zip bomb, or not a mail export). What came before was kept.`,
      );
      return;
    }
    const name = file.name;
    let kind = entryKind(name);
    const unsafe = unsafeEntryPath(name);
    if (name.endsWith('/') || name.endsWith('\\')) kind = 'skip';
    else if (unsafe) {
      ignore(name, 'unsafe-path', unsafe);
      kind = 'skip';
    } else if (isMacMetadata(name) || kind === 'metadata') {
      ignore(name, 'metadata');
      kind = 'skip';
    } else if (kind === 'zip') {
      ignore(name, 'nested-archive');
      kind = 'skip';
    } else if (kind === 'skip') {
      ignore(name, 'unsupported-file', describeUnsupported(name));
    }
    const entry: OpenEntry = {
      name,
      kind,
      pushedAtStart: pushed,
      compressedSize: file.size !== undefined && file.size > 0 ? file.size : undefined,
      out: 0,
      parts: [],
      splitter: kind === 'mbox' ? new MboxSplitter({ label: name, maxMessageBytes: limits.maxMessageBytes }) : null,
      dropped: kind === 'skip',
    };
    file.ondata = (error, data, final) => onData(entry, error, data, final);
    // Every entry is started, even one that is not read: fflate keeps an unstarted entry's compressed bytes in
    // memory for the archive's whole life. A skipped entry's output is counted against the limits, then dropped.
    try {
      file.start();
    } catch (error) {
      onData(entry, error instanceof Error ? error : new Error(String(error)), null, true);
    }
  });
  unzip.register(UnzipInflate);

  let first = true;
  let ended = false;
  try {
    for await (const chunk of readChunks(source, counter, options.signal)) {
      if (first) {
        first = false;
        const problem = notAZip(label, chunk);
        if (problem) {
          yield { kind: 'problem', origin, readBytes: counter.bytes, problem, fatal: true };
          return;
        }
      }
      for (let at = 0; at < chunk.length && !fatal; at += PUSH_PIECE) {
        const piece = chunk.subarray(at, Math.min(chunk.length, at + PUSH_PIECE));
        pushed += piece.length;
        unzip.push(piece);
        if (queue.length > 0) yield* queue.splice(0);
      }
      if (fatal) break;
    }
    if (!fatal && !options.signal?.aborted) {
      if (first) {
        yield { kind: 'problem', origin, readBytes: counter.bytes, problem: `${label} is empty.`, fatal: true };
        return;
      }
      unzip.push(new Uint8Array(0), true);
      ended = true;
    }
  } catch (error) {
    // fflate throws on a cut-off archive (an entry that never ends) and on damaged headers.
    const reason = messageOf(error);
    stop(`${label} is damaged or cut off (${reason}): the entries before the damage were read, the rest could not be.`);
  }
  if (queue.length > 0) yield* queue.splice(0);
  if (fatal) {
    yield { kind: 'problem', origin, readBytes: counter.bytes, problem: fatal, fatal: true };
    return;
  }
  if (ended && entries === 0) {
    yield {
      kind: 'problem',
      origin,
      readBytes: counter.bytes,
      problem: `${label} holds no files (an empty archive).`,
      fatal: false,
    };
  }
}

function notAZip(label: string, head: Uint8Array): string | null {
  // Local file header, or the end-of-central-directory record of an empty archive.
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return null;
  return `${label} is not a zip archive (it does not start like one): it may be damaged, or another kind of file renamed to .zip.`;
}
