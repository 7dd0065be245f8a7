import { describe, expect, it } from 'vitest';
import { EgressGate } from '../egress.ts';
import {
  CONNECTORS,
  connectorModule,
  connectorOrigins,
  createConnector,
  defaultConnectorSettings,
  originsNotAllowed,
  parseConnectorSettings,
  secretId,
  settingsProblems,
} from './registry.ts';

describe('connector settings as stored under the key `connectors`', () => {
  it('restores stored values of the right type and replaces the rest with defaults', () => {
    const restored = parseConnectorSettings({
      kind: 'twenty',
      enabled: 'yes',
      proxyUrl: 42,
      twenty: { baseUrl: 'https://crm.example.com', tagsField: ['x'], tagsAs: 'emoji', extra: true },
      rest: { tagMethod: 'DELETE' },
    });
    expect(restored).toMatchObject({
      kind: 'twenty',
      enabled: false,
      proxyUrl: '',
      twenty: { baseUrl: 'https://crm.example.com', tagsField: '', tagsAs: 'list' },
      rest: { tagMethod: 'PATCH' },
    });
    expect(restored!.twenty).not.toHaveProperty('extra');
    expect(parseConnectorSettings({ kind: 'hubspot' })!.kind).toBe('airtable');
    expect(parseConnectorSettings('nonsense')).toBeUndefined();
  });

  it('allows the proxy’s origin instead of the CRM’s when a proxy is set', () => {
    const settings = defaultConnectorSettings();
    expect(connectorOrigins(settings)).toEqual(['https://api.airtable.com']);
    settings.proxyUrl = 'https://sift-proxy.me.workers.dev/';
    expect(connectorOrigins(settings)).toEqual(['https://sift-proxy.me.workers.dev']);
    settings.kind = 'rest';
    settings.proxyUrl = '';
    settings.rest.searchByDomainUrl = 'https://crm.example.com/s?d={domain}';
    settings.rest.createUrl = 'https://write.example.com/c';
    expect(connectorOrigins(settings)).toEqual(['https://crm.example.com', 'https://write.example.com']);
    const gate = new EgressGate('https://app.example');
    gate.allow('https://crm.example.com', 'connector');
    expect(originsNotAllowed(settings, gate)).toEqual(['https://write.example.com']);
  });

  it('reports a proxy URL that is not one', () => {
    const settings = { ...defaultConnectorSettings(), proxyUrl: 'my worker' };
    settings.airtable.baseId = 'appABCDEFGHIJKLMN';
    expect(settingsProblems(settings, 'pat')).toEqual([
      'The proxy URL is not a URL (it should look like https://sift-proxy.you.workers.dev/).',
    ]);
  });
});

describe('the list of connectors, each describing itself', () => {
  it.each(CONNECTORS.map((module) => [module.name, module.kind] as const))(
    '%s: its form covers every setting, its choices hold its defaults, and its defaults survive storage',
    (_name, kind) => {
      const module = connectorModule(kind);
      const defaults = module.defaults;
      expect(module.fields.map((field) => field.key).sort()).toEqual(Object.keys(defaults).sort());
      for (const field of module.fields) {
        if (field.input === 'choice')
          expect(field.choices!.map((choice) => choice.value)).toContain(defaults[field.key]);
        expect(field.label.trim()).not.toBe('');
      }
      expect(module.secretLabel).not.toBe('');
      const stored = JSON.parse(JSON.stringify({ ...defaultConnectorSettings(), kind }));
      expect(parseConnectorSettings(stored)).toEqual(stored);
      expect(secretId(kind)).toBe(`connector:${kind}`);
    },
  );

  it('has one module per kind, and the first is the default', () => {
    expect(new Set(CONNECTORS.map((module) => module.kind)).size).toBe(CONNECTORS.length);
    expect(defaultConnectorSettings().kind).toBe(CONNECTORS[0].kind);
  });

  it('builds the chosen connector from its module, with trimmed settings', async () => {
    const settings = defaultConnectorSettings();
    settings.kind = 'twenty';
    settings.twenty.baseUrl = '  https://crm.example.com  ';
    const gate = new EgressGate('https://app.example');
    const connector = createConnector(settings, 'key', gate);
    expect(connector.label).toBe('Twenty');
    expect(connectorOrigins(settings)).toEqual(['https://crm.example.com']);
    // The host is not switched on: the connector says so instead of sending anything.
    expect(await connector.testConnection()).toMatchObject({ status: 'refused' });
    expect(gate.log.map((record) => record.host)).toEqual(['crm.example.com']);
  });
});
