/**
 * What the browser tells about the device a benchmark ran on: memory in use (only where the page is
 * cross-origin isolated, which `measureUserAgentSpecificMemory` requires) and the device's description.
 */
import type { BenchDevice } from '../../core/bench/runner.ts';
import type { DeviceProbe } from '../../core/device.ts';
import { messageOf } from '../../core/text/error-message.ts';

type MemoryApi = () => Promise<{ bytes: number }>;

export async function measureMemory(): Promise<{ bytes: number | null; source: string }> {
  const measure = (performance as Performance & { measureUserAgentSpecificMemory?: MemoryApi })
    .measureUserAgentSpecificMemory;
  // Chromium defines the method only on cross-origin isolated pages, so that is asked first.
  if (!globalThis.crossOriginIsolated) {
    return {
      bytes: null,
      source: 'unavailable: the page is not cross-origin isolated (it needs COOP and COEP headers from its host)',
    };
  }
  if (!measure) return { bytes: null, source: 'unavailable: this browser does not measure page memory' };
  try {
    const { bytes } = await measure.call(performance);
    return { bytes, source: 'performance.measureUserAgentSpecificMemory()' };
  } catch (error) {
    return { bytes: null, source: `unavailable: ${messageOf(error)}` };
  }
}

/** "Chromium 142", from the brands list where there is one, else the user-agent string. */
function browserName(): string | null {
  const data = (navigator as Navigator & { userAgentData?: { brands: { brand: string; version: string }[] } })
    .userAgentData;
  const brand = data?.brands.find((item) => !/not.a.brand/i.test(item.brand));
  if (brand) return `${brand.brand} ${brand.version}`;
  const match = /(Firefox|Edg|Chrome|Version)\/(\d+)/.exec(navigator.userAgent);
  if (!match) return null;
  const names: Record<string, string> = { Edg: 'Edge', Version: 'Safari' };
  return `${names[match[1]!] ?? match[1]} ${match[2]}`;
}

export function benchDevice(probe: DeviceProbe | null): BenchDevice {
  return { gpu: probe, cores: navigator.hardwareConcurrency ?? null, browser: browserName() };
}
