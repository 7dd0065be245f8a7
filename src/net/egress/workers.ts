/**
 * Workers: the page's gate decides; each worker's gate follows it and reports back. One message
 * connects them (`EGRESS_CONNECT`); after it, a port carries the policy down and records up.
 */
import { egress, type EgressGate, type EgressPolicy, type EgressRecord } from './gate.ts';
import { installGlobalEgressGate } from './global.ts';

/** Tag of the one message the page sends a worker to connect its gate; everything else is the worker's. */
export const EGRESS_CONNECT = 'sift-egress-connect';

interface ConnectMessage {
  [EGRESS_CONNECT]: true;
  policy: EgressPolicy;
}

type PortMessage = { kind: 'policy'; policy: EgressPolicy } | { kind: 'record'; record: EgressRecord };

/**
 * Page side: sends the worker the allowed hosts now and on every change, and adds the worker's
 * records to the page's log (so the meter counts them). Call right after creating the worker,
 * before any other message, so the worker's gate is set before its code asks for anything.
 */
export function connectWorkerEgress(worker: Worker, gate: EgressGate = egress): () => void {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event: MessageEvent<PortMessage>) => {
    if (event.data.kind === 'record') gate.ingest(event.data.record);
  };
  const stop = gate.onPolicyChange((policy) =>
    channel.port1.postMessage({ kind: 'policy', policy } satisfies PortMessage),
  );
  const message: ConnectMessage = { [EGRESS_CONNECT]: true, policy: gate.policy() };
  worker.postMessage(message, [channel.port2]);
  return () => {
    stop();
    channel.port1.close();
  };
}

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/**
 * Worker side: installs this realm's gate over the worker's network primitives
 * (`installGlobalEgressGate`) and makes it follow the page's allowed hosts, reporting every record
 * back to the page. Until the page connects, only the app's origin is allowed.
 * Import and call this before the code it guards runs (first import of the worker entry).
 */
export function installWorkerEgressGate(scope: WorkerScope, gate: EgressGate = egress): void {
  let port: MessagePort | undefined;
  const pending: EgressRecord[] = [];
  gate.onRecord((record) => {
    if (record.realm !== gate.realm) return;
    if (port) port.postMessage({ kind: 'record', record } satisfies PortMessage);
    else pending.push(record);
  });
  // Registered before the worker's own handlers, so stopping propagation hides this message from them.
  scope.addEventListener('message', (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null || !(EGRESS_CONNECT in data)) return;
    event.stopImmediatePropagation();
    port = event.ports[0];
    if (!port) return;
    gate.setPolicy((data as ConnectMessage).policy);
    port.onmessage = (message: MessageEvent<PortMessage>) => {
      if (message.data.kind === 'policy') gate.setPolicy(message.data.policy);
    };
    for (const record of pending.splice(0)) port.postMessage({ kind: 'record', record } satisfies PortMessage);
  });
  installGlobalEgressGate(gate);
}
