import { auditResourceTiming } from './audit.ts';
import { egress, EgressRefusedError, type EgressGate, type Fetch } from './gate.ts';

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
