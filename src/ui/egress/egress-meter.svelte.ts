import { egress, type EgressGate, type EgressRecord } from '../../net/egress.ts';
import { summariseEgress } from './tally.ts';

/**
 * The "left this device" meter's state: every record the egress gate made since the page loaded
 * (page and workers), summarised per host. What went around the gate shows too: main.ts starts
 * the resource-timing audit with the page's gate (`installGlobalEgressGate`).
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
  start(): () => void {
    if (this.#stop) return this.#stop;
    this.records = [...this.gate.log];
    const unsubscribe = this.gate.onRecord((record) => {
      this.records = [...this.records, record];
    });
    this.#stop = () => {
      unsubscribe();
      this.#stop = undefined;
    };
    return this.#stop;
  }
}

export const egressMeter = new EgressMeterState();
