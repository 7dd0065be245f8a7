/**
 * The egress gate: the one place Sift's code reaches the network. Every request names why it
 * leaves the device; only the app's own origin and hosts the user switched on are allowed:
 * the model hosts in use, enabled connectors' hosts, the enabled fallback endpoint.
 * Refusals are logged, never silently dropped, so the "left this device" meter can show them.
 *
 * Three layers, because one can be forgotten:
 * - lint forbids `fetch(` anywhere else (eslint.config.js; `egress-lint.test.ts` proves it fires);
 * - workers that run third-party code (WebLLM) install the gate over their own `fetch` and
 *   `Cache.prototype.add`, so library code that calls them cannot go around it
 *   (`installWorkerEgressGate`, fed by `connectWorkerEgress` from the page);
 * - the browser's own resource timing is audited (`auditResourceTiming`): a request to another
 *   origin that the gate never passed shows up in the meter as "went around the gate".
 * The Content Security Policy in index.html is the outer wall (`connect-src` limits schemes).
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

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Taken once, before any worker installs the gate over `globalThis.fetch`. */
const nativeFetch: Fetch | undefined = globalThis.fetch?.bind(globalThis);

/** Schemes that never touch the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:']);

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

/* ------------------------------------------------------------------------------------------ */
/* Workers: the page's gate decides; each worker's gate follows it and reports back.           */

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

/**
 * Puts the gate under this realm's own network primitives: `fetch`, `Cache.prototype.add`/`addAll`
 * (WebLLM's default cache downloads with `cache.add`, which the browser performs without calling
 * `fetch`); XMLHttpRequest, WebSocket, EventSource and sendBeacon reach only allowed hosts. Lint already keeps
 * Sift's code on `egress.fetch`; this catches library code. Also starts the resource-timing audit.
 * Once per realm: the page calls it from main.ts, workers through `installWorkerEgressGate`.
 */
export function installGlobalEgressGate(gate: EgressGate = egress): void {
  if ((globalThis.fetch as { siftGate?: boolean } | undefined)?.siftGate) return;
  auditResourceTiming(gate);

  const gated: Fetch = (input, init) => gate.fetch(input instanceof Request ? input : String(input), init);
  Object.defineProperty(gated, 'siftGate', { value: true });
  Object.defineProperty(globalThis, 'fetch', { value: gated, writable: false, configurable: false });

  if (typeof Cache !== 'undefined') {
    Cache.prototype.add = async function add(this: Cache, request: RequestInfo | URL): Promise<void> {
      const asRequest = request instanceof Request ? request : new Request(String(request));
      const response = await gated(asRequest);
      // The spec's Cache.add rejects non-OK responses; keep that, so WebLLM sees a failed download.
      if (!response.ok) throw new TypeError(`Download failed: ${response.status} ${response.statusText}`);
      await this.put(asRequest, response);
    };
    Cache.prototype.addAll = async function addAll(this: Cache, requests: Iterable<RequestInfo | URL>) {
      for (const request of requests) await this.add(request);
    };
  }

  // Sockets and XHR cannot be re-routed through fetch; they are checked against the same allowances
  // and logged, and run natively only to an allowed host.
  const check = (url: string | URL | undefined, method: string, bytesSent = 0): void => {
    const target = new URL(url === undefined ? '' : String(url), gate.appOrigin);
    // A socket to the app's own server (the dev server's live reload) is the app's origin too.
    const asHttp = new URL(target.href.replace(/^ws(s?):/, 'http$1:'));
    const purpose = gate.purposeOf(asHttp);
    gate.ingest({
      at: Date.now(),
      host: target.host,
      method,
      purpose: purpose ?? 'app',
      bytesSent: purpose === undefined ? 0 : bytesSent,
      allowed: purpose !== undefined,
      outcome: purpose === undefined ? 'refused' : 'sent',
      realm: gate.realm,
    });
    if (purpose === undefined) throw new EgressRefusedError(target.href);
  };
  for (const name of ['WebSocket', 'EventSource'] as const) {
    const Native = (globalThis as Record<string, unknown>)[name] as (new (...args: unknown[]) => object) | undefined;
    if (!Native) continue;
    const gatedConstructor = new Proxy(Native, {
      construct(target, args: unknown[]) {
        check(args[0] as string | URL, name);
        return Reflect.construct(target, args) as object;
      },
    });
    Object.defineProperty(globalThis, name, { value: gatedConstructor, writable: false, configurable: false });
  }
  if (typeof XMLHttpRequest !== 'undefined') {
    const open = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      check(args[1] as string | URL, `XHR ${String(args[0]).toUpperCase()}`);
      open.apply(this, args);
    } as XMLHttpRequest['open'];
  }
  const navigatorWithBeacon = globalThis.navigator as {
    sendBeacon?: (url: string | URL, data?: BodyInit | null) => boolean;
  };
  const sendBeacon = navigatorWithBeacon?.sendBeacon;
  if (sendBeacon) {
    navigatorWithBeacon.sendBeacon = (url, data) => {
      try {
        check(url, 'BEACON', typeof data === 'string' ? new TextEncoder().encode(data).byteLength : 0);
      } catch {
        return false;
      }
      return sendBeacon.call(globalThis.navigator, url, data);
    };
  }
}

/**
 * Belt and braces, no service worker needed: watches the browser's resource timing for requests
 * to other origins that never went through the gate (an `<img>`, a library's own XHR, a
 * forgotten `fetch`) and logs each as `unaccounted`. It sees what was fetched, after the fact;
 * the CSP and the gate are what stop things.
 */
export function auditResourceTiming(gate: EgressGate = egress): () => void {
  if (typeof PerformanceObserver === 'undefined') return () => undefined;
  const seen = new Set<string>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      let url: URL;
      try {
        url = new URL(entry.name);
      } catch {
        continue;
      }
      if (url.origin === gate.appOrigin || LOCAL_SCHEMES.has(url.protocol)) continue;
      // Requests made by a worker's gate show up in the page's timeline only if the page made them.
      if (gate.hasPassed(gate.realm, url.host)) continue;
      const key = `${url.host}|${entry.startTime}`;
      if (seen.has(key)) continue;
      seen.add(key);
      gate.ingest({
        at: Date.now(),
        host: url.host,
        method: entry.initiatorType.toUpperCase(),
        purpose: 'app',
        bytesSent: 0,
        allowed: true,
        outcome: 'unaccounted',
        realm: gate.realm,
      });
    }
  });
  observer.observe({ type: 'resource', buffered: true });
  return () => observer.disconnect();
}
