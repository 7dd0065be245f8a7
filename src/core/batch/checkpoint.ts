/**
 * What a batch has done, small enough to save after every newsletter: the keys of the newsletters whose results
 * were kept, and which files the batch read. Reopening the same files with it continues where the batch stopped;
 * skipping personal mail again costs only its headers, so skips are not saved.
 *
 * The saved shape is a contract with browsers that stored it: change it only with a new `version` and a reader
 * for the old one. Whatever is read back is checked; anything else is "no checkpoint".
 */
import Type from 'typebox';
import Value from 'typebox/value';
import type { BatchFile } from './types.ts';

export const BatchCheckpointSchema = Type.Object({
  version: Type.Literal(1),
  /** `fingerprintFiles` of the files the batch read: only the same files continue it. */
  files: Type.String(),
  /** Keys (`NewsletterMeta.key`) of newsletters done, in the order they were done. */
  done: Type.Array(Type.String()),
  startedAt: Type.Number(),
  updatedAt: Type.Number(),
});

export type BatchCheckpoint = Type.Static<typeof BatchCheckpointSchema>;

/** Names, sizes and dates, in order: the same drop of the same files gives the same string. */
export function fingerprintFiles(files: readonly BatchFile[]): string {
  return files.map((file) => `${file.path || file.name}|${file.blob.size}|${file.lastModified ?? ''}`).join('\n');
}

export function newCheckpoint(files: readonly BatchFile[], now: number): BatchCheckpoint {
  return { version: 1, files: fingerprintFiles(files), done: [], startedAt: now, updatedAt: now };
}

export function markDone(checkpoint: BatchCheckpoint, key: string, now: number): void {
  checkpoint.done.push(key);
  checkpoint.updatedAt = now;
}

/** A stored checkpoint, checked; null when it is damaged or from another version. */
export function readCheckpoint(value: unknown): BatchCheckpoint | null {
  return Value.Check(BatchCheckpointSchema, value) ? value : null;
}

/** Whether `checkpoint` belongs to these files (the user dropped the same export again). */
export function continues(checkpoint: BatchCheckpoint, files: readonly BatchFile[]): boolean {
  return checkpoint.files === fingerprintFiles(files);
}
