/**
 * The page `npm run bench:crm` drives: the real tools worker (the same module the app starts) with
 * its real IndexedDB, plus a bench-only worker that times lookups on the same index. Exposes a few
 * functions on `window.crmBench`.
 */
import { proxy, wrap } from 'comlink';
import { planFromPreview } from '../../src/core/crm/csv/types.ts';
import type { MatchQuery } from '../../src/core/crm/types.ts';
import { createToolsWorker } from '../../src/ui/workers/tools.ts';
import type { LookupBench } from './lookups.worker.ts';

const tools = createToolsWorker();

interface MemoryMeasurement {
  bytes: number;
}

const crmBench = {
  crossOriginIsolated: () => self.crossOriginIsolated,

  /** Preview, then import: timed apart, as the user sees them apart. */
  async importCsv(url: string) {
    // The benchmark's own page on its own local server: not app code, so not behind the egress gate.
    const blob = await (await fetch(url)).blob();
    const file = new File([blob], 'bench-companies.csv', { type: 'text/csv' });
    let started = performance.now();
    const preview = await tools.run((remote) => remote.previewCsv(file));
    const previewMs = performance.now() - started;
    let progressEvents = 0;
    started = performance.now();
    const report = await tools.run((remote) =>
      remote.importCsv(
        file,
        planFromPreview(preview),
        { mode: 'replace', fileName: file.name },
        proxy(() => {
          progressEvents++;
        }),
      ),
    );
    const importMs = performance.now() - started;
    return {
      previewMs,
      importMs,
      progressEvents,
      format: preview.format,
      ...report,
      rowErrors: report.rowErrors.length,
    };
  },

  /** Opens the stored CRM in a fresh worker: IndexedDB read plus index build. */
  async reopen() {
    tools.terminate();
    const started = performance.now();
    const overview = await tools.run((remote) => remote.openCrm());
    return { openMs: performance.now() - started, count: overview.count };
  },

  /** In a worker of its own (bench-only code stays out of the app's), ended before memory is measured. */
  async timeLookups(warmUp: MatchQuery[], queries: MatchQuery[]) {
    const worker = new Worker(new URL('./lookups.worker.ts', import.meta.url), { type: 'module' });
    try {
      return await wrap<LookupBench>(worker).timeCompanyLookups(warmUp, queries);
    } finally {
      worker.terminate();
    }
  },

  /** Page → worker → page for one batch, as a newsletter run does it. */
  async matchRoundTrips(queries: MatchQuery[], runs: number) {
    const times: number[] = [];
    const statuses: Record<string, number> = {};
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const results = await tools.run((remote) => remote.matchCompanies(queries));
      times.push(performance.now() - started);
      if (run === 0) for (const result of results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    }
    return { times, statuses };
  },

  /** Page and workers together (needs cross-origin isolation); null where the browser cannot tell. */
  async memoryBytes(): Promise<number | null> {
    const measure = (performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement> })
      .measureUserAgentSpecificMemory;
    if (!self.crossOriginIsolated || !measure) return null;
    return (await measure.call(performance)).bytes;
  },
};

(window as unknown as { crmBench: typeof crmBench }).crmBench = crmBench;
