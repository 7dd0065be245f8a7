import { egress, LOCAL_SCHEMES, type EgressGate } from './gate.ts';

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
