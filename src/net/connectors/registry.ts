/**
 * The list of connectors, their stored settings (settings key `connectors`) and the one function
 * that builds the chosen one. Adding a connector means adding it here; see README.md.
 */
import type { EgressGate } from '../egress.ts';
import { AIRTABLE_DEFAULTS, AirtableConnector, airtableSettingsProblems, type AirtableSettings } from './airtable.ts';
import { requestOrigin, type Transport } from './connection.ts';
import {
  PIPEDRIVE_DEFAULTS,
  PipedriveConnector,
  pipedriveSettingsProblems,
  type PipedriveSettings,
} from './pipedrive.ts';
import type { RemoteConnector } from './remote-connector.ts';
import { REST_DEFAULTS, RestConnector, restSettingsProblems, type RestSettings } from './rest.ts';
import { TWENTY_DEFAULTS, TwentyConnector, twentySettingsProblems, type TwentySettings } from './twenty.ts';

export const CONNECTOR_KINDS = ['airtable', 'twenty', 'pipedrive', 'rest'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export const CONNECTOR_NAMES: Record<ConnectorKind, string> = {
  airtable: 'Airtable',
  twenty: 'Twenty',
  pipedrive: 'Pipedrive',
  rest: 'Generic REST API',
};

/** What the user pastes as the secret, per connector. */
export const SECRET_LABELS: Record<ConnectorKind, string> = {
  airtable: 'Personal access token',
  twenty: 'API key',
  pipedrive: 'API token',
  rest: 'Secret (used as {secret} in headers)',
};

/** The value stored under the settings key `connectors`. Secrets are not in it: see `secretId`. */
export interface ConnectorSettings {
  kind: ConnectorKind;
  /** On: the connector's host is allowed in the egress gate and newsletters are checked against it. */
  enabled: boolean;
  /** Empty for direct calls; see proxy/README.md for the form. */
  proxyUrl: string;
  airtable: AirtableSettings;
  twenty: TwentySettings;
  pipedrive: PipedriveSettings;
  rest: RestSettings;
}

export const CONNECTORS_SETTING_KEY = 'connectors';

export function defaultConnectorSettings(): ConnectorSettings {
  return {
    kind: 'airtable',
    enabled: false,
    proxyUrl: '',
    airtable: { ...AIRTABLE_DEFAULTS },
    twenty: { ...TWENTY_DEFAULTS },
    pipedrive: { ...PIPEDRIVE_DEFAULTS },
    rest: { ...REST_DEFAULTS },
  };
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
  const defaults = defaultConnectorSettings();
  const settings: ConnectorSettings = {
    kind: CONNECTOR_KINDS.includes(value.kind as ConnectorKind) ? (value.kind as ConnectorKind) : defaults.kind,
    enabled: typeof value.enabled === 'boolean' ? value.enabled : defaults.enabled,
    proxyUrl: typeof value.proxyUrl === 'string' ? value.proxyUrl : defaults.proxyUrl,
    airtable: mergeKnown(defaults.airtable, value.airtable),
    twenty: mergeKnown(defaults.twenty, value.twenty),
    pipedrive: mergeKnown(defaults.pipedrive, value.pipedrive),
    rest: mergeKnown(defaults.rest, value.rest),
  };
  if (!['list', 'text'].includes(settings.airtable.tagsAs)) settings.airtable.tagsAs = 'list';
  if (!['list', 'text'].includes(settings.twenty.tagsAs)) settings.twenty.tagsAs = 'list';
  if (!['PATCH', 'PUT', 'POST'].includes(settings.rest.tagMethod)) settings.rest.tagMethod = 'PATCH';
  return settings;
}

function mergeKnown<T extends object>(defaults: T, stored: unknown): T {
  const merged = { ...defaults };
  if (stored === null || typeof stored !== 'object') return merged;
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const candidate = (stored as Record<string, unknown>)[key as string];
    if (typeof candidate === typeof defaults[key]) merged[key] = candidate as T[keyof T];
  }
  return merged;
}

/** What the user must fix before the connector can be tested or switched on; empty when none. */
export function settingsProblems(settings: ConnectorSettings, secret: string | null): string[] {
  const problems = kindProblems(settings, secret);
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

function kindProblems(settings: ConnectorSettings, secret: string | null): string[] {
  switch (settings.kind) {
    case 'airtable':
      return airtableSettingsProblems(settings.airtable, secret);
    case 'twenty':
      return twentySettingsProblems(settings.twenty, secret);
    case 'pipedrive':
      return pipedriveSettingsProblems(settings.pipedrive, secret);
    case 'rest':
      return restSettingsProblems(settings.rest);
  }
}

/** Builds the chosen connector. Call `settingsProblems` first: this assumes usable settings. */
export function createConnector(
  settings: ConnectorSettings,
  secret: string | null,
  gate: Pick<EgressGate, 'fetch'>,
): RemoteConnector {
  const proxyUrl = settings.proxyUrl.trim();
  const transport: Transport = { gate, proxyUrl: proxyUrl === '' ? null : proxyUrl };
  switch (settings.kind) {
    case 'airtable':
      return new AirtableConnector(trimAll(settings.airtable), secret ?? '', transport);
    case 'twenty':
      return new TwentyConnector(trimAll(settings.twenty), secret ?? '', transport);
    case 'pipedrive':
      return new PipedriveConnector(trimAll(settings.pipedrive), secret ?? '', transport);
    case 'rest':
      return new RestConnector(trimAll(settings.rest), secret, transport);
  }
}

function trimAll<T extends object>(settings: T): T {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, typeof value === 'string' ? value.trim() : value]),
  ) as T;
}

/**
 * The origins the chosen connector's requests go to — the proxy's when one is set: what the egress
 * gate must allow when the user switches it on.
 */
export function connectorOrigins(settings: ConnectorSettings): string[] {
  const proxy = settings.proxyUrl.trim() || null;
  const targets = (() => {
    switch (settings.kind) {
      case 'airtable':
        return [settings.airtable.apiBase];
      case 'twenty':
        return [settings.twenty.baseUrl];
      case 'pipedrive':
        return [settings.pipedrive.baseUrl];
      case 'rest': {
        const { searchByDomainUrl, searchByNameUrl, createUrl, tagUrl } = settings.rest;
        return [searchByDomainUrl, searchByNameUrl, createUrl, tagUrl].filter((url) => url.trim() !== '');
      }
    }
  })();
  const origins = new Set<string>();
  for (const target of targets) {
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
