/**
 * The egress gate: the one place Sift's code reaches the network. Every request names why it
 * leaves the device; only the app's own origin and hosts the user switched on are allowed:
 * the model hosts in use, enabled connectors' hosts, the enabled fallback endpoint.
 * Refusals are logged, never silently dropped, so the "left this device" meter can show them.
 *
 * Three layers, because one can be forgotten:
 * - lint forbids `fetch(` anywhere else (eslint.config.js; `egress-lint.test.ts` proves it fires);
 * - workers that run third-party code (WebLLM) install the gate over their own `fetch` and
 *   `Cache.prototype.add`, so library code that calls them cannot go around it
 *   (`installWorkerEgressGate`, fed by `connectWorkerEgress` from the page);
 * - the browser's own resource timing is audited (`auditResourceTiming`): a request to another
 *   origin that the gate never passed shows up in the meter as "went around the gate".
 * The Content Security Policy in index.html is the outer wall (`connect-src` limits schemes).
 *
 * One file per part, in `egress/`: `gate.ts` (the gate, its policy and log), `global.ts` (the gate
 * under a realm's own `fetch`, `Cache.add`, sockets, XHR and beacons), `workers.ts` (a worker's gate
 * following the page's), `audit.ts` (resource timing). This module is how the rest of Sift imports them.
 */
export {
  egress,
  EgressGate,
  EgressRefusedError,
  PUBLIC_MODEL_ORIGINS,
  type EgressOutcome,
  type EgressPolicy,
  type EgressPurpose,
  type EgressRecord,
} from './egress/gate.ts';
export { installGlobalEgressGate } from './egress/global.ts';
export { connectWorkerEgress, EGRESS_CONNECT, installWorkerEgressGate } from './egress/workers.ts';
export { auditResourceTiming } from './egress/audit.ts';
