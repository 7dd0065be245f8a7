import { auditResourceTiming, egress, type EgressGate, type EgressRecord } from '../../net/egress.ts';
import { summariseEgress } from './tally.ts';

/**
 * The "left this device" meter's state: every record the egress gate made since the page loaded
 * (page and workers), summarised per host. Starting it also starts the resource-timing audit,
 * which catches a request that went around the gate.
 */
export class EgressMeterState {
  records = $state.raw<readonly EgressRecord[]>([]);
  readonly appHost: string;
  summary = $derived.by(() => summariseEgress(this.records, this.appHost));
  #stop: (() => void) | undefined;

  constructor(private readonly gate: EgressGate = egress) {
    this.appHost = gate.appOrigin.replace(/^[a-z]+:\/\//, '');
  }

  /** Idempotent; returns the function that stops listening. */
  start({ audit = true }: { audit?: boolean } = {}): () => void {
    if (this.#stop) return this.#stop;
    this.records = [...this.gate.log];
    const unsubscribe = this.gate.onRecord((record) => {
      this.records = [...this.records, record];
    });
    const stopAudit = audit ? auditResourceTiming(this.gate) : () => undefined;
    this.#stop = () => {
      unsubscribe();
      stopAudit();
      this.#stop = undefined;
    };
    return this.#stop;
  }
}

export const egressMeter = new EgressMeterState();
