/**
 * Where a fallback endpoint runs, judged from its base URL alone: a model server on this machine
 * or the user's own network is "on-premises" (Ollama, LM Studio, llama.cpp server on a LAN box);
 * anything on the public internet is "cloud". Used for the trace and the 2×2 run summary.
 */
import type { EngineLocation } from '../../core/engines/engine.ts';

const LOCAL_SUFFIXES = ['.localhost', '.local', '.lan', '.home', '.internal', '.intranet', '.home.arpa', '.ts.net'];

export function locationOf(baseUrl: string): Extract<EngineLocation, 'cloud' | 'on-premises'> {
  let hostname: string;
  try {
    hostname = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return 'cloud';
  }
  if (hostname.startsWith('[') && hostname.endsWith(']'))
    return isPrivateIPv6(hostname.slice(1, -1)) ? 'on-premises' : 'cloud';
  if (hostname === 'localhost' || LOCAL_SUFFIXES.some((suffix) => hostname.endsWith(suffix))) return 'on-premises';
  const v4 = parseIPv4(hostname);
  if (v4) return isPrivateIPv4(v4) ? 'on-premises' : 'cloud';
  // A single-label name (`http://gpubox:11434`) only resolves inside a local network.
  if (!hostname.includes('.')) return 'on-premises';
  return 'cloud';
}

function parseIPv4(hostname: string): number[] | null {
  const parts = hostname.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function isPrivateIPv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local
    (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT, where Tailscale puts its machines
  );
}

function isPrivateIPv6(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped) {
    const v4 = parseIPv4(mapped);
    return v4 !== null && isPrivateIPv4(v4);
  }
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}
