/**
 * Importing this module installs the egress gate over the importing worker's `fetch`,
 * `Cache.add` and socket constructors (see `installWorkerEgressGate`). Import it first in a worker
 * entry, so it runs before any other code of that worker.
 */
import { installWorkerEgressGate } from './egress.ts';

installWorkerEgressGate(self);
