/**
 * The tools worker: Sift's deterministic tools (link extraction, CRM index and matching, CSV)
 * run here so a 20 MB paste or a 100,000-row import never freezes the page.
 * Thin on purpose: each area exposes its functions from its own module under src/.
 */
// First: every request from this worker goes through the egress gate.
import '../src/net/worker-egress.ts';
import { expose } from 'comlink';
import { batchApi } from './batch-api.ts';
import { correctionsApi } from './corrections-api.ts';
import { crmApi } from './crm-api.ts';

const api = {
  ping: (): 'pong' => 'pong',
  ...crmApi,
  /** Many newsletters at once: mailbox exports, zips, folders, read as streams (src/core/batch). */
  ...batchApi,
  /** Link intelligence: a pasted or dropped newsletter to a ranked LinkReport (src/core/links), corrected. */
  ...correctionsApi,
};

export type ToolsApi = typeof api;

expose(api);
