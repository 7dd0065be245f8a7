import type { DeviceProbe } from '../../core/device.ts';
import { probeDevice } from '../device-probe.ts';

/** The device probe's result, shared by the status panel and the model picker. */
export class DeviceState {
  probe = $state.raw<DeviceProbe | null>(null);
  checking = $derived(this.probe === null);

  async check(run: () => Promise<DeviceProbe> = probeDevice): Promise<void> {
    this.probe = await run();
  }
}

export const deviceState = new DeviceState();
