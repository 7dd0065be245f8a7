/**
 * The egress gate: the one place Sift's code reaches the network. Every request names why it
 * leaves the device; only the app's own origin and hosts the user switched on are allowed.
 * Refusals are logged, never silently dropped, so the "left this device" meter can show them.
 *
 * Lint forbids `fetch(` anywhere else (see eslint.config.js), so new code cannot go around it.
 */

export type EgressPurpose = 'app' | 'model' | 'connector' | 'fallback';

export interface EgressRecord {
  at: number;
  host: string;
  method: string;
  purpose: EgressPurpose;
  /** Request body bytes: what left the device, not what came back. */
  bytesSent: number;
  allowed: boolean;
}

export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
  constructor(readonly url: string) {
    super(`Sift blocked a request to ${new URL(url).host}: that host is not switched on in Settings.`);
  }
}

interface AllowedHost {
  origin: string;
  purpose: EgressPurpose;
}

export class EgressGate {
  #allowed = new Map<string, AllowedHost>();
  #log: EgressRecord[] = [];
  #listeners = new Set<(record: EgressRecord) => void>();

  constructor(readonly appOrigin: string) {}

  /** Allows one origin for one purpose; returns the function that withdraws it. */
  allow(url: string, purpose: EgressPurpose): () => void {
    const origin = new URL(url).origin;
    this.#allowed.set(origin, { origin, purpose });
    return () => this.#allowed.delete(origin);
  }

  purposeOf(url: URL): EgressPurpose | undefined {
    if (url.origin === this.appOrigin) return 'app';
    return this.#allowed.get(url.origin)?.purpose;
  }

  get log(): readonly EgressRecord[] {
    return this.#log;
  }

  onRecord(listener: (record: EgressRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input, this.appOrigin);
    const purpose = this.purposeOf(url);
    const record: EgressRecord = {
      at: Date.now(),
      host: url.host,
      method: (init.method ?? 'GET').toUpperCase(),
      purpose: purpose ?? 'app',
      bytesSent: bodySize(init.body),
      allowed: purpose !== undefined,
    };
    this.#log.push(record);
    for (const listener of this.#listeners) listener(record);
    if (purpose === undefined) throw new EgressRefusedError(url.href);
    return globalThis.fetch(url, init);
  }
}

function bodySize(body: BodyInit | null | undefined): number {
  if (body == null) return 0;
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString()).byteLength;
  return 0;
}

/** The gate of this realm (page or worker); its origin is where the app was served from. */
export const egress = new EgressGate(globalThis.location?.origin ?? 'http://localhost');
