import { describe, expect, it } from 'vitest';
import { EgressGate } from '../egress.ts';
import {
  connectorOrigins,
  defaultConnectorSettings,
  originsNotAllowed,
  parseConnectorSettings,
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
