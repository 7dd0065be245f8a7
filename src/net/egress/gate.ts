/**
 * The gate itself: which origins are allowed and why, the one `fetch` Sift's code calls, and the
 * log of every request (sent or refused) that the "left this device" meter shows.
 */
export type EgressPurpose = 'app' | 'model' | 'connector' | 'fallback';

export type EgressOutcome =
  /** The gate let it through. */
  | 'sent'
  /** The gate stopped it: the host is not switched on. */
  | 'refused'
  /** The browser made it without the gate (seen in resource timing): a bug to fix. */
  | 'unaccounted';

export interface EgressRecord {
  at: number;
  /** Host only: paths and query strings can carry ids, and keys never belong in a log. */
  host: string;
  method: string;
  purpose: EgressPurpose;
  /** Request body bytes: what left the device, not what came back. */
  bytesSent: number;
  allowed: boolean;
  outcome: EgressOutcome;
  /** Where the request started: `page`, or the worker's name. */
  realm: string;
}

export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
  constructor(readonly url: string) {
    super(`Sift blocked a request to ${new URL(url).host}: that host is not switched on in Settings.`);
  }
}

/** Which origins are allowed and why: plain data, so it crosses to workers by postMessage. */
export type EgressPolicy = { origin: string; purposes: EgressPurpose[] }[];

/**
 * The public model hub and the model-library host WebLLM 0.2.86 downloads from by default
 * (weights from huggingface.co, compiled model libraries from raw.githubusercontent.com).
 * A self-hosted model base URL replaces both.
 */
export const PUBLIC_MODEL_ORIGINS = ['https://huggingface.co', 'https://raw.githubusercontent.com'] as const;

export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Taken once, before any worker installs the gate over `globalThis.fetch`. */
const nativeFetch: Fetch | undefined = globalThis.fetch?.bind(globalThis);

/** Schemes that never touch the network. */
export const LOCAL_SCHEMES = new Set(['data:', 'blob:']);

export class EgressGate {
  /** origin → purpose → how many switched-on things share it (a connector and a fallback may). */
  #allowed = new Map<string, Map<EgressPurpose, number>>();
  /** In a worker: what the page's gate allows, followed as a whole (`setPolicy`). */
  #followed = new Map<string, EgressPurpose[]>();
  #log: EgressRecord[] = [];
  #listeners = new Set<(record: EgressRecord) => void>();
  #policyListeners = new Set<(policy: EgressPolicy) => void>();
  /** Origins the gate has let a request through to: what the resource-timing audit checks against. */
  #passed = new Set<string>();

  constructor(
    readonly appOrigin: string,
    private readonly transport: Fetch | undefined = nativeFetch,
    readonly realm: string = 'page',
  ) {}

  /** Allows one origin for one purpose; returns the function that withdraws it (once). */
  allow(url: string, purpose: EgressPurpose): () => void {
    const origin = originOf(url);
    const purposes = this.#allowed.get(origin) ?? new Map<EgressPurpose, number>();
    purposes.set(purpose, (purposes.get(purpose) ?? 0) + 1);
    this.#allowed.set(origin, purposes);
    this.#policyChanged();
    let withdrawn = false;
    return () => {
      if (withdrawn) return;
      withdrawn = true;
      const current = this.#allowed.get(origin);
      const count = current?.get(purpose) ?? 0;
      if (!current || count === 0) return;
      if (count > 1) current.set(purpose, count - 1);
      else current.delete(purpose);
      if (current.size === 0) this.#allowed.delete(origin);
      this.#policyChanged();
    };
  }

  purposeOf(url: URL): EgressPurpose | undefined {
    if (url.origin === this.appOrigin) return 'app';
    const own = this.#allowed.get(url.origin);
    const followed = this.#followed.get(url.origin);
    // A host switched on for several things is reported by its most specific use.
    for (const purpose of ['fallback', 'connector', 'model'] as const) {
      if (own?.has(purpose) || followed?.includes(purpose)) return purpose;
    }
    return undefined;
  }

  policy(): EgressPolicy {
    return [...this.#allowed].map(([origin, purposes]) => ({ origin, purposes: [...purposes.keys()] }));
  }

  /**
   * How a worker's gate follows the page's: replaces everything followed so far at once. The
   * worker's own `allow` calls (the model hosts of the config the page sent it) stay apart.
   */
  setPolicy(policy: EgressPolicy): void {
    this.#followed = new Map(policy.map(({ origin, purposes }) => [originOf(origin), [...purposes]]));
  }

  onPolicyChange(listener: (policy: EgressPolicy) => void): () => void {
    this.#policyListeners.add(listener);
    return () => this.#policyListeners.delete(listener);
  }

  get log(): readonly EgressRecord[] {
    return this.#log;
  }

  onRecord(listener: (record: EgressRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adds a record made elsewhere (a worker's gate, the resource-timing audit) to this log. */
  ingest(record: EgressRecord): void {
    if (record.outcome === 'sent') this.#passed.add(`${record.realm}|${record.host}`);
    this.#log.push(record);
    for (const listener of this.#listeners) listener(record);
  }

  /** True if the gate let a request from `realm` through to `host` (resource-timing audit). */
  hasPassed(realm: string, host: string): boolean {
    return this.#passed.has(`${realm}|${host}`);
  }

  async fetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const href = input instanceof Request ? input.url : String(input);
    const url = new URL(href, this.appOrigin);
    if (LOCAL_SCHEMES.has(url.protocol)) return this.#send(input, url, init);
    const purpose = this.purposeOf(url);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    this.ingest({
      at: Date.now(),
      host: url.host,
      method,
      purpose: purpose ?? 'app',
      bytesSent: await requestBodySize(input, init),
      allowed: purpose !== undefined,
      outcome: purpose === undefined ? 'refused' : 'sent',
      realm: this.realm,
    });
    if (purpose === undefined) throw new EgressRefusedError(url.href);
    // A fallback endpoint that redirects elsewhere would carry the prompt to a host nobody allowed.
    // Model hubs do redirect (to their CDN) and only ever receive GETs, so those may follow.
    const guarded: RequestInit =
      purpose === 'fallback' && init.redirect === undefined ? { ...init, redirect: 'error' } : init;
    const response = await this.#send(input, url, guarded);
    // A followed redirect (a model hub's CDN) is the same request, passed by the gate: the audit must know.
    if (response.redirected && response.url) this.#passed.add(`${this.realm}|${new URL(response.url).host}`);
    return response;
  }

  #send(input: string | URL | Request, url: URL, init: RequestInit): Promise<Response> {
    if (!this.transport) throw new Error('This environment has no fetch.');
    return this.transport(input instanceof Request ? input : url, init);
  }

  #policyChanged(): void {
    const policy = this.policy();
    for (const listener of this.#policyListeners) listener(policy);
  }
}

function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`“${url}” is not a full URL (it needs https:// or http:// and a host).`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`“${url}” is not a web address: only https:// and http:// hosts can be switched on.`);
  }
  return parsed.origin;
}

async function requestBodySize(input: string | URL | Request, init: RequestInit): Promise<number> {
  if (init.body != null) return bodySize(init.body);
  if (input instanceof Request && input.body) {
    const declared = Number(input.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > 0) return declared;
    return (await input.clone().arrayBuffer()).byteLength;
  }
  return 0;
}

async function bodySize(body: BodyInit): Promise<number> {
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString()).byteLength;
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    return (await new Response(body).arrayBuffer()).byteLength;
  }
  // A stream's size is unknown until it is sent; it is counted as 0 rather than consumed here.
  return 0;
}

/** The gate of this realm (page or worker); its origin is where the app was served from. */
export const egress = new EgressGate(
  globalThis.location?.origin ?? 'http://localhost',
  nativeFetch,
  'document' in globalThis ? 'page' : (workerName() ?? 'worker'),
);

function workerName(): string | undefined {
  const name = (globalThis as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
