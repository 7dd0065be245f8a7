/**
 * The tools worker: Sift's deterministic tools (link extraction, CRM index and matching, CSV)
 * run here so a 20 MB paste or a 100,000-row import never freezes the page.
 * Thin on purpose: each area exposes its functions from its own module under src/.
 */
// First: every request from this worker goes through the egress gate.
import '../src/net/worker-egress.ts';
import { expose } from 'comlink';
<<<<<<< HEAD
import { extractLinks } from '../src/core/links/pipeline.ts';
import { batchApi } from './batch-api.ts';
=======
import { correctionsApi } from './corrections-api.ts';
>>>>>>> 5d983fa (Corrections: stored in IndexedDB (validated, damaged entries kept aside) and applied in the tools worker on every run; rows carry what a correction records; links a correction turned down are listed under Maybe with the correction as their reason; corrections files export and merge with a preview)
import { crmApi } from './crm-api.ts';

const api = {
  ping: (): 'pong' => 'pong',
  ...crmApi,
<<<<<<< HEAD
  /** Many newsletters at once: mailbox exports, zips, folders, read as streams (src/core/batch). */
  ...batchApi,
  /** Link intelligence: a pasted or dropped newsletter to a ranked LinkReport (src/core/links). */
  extractLinks,
=======
  /** Link intelligence: a pasted or dropped newsletter to a ranked LinkReport (src/core/links), corrected. */
  ...correctionsApi,
>>>>>>> 5d983fa (Corrections: stored in IndexedDB (validated, damaged entries kept aside) and applied in the tools worker on every run; rows carry what a correction records; links a correction turned down are listed under Maybe with the correction as their reason; corrections files export and merge with a preview)
};

export type ToolsApi = typeof api;

expose(api);
