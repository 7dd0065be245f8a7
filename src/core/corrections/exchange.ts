/**
 * Corrections as a file a team shares: export writes every correction; import reads one back, says what it would
 * change (a preview), and merges: a correction the device does not have is added, a newer one replaces the older
 * about the same link, an older one is left out. Nothing is silently replaced and nothing the device has is lost.
 */
import { parseCorrection } from './correction.ts';
import type { Correction } from './correction.ts';

export const exchangeFormat = 1;

export interface CorrectionsFile {
  app: 'sift';
  kind: 'corrections';
  format: typeof exchangeFormat;
  exportedAt: string;
  corrections: Correction[];
}

export function exportCorrections(corrections: readonly Correction[], now: Date | number): string {
  const file: CorrectionsFile = {
    app: 'sift',
    kind: 'corrections',
    format: exchangeFormat,
    exportedAt: new Date(now).toISOString(),
    corrections: [...corrections],
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export class CorrectionsFileError extends Error {
  override name = 'CorrectionsFileError';
}

export interface ReadCorrections {
  corrections: Correction[];
  /** Entries that were not valid corrections, left out. */
  rejected: number;
}

/** Reads an exported file; throws a `CorrectionsFileError` in words when it is not one. */
export function readCorrectionsFile(text: string, fileName: string): ReadCorrections {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CorrectionsFileError(
      `${fileName} is not a Sift corrections file: it is not JSON. Nothing was imported; your corrections are unchanged.`,
    );
  }
  const file = parsed as Partial<CorrectionsFile> | null;
  if (typeof file !== 'object' || file === null || file.app !== 'sift' || file.kind !== 'corrections') {
    throw new CorrectionsFileError(
      `${fileName} is not a Sift corrections file (export one from Settings → What Sift learned). Nothing was imported; your corrections are unchanged.`,
    );
  }
  if (file.format !== exchangeFormat) {
    throw new CorrectionsFileError(
      `${fileName} was written by another version of Sift (format ${String(file.format)}; this one reads ${exchangeFormat}). Nothing was imported; your corrections are unchanged.`,
    );
  }
  if (!Array.isArray(file.corrections)) {
    throw new CorrectionsFileError(`${fileName} holds no list of corrections. Nothing was imported.`);
  }
  const corrections: Correction[] = [];
  let rejected = 0;
  for (const item of file.corrections) {
    const correction = parseCorrection(item);
    if (correction) corrections.push(correction);
    else rejected++;
  }
  if (corrections.length === 0) {
    throw new CorrectionsFileError(
      rejected > 0
        ? `None of the ${rejected} entries in ${fileName} is a valid correction. Nothing was imported; your corrections are unchanged.`
        : `${fileName} holds no corrections. Nothing was imported.`,
    );
  }
  return { corrections, rejected };
}

export interface MergePreview {
  /** Corrections of links this device has none for. */
  added: Correction[];
  /** Newer than this device's correction of the same link: each replaces it. */
  replacing: Array<{ incoming: Correction; current: Correction }>;
  /** The device has this one already, or a newer one: left as it is. */
  kept: number;
  /** Entries of the file that were not valid corrections. */
  rejected: number;
  /** The merged list, what Sift will keep once the person confirms. */
  merged: Correction[];
}

export function previewMerge(current: readonly Correction[], incoming: ReadCorrections, source: string): MergePreview {
  const byId = new Map(current.map((correction) => [correction.id, correction]));
  const preview: MergePreview = { added: [], replacing: [], kept: 0, rejected: incoming.rejected, merged: [] };
  const seen = new Set<string>();
  for (const correction of incoming.corrections) {
    if (seen.has(correction.id)) continue;
    seen.add(correction.id);
    const imported = { ...correction, source: `${source} (${correction.source})`.slice(0, 300) };
    const known = byId.get(correction.id);
    if (!known) {
      preview.added.push(imported);
      byId.set(correction.id, imported);
    } else if (correction.date > known.date) {
      preview.replacing.push({ incoming: imported, current: known });
      byId.set(correction.id, imported);
    } else {
      preview.kept++;
    }
  }
  preview.merged = [...byId.values()];
  return preview;
}
