/**
 * The list of connectors and what Sift does with any of them: their stored settings (settings key
 * `connectors`), the problems to fix before one is used, the one function that builds the chosen
 * one, and the origins the egress gate must allow for it. A connector describes itself in its own
 * module (`ConnectorModule`); adding one is adding it to `CONNECTORS`. See README.md.
 */
import type { EgressGate } from '../egress.ts';
import { airtable } from './airtable.ts';
import { requestOrigin, type Transport } from './connection.ts';
import type { ConnectorField, ConnectorModule, RemoteConnector } from './connector.ts';
import { pipedrive } from './pipedrive.ts';
import { rest } from './rest.ts';
import { twenty } from './twenty.ts';

/** Every connector, in the order the settings form offers them; the first is the default choice. */
export const CONNECTORS = [airtable, twenty, pipedrive, rest] as const;

type Listed = (typeof CONNECTORS)[number];
export type ConnectorKind = Listed['kind'];
type SettingsOf<M> = M extends ConnectorModule<string, infer S> ? S : never;

/** The value stored under the settings key `connectors`. Secrets are not in it: see `secretId`. */
export type ConnectorSettings = {
  kind: ConnectorKind;
  /** On: the connector's host is allowed in the egress gate and newsletters are checked against it. */
  enabled: boolean;
  /** Empty for direct calls; see proxy/README.md for the form. */
  proxyUrl: string;
} & { [M in Listed as M['kind']]: SettingsOf<M> };

/** A connector with its settings type set aside: how the registry and the form handle any of them. */
export type AnyConnectorModule = Omit<ConnectorModule<string, Record<string, string>>, 'fields'> & {
  fields: readonly ConnectorField<Record<string, string>>[];
};

export const CONNECTOR_KINDS: readonly ConnectorKind[] = CONNECTORS.map((module) => module.kind);

export function connectorModule(kind: ConnectorKind): AnyConnectorModule {
  return CONNECTORS.find((module) => module.kind === kind) as unknown as AnyConnectorModule;
}

/** The chosen connector's own settings, as plain strings (what its module and the form read and write). */
export function settingsOfKind(
  settings: ConnectorSettings,
  kind: ConnectorKind = settings.kind,
): Record<string, string> {
  return settings[kind] as unknown as Record<string, string>;
}

export const CONNECTORS_SETTING_KEY = 'connectors';

export function defaultConnectorSettings(): ConnectorSettings {
  const perKind = Object.fromEntries(CONNECTORS.map((module) => [module.kind, { ...module.defaults }]));
  return { kind: CONNECTORS[0].kind, enabled: false, proxyUrl: '', ...perKind } as ConnectorSettings;
}

/** Where each connector's secret lives in `src/storage/secrets.ts`. */
export function secretId(kind: ConnectorKind): string {
  return `connector:${kind}`;
}

/**
 * Reads stored settings back: each field keeps its stored value only if it has the type (and,
 * for choices, a value) this version knows; anything else falls back to the default.
 */
export function parseConnectorSettings(stored: unknown): ConnectorSettings | undefined {
  if (stored === null || typeof stored !== 'object') return undefined;
  const value = stored as Record<string, unknown>;
  const settings = defaultConnectorSettings();
  if (CONNECTOR_KINDS.includes(value.kind as ConnectorKind)) settings.kind = value.kind as ConnectorKind;
  if (typeof value.enabled === 'boolean') settings.enabled = value.enabled;
  if (typeof value.proxyUrl === 'string') settings.proxyUrl = value.proxyUrl;
  for (const kind of CONNECTOR_KINDS) restoreKnown(connectorModule(kind), settingsOfKind(settings, kind), value[kind]);
  return settings;
}

function restoreKnown(module: AnyConnectorModule, into: Record<string, string>, stored: unknown): void {
  if (stored === null || typeof stored !== 'object') return;
  for (const key of Object.keys(into)) {
    const candidate = (stored as Record<string, unknown>)[key];
    if (typeof candidate !== typeof into[key]) continue;
    const choices = module.fields.find((field) => field.key === key)?.choices;
    if (choices && !choices.some((choice) => choice.value === candidate)) continue;
    into[key] = candidate as string;
  }
}

/** What the user must fix before the connector can be tested or switched on; empty when none. */
export function settingsProblems(settings: ConnectorSettings, secret: string | null): string[] {
  const problems = connectorModule(settings.kind).settingsProblems(settingsOfKind(settings), secret);
  if (settings.proxyUrl.trim() !== '') {
    try {
      const proxy = new URL(settings.proxyUrl.trim());
      if (!['https:', 'http:'].includes(proxy.protocol)) problems.push('The proxy URL must start with https://.');
    } catch {
      problems.push('The proxy URL is not a URL (it should look like https://sift-proxy.you.workers.dev/).');
    }
  }
  return problems;
}

/** Builds the chosen connector. Call `settingsProblems` first: this assumes usable settings. */
export function createConnector(
  settings: ConnectorSettings,
  secret: string | null,
  gate: Pick<EgressGate, 'fetch'>,
): RemoteConnector {
  const proxyUrl = settings.proxyUrl.trim();
  const transport: Transport = { gate, proxyUrl: proxyUrl === '' ? null : proxyUrl };
  const trimmed = Object.fromEntries(
    Object.entries(settingsOfKind(settings)).map(([key, value]) => [key, value.trim()]),
  );
  return connectorModule(settings.kind).create(trimmed, secret, transport);
}

/**
 * The origins the chosen connector's requests go to — the proxy's when one is set: what the egress
 * gate must allow when the user switches it on.
 */
export function connectorOrigins(settings: ConnectorSettings): string[] {
  const proxy = settings.proxyUrl.trim() || null;
  const origins = new Set<string>();
  for (const target of connectorModule(settings.kind).origins(settingsOfKind(settings))) {
    try {
      origins.add(requestOrigin(proxy, target.trim().replace(/\{\w+\}/g, 'x')));
    } catch {
      // An unparsable address is reported by settingsProblems; it allows nothing.
    }
  }
  return [...origins];
}

/** Of `connectorOrigins`, those the gate does not allow yet (what "Test connection" opens for a moment). */
export function originsNotAllowed(settings: ConnectorSettings, gate: Pick<EgressGate, 'purposeOf'>): string[] {
  return connectorOrigins(settings).filter((origin) => gate.purposeOf(new URL(origin)) === undefined);
}
