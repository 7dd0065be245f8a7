/**
 * Link extraction as every run gets it: the pipeline's ranking with the person's corrections applied
 * (src/core/corrections). The corrections are read from IndexedDB on each call, so an undo or an import in Settings
 * holds from the very next run. Spread into the tools worker's `api`.
 */
import { applyCorrections } from '../src/core/corrections/apply.ts';
import { extractLinks as rankLinks } from '../src/core/links/pipeline.ts';
import type { ExtractLinksOptions } from '../src/core/links/pipeline.ts';
import type { Correction } from '../src/core/corrections/correction.ts';
import type { LinkReport } from '../src/core/links/types.ts';
import { loadCorrections } from '../src/storage/corrections.ts';
import { messageOf } from '../src/core/text/error-message.ts';

/** The person's corrections as a run uses them: never throws, and says in warnings what it could not read. */
export interface StoredCorrections {
  corrections: readonly Correction[];
  warnings: string[];
}

export async function readStoredCorrections(): Promise<StoredCorrections> {
  try {
    const loaded = await loadCorrections();
    return {
      corrections: loaded.corrections,
      warnings:
        loaded.damaged === 0
          ? []
          : [`${loaded.damaged} stored correction${loaded.damaged === 1 ? ' was' : 's were'} damaged and left out.`],
    };
  } catch (error) {
    return {
      corrections: [],
      warnings: [`Your corrections could not be read (${messageOf(error)}); this run ranks links without them.`],
    };
  }
}

/** One report with the corrections applied and their warnings after the report's own. */
export function correctedReport(report: LinkReport, stored: StoredCorrections): LinkReport {
  const corrected = applyCorrections(report, stored.corrections);
  return stored.warnings.length ? { ...corrected, warnings: [...corrected.warnings, ...stored.warnings] } : corrected;
}

export const correctionsApi = {
  /** A pasted or dropped newsletter to a ranked LinkReport, corrected by what the person taught Sift. */
  async extractLinks(input: string | Uint8Array, options: ExtractLinksOptions = {}): Promise<LinkReport> {
    return correctedReport(await rankLinks(input, options), await readStoredCorrections());
  },
};
