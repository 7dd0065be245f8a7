/**
 * `npm run bench:crm` only: times lookups inside a worker (a round trip to the page would swamp a
 * lookup of a few microseconds), on the same `CrmIndex` the tools worker builds, from the same
 * IndexedDB the import just wrote. Not part of the app: nothing in src/ or workers/ imports it.
 */
import { expose } from 'comlink';
import { CrmIndex } from '../../src/core/crm/crm-index.ts';
import type { MatchQuery } from '../../src/core/crm/types.ts';
import { CrmStorage } from '../../src/storage/crm.ts';

function timeEach(index: CrmIndex, queries: readonly MatchQuery[]): { lookupsUs: number[]; allMs: number } {
  const lookupsUs = queries.map((query) => {
    const start = performance.now();
    index.matchCompany(query);
    return (performance.now() - start) * 1000;
  });
  const start = performance.now();
  index.matchMany(queries);
  return { lookupsUs, allMs: performance.now() - start };
}

const lookupBench = {
  /** The first batch warms the JIT, as any session after its first newsletter is; the second is measured. */
  async timeCompanyLookups(warmUp: MatchQuery[], queries: MatchQuery[]) {
    const index = new CrmIndex(await new CrmStorage().load());
    timeEach(index, warmUp);
    return { companies: index.size, ...timeEach(index, queries) };
  },
};

export type LookupBench = typeof lookupBench;

expose(lookupBench);
