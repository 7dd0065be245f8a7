/**
 * Many files, a dropped folder, an mbox, a zip: one stream of items, in the order the files were given. Each
 * container is read as a stream; a loose `.eml` or document is read whole (it is at most `maxMessageBytes`).
 * A file that cannot be read becomes a problem in words, and the files after it are still read.
 */
import { formatSize } from '../links/parse/detect.ts';
import { headOf, type ReadCounter } from './byte-stream.ts';
import { baseName, describeUnsupported, type EntryKind, entryKind, readEntryContent } from './file-kinds.ts';
import { splitMbox } from './mbox.ts';
import { DEFAULT_LIMITS, type BatchFile, type ItemOrigin, type SourceItem, type SourceLimits } from './types.ts';
import { readZip } from './zip.ts';
import { messageOf } from '../text/error-message.ts';

export interface ReadSourcesOptions {
  signal?: AbortSignal;
  limits?: Partial<SourceLimits>;
  /** Shared with the caller so it can show how far the reading got. */
  counter?: ReadCounter;
}

/** The name a file is shown by: its place in a dropped folder, else its own name. */
export function fileLabel(file: BatchFile): string {
  return file.path || file.name;
}

export function totalBytes(files: readonly BatchFile[]): number {
  return files.reduce((sum, file) => sum + file.blob.size, 0);
}

/** What an extensionless file is, from its first bytes (Thunderbird's folders are mbox files without extension). */
async function sniffKind(file: BatchFile): Promise<EntryKind> {
  const head = await headOf(file.blob, 256);
  const text = new TextDecoder('latin1').decode(head);
  if (text.startsWith('From ')) return 'mbox';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return 'zip';
  if (/^[\x21-\x39\x3b-\x7e]+:[^\n]*\r?\n/.test(text) && !head.includes(0)) return 'email';
  return 'skip';
}

export async function* readSources(
  files: readonly BatchFile[],
  options: ReadSourcesOptions = {},
): AsyncGenerator<SourceItem> {
  const limits: SourceLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const counter = options.counter ?? { bytes: 0 };
  const { signal } = options;
  for (const file of files) {
    if (signal?.aborted) return;
    const label = fileLabel(file);
    const origin: ItemOrigin = { file: label };
    const startedAt = counter.bytes;
    try {
      let kind = entryKind(label);
      if (kind === 'skip' && !/\.[^./\\]+$/.test(baseName(label))) kind = await sniffKind(file);
      switch (kind) {
        case 'mbox':
          yield* splitMbox(file.blob, origin, { counter, signal, maxMessageBytes: limits.maxMessageBytes });
          break;
        case 'zip':
          yield* readZip(file.blob, origin, { counter, signal, limits });
          break;
        case 'email':
        case 'emlx':
        case 'json':
        case 'document':
          yield await readWhole(file, kind, origin, counter, limits);
          break;
        case 'metadata':
          counter.bytes += file.blob.size;
          yield { kind: 'ignored', origin, readBytes: counter.bytes, reason: 'metadata' };
          break;
        default:
          counter.bytes += file.blob.size;
          yield {
            kind: 'ignored',
            origin,
            readBytes: counter.bytes,
            reason: 'unsupported-file',
            detail: describeUnsupported(label),
          };
      }
    } catch (error) {
      if (signal?.aborted) return;
      const reason = messageOf(error);
      yield {
        kind: 'problem',
        origin,
        readBytes: counter.bytes,
        problem: `${label} could not be read (${reason}): it may have been moved or changed since you chose it. The other files were read.`,
        fatal: true,
      };
    }
    // Whatever happened inside, the progress bar counts the whole file as read once it is behind us.
    counter.bytes = Math.max(counter.bytes, startedAt + file.blob.size);
  }
}

async function readWhole(
  file: BatchFile,
  kind: 'email' | 'emlx' | 'json' | 'document',
  origin: ItemOrigin,
  counter: ReadCounter,
  limits: SourceLimits,
): Promise<SourceItem> {
  const { size } = file.blob;
  if (size > limits.maxMessageBytes) {
    counter.bytes += size;
    return {
      kind: 'ignored',
      origin,
      readBytes: counter.bytes,
      reason: 'too-large',
      detail: `${formatSize(size)}, over ${formatSize(limits.maxMessageBytes)}`,
    };
  }
  const bytes = new Uint8Array(await file.blob.arrayBuffer());
  counter.bytes += size;
  const dated = file.lastModified !== undefined ? { lastModified: file.lastModified } : {};
  const content = readEntryContent(kind, bytes);
  if (content.kind === 'ignored') {
    const { reason, detail } = content;
    return { kind: 'ignored', origin, readBytes: counter.bytes, reason, ...(detail ? { detail } : {}) };
  }
  if (content.kind === 'document') {
    return { kind: 'document', origin, readBytes: counter.bytes, bytes, fileName: baseName(origin.file), ...dated };
  }
  return { kind: 'email', origin, readBytes: counter.bytes, bytes: content.bytes, envelope: '', ...dated };
}
