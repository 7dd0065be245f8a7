/** The one owner of the tools worker: every deterministic tool call from the page goes through here. */
import { wrap, type Remote } from 'comlink';
import { connectWorkerEgress } from '../../net/egress.ts';
import type { ToolsApi } from '../../../workers/tools.worker.ts';
import { WorkerOwner, type WorkerEvents } from './worker-owner.ts';

export type ToolsRemote = Remote<ToolsApi>;

export function createToolsWorker(events: WorkerEvents = {}): WorkerOwner<ToolsRemote> {
  return new WorkerOwner(
    'tools worker',
    () => {
      const worker = new Worker(new URL('../../../workers/tools.worker.ts', import.meta.url), {
        type: 'module',
        name: 'sift-tools',
      });
      // First message: the worker's egress gate learns the allowed hosts and reports to the page's meter.
      connectWorkerEgress(worker);
      return worker;
    },
    (worker) => wrap<ToolsApi>(worker),
    events,
  );
}
