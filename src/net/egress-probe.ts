/**
 * The tools worker's side of the egress gate. Importing this module installs the gate over the
 * worker's `fetch` (first import of the worker entry, so it runs before anything else), and
 * exposes one diagnostic that end-to-end tests use to prove a raw `fetch` cannot go around it.
 */
import { installWorkerEgressGate } from './egress.ts';

installWorkerEgressGate(self);

export const egressDiagnostics = {
  /** Calls `fetch` directly, as a careless library would; returns what happened, never throws. */
  rawFetchForTest: async (url: string): Promise<string> => {
    try {
      // eslint-disable-next-line no-restricted-globals -- deliberately around the gate: proves the gate catches it
      const response = await fetch(url, { method: 'POST', body: 'probe' });
      return `sent: ${response.status}`;
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  },
};
