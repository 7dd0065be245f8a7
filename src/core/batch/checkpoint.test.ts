import { describe, expect, it } from 'vitest';
import { continues, fingerprintFiles, markDone, newCheckpoint, readCheckpoint } from './checkpoint.ts';
import { batchFile } from './test-messages.ts';

describe('BatchCheckpoint', () => {
  const files = [
    batchFile('Inbox.mbox', 'From x\n', { lastModified: 1 }),
    batchFile('a.eml', 'x', { path: 'drop/a.eml', lastModified: 2 }),
  ];

  it('survives a round trip through storage and continues only the same files', () => {
    const checkpoint = newCheckpoint(files, 100);
    markDone(checkpoint, 'mid:a@example.org', 150);
    const stored = readCheckpoint(JSON.parse(JSON.stringify(checkpoint)));
    expect(stored).toEqual({
      version: 1,
      files: fingerprintFiles(files),
      done: ['mid:a@example.org'],
      startedAt: 100,
      updatedAt: 150,
    });
    expect(continues(stored!, files)).toBe(true);
    expect(continues(stored!, [files[0]!])).toBe(false);
    expect(
      continues(stored!, [files[0]!, batchFile('a.eml', 'changed', { path: 'drop/a.eml', lastModified: 2 })]),
    ).toBe(false);
  });

  it.each([
    ['nothing', undefined],
    ['another version', { version: 2, files: '', done: [], startedAt: 0, updatedAt: 0 }],
    ['damaged keys', { version: 1, files: '', done: [1, 2], startedAt: 0, updatedAt: 0 }],
    ['a missing field', { version: 1, done: [], startedAt: 0, updatedAt: 0 }],
  ])('reads %s as no checkpoint', (_, value) => {
    expect(readCheckpoint(value)).toBeNull();
  });
});
