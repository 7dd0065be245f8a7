/**
 * Link extraction as every run gets it: the pipeline's ranking with the person's corrections applied
 * (src/core/corrections). The corrections are read from IndexedDB on each call, so an undo or an import in Settings
 * holds from the very next run. Spread into the tools worker's `api`.
 */
import { applyCorrections } from '../src/core/corrections/apply.ts';
import { extractLinks as rankLinks } from '../src/core/links/pipeline.ts';
import type { ExtractLinksOptions } from '../src/core/links/pipeline.ts';
import type { LinkReport } from '../src/core/links/types.ts';
import { loadCorrections } from '../src/storage/corrections.ts';
import { messageOf } from '../src/core/text/error-message.ts';

export const correctionsApi = {
  /** A pasted or dropped newsletter to a ranked LinkReport, corrected by what the person taught Sift. */
  async extractLinks(input: string | Uint8Array, options: ExtractLinksOptions = {}): Promise<LinkReport> {
    const report = await rankLinks(input, options);
    let loaded;
    try {
      loaded = await loadCorrections();
    } catch (error) {
      return {
        ...report,
        warnings: [
          ...report.warnings,
          `Your corrections could not be read (${messageOf(error)}); this run ranks links without them.`,
        ],
      };
    }
    const corrected = applyCorrections(report, loaded.corrections);
    if (loaded.damaged === 0) return corrected;
    return {
      ...corrected,
      warnings: [
        ...corrected.warnings,
        `${loaded.damaged} stored correction${loaded.damaged === 1 ? ' was' : 's were'} damaged and left out.`,
      ],
    };
  },
};
