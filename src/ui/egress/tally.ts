/**
 * What the "left this device" meter shows, computed from the egress gate's records: per host,
 * the requests that went out, the bytes they carried, and what was stopped. The app's own origin
 * is listed but not counted as leaving: it is where the app itself came from.
 */
import type { EgressPurpose, EgressRecord } from '../../net/egress.ts';

export interface HostTally {
  host: string;
  /** Every reason this host was contacted (a host can serve a model and a connector). */
  purposes: EgressPurpose[];
  own: boolean;
  sent: number;
  refused: number;
  /** Requests the browser made without the gate (resource-timing audit): should always be 0. */
  unaccounted: number;
  bytesSent: number;
  realms: string[];
  lastAt: number;
}

export interface EgressSummary {
  hosts: HostTally[];
  /** Requests that reached another host than the app's own (sent or unaccounted). */
  requestsOut: number;
  bytesOut: number;
  refused: number;
  unaccounted: number;
}

export function summariseEgress(records: readonly EgressRecord[], appHost: string): EgressSummary {
  const byHost = new Map<string, HostTally>();
  for (const record of records) {
    const tally =
      byHost.get(record.host) ??
      ({
        host: record.host,
        purposes: [],
        own: record.host === appHost,
        sent: 0,
        refused: 0,
        unaccounted: 0,
        bytesSent: 0,
        realms: [],
        lastAt: 0,
      } satisfies HostTally);
    if (record.outcome === 'sent') tally.sent += 1;
    else if (record.outcome === 'refused') tally.refused += 1;
    else tally.unaccounted += 1;
    if (record.outcome !== 'refused') tally.bytesSent += record.bytesSent;
    if (record.outcome !== 'refused' && !tally.purposes.includes(record.purpose)) tally.purposes.push(record.purpose);
    if (!tally.realms.includes(record.realm)) tally.realms.push(record.realm);
    tally.lastAt = Math.max(tally.lastAt, record.at);
    byHost.set(record.host, tally);
  }
  // Other hosts first, busiest first; the app's own origin last.
  const hosts = [...byHost.values()].sort(
    (a, b) =>
      Number(a.own) - Number(b.own) ||
      b.sent + b.unaccounted - (a.sent + a.unaccounted) ||
      a.host.localeCompare(b.host),
  );
  const others = hosts.filter((host) => !host.own);
  return {
    hosts,
    requestsOut: others.reduce((sum, host) => sum + host.sent + host.unaccounted, 0),
    bytesOut: others.reduce((sum, host) => sum + host.bytesSent, 0),
    refused: hosts.reduce((sum, host) => sum + host.refused, 0),
    unaccounted: hosts.reduce((sum, host) => sum + host.unaccounted, 0),
  };
}
