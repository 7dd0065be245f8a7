import { afterEach, describe, expect, it } from 'vitest';
import { startAirtableServer, type AirtableServer } from '../../../tests/servers/airtable-server.ts';
import { defaultConnectorSettings, type ConnectorSettings } from '../../net/connectors/registry.ts';
import { EgressGate } from '../../net/egress.ts';
import { ConnectorSettingsState, type ConnectorSettingsDeps } from './connector-settings.svelte.ts';

const TOKEN = 'patStateTest';
const BASE = 'appSTATETEST00001';
const servers: AirtableServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Map-backed storage: the IndexedDB side is exercised in tests/e2e/connectors.spec.ts. */
function memory(gate: EgressGate, initial: ConnectorSettings = defaultConnectorSettings()) {
  let settings = structuredClone(initial);
  const secrets = new Map<string, string>();
  const deps: ConnectorSettingsDeps = {
    gate,
    loadSettings: async () => structuredClone(settings),
    saveSettings: async (next) => void (settings = structuredClone(next)),
    loadSecret: async (id) => secrets.get(id) ?? null,
    saveSecret: async (id, value) => void (value.trim() ? secrets.set(id, value.trim()) : secrets.delete(id)),
    forgetSecret: async (id) => void secrets.delete(id),
  };
  return { deps, secrets, saved: () => settings };
}

async function airtable(): Promise<AirtableServer> {
  const server = await startAirtableServer({
    token: TOKEN,
    baseId: BASE,
    table: 'Companies',
    fieldNames: ['Name', 'Website', 'Tags'],
  });
  servers.push(server);
  return server;
}

async function readyState(server: AirtableServer, gate: EgressGate) {
  const store = memory(gate);
  const state = new ConnectorSettingsState(store.deps);
  await state.load();
  state.settings.airtable.apiBase = server.url;
  state.settings.airtable.baseId = BASE;
  state.secret = TOKEN;
  return { state, store };
}

describe('ConnectorSettingsState with a local server speaking Airtable’s documented REST shapes', () => {
  it('tests the connection with the host allowed only for that request', async () => {
    const server = await airtable();
    const gate = new EgressGate('http://localhost:4403');
    const { state } = await readyState(server, gate);
    await state.testConnection();
    expect(state.check).toMatchObject({ status: 'ok' });
    expect(gate.purposeOf(new URL(server.url))).toBeUndefined();
  });

  it('explains what is missing instead of sending anything', async () => {
    const server = await airtable();
    const gate = new EgressGate('http://localhost:4403');
    const state = new ConnectorSettingsState(memory(gate).deps);
    await state.load();
    await state.testConnection();
    expect(state.check).toMatchObject({ status: 'not-configured', title: 'Not set up' });
    expect(state.check!.message).toContain('Paste a personal access token.');
    expect(server.requests).toHaveLength(0);
  });

  it('switching on allows the host and stores the token apart from settings; off withdraws it', async () => {
    const server = await airtable();
    const gate = new EgressGate('http://localhost:4403');
    const { state, store } = await readyState(server, gate);
    await state.switchOn();
    expect(gate.purposeOf(new URL(server.url))).toBe('connector');
    expect(store.saved().enabled).toBe(true);
    expect(JSON.stringify(store.saved())).not.toContain(TOKEN);
    expect(store.secrets.get('connector:airtable')).toBe(TOKEN);

    const freshGate = new EgressGate('http://localhost:4403');
    const reopened = new ConnectorSettingsState({ ...store.deps, gate: freshGate });
    const backend = await reopened.activeBackend();
    expect(reopened.secret).toBe(TOKEN);
    expect(backend?.label).toBe('Airtable (Companies)');
    expect(freshGate.purposeOf(new URL(server.url))).toBe('connector');

    await state.switchOff();
    expect(gate.purposeOf(new URL(server.url))).toBeUndefined();
    expect(state.backend()).toBeNull();
  });

  it('adds a company only on confirm, after showing what it will write', async () => {
    const server = await airtable();
    const { state } = await readyState(server, new EgressGate('http://localhost:4403'));
    await state.switchOn();
    state.lookupDomain = 'gamma.dev';
    state.lookupName = 'Gamma';
    await state.lookup();
    expect(state.lookupResult).toMatchObject({ status: 'not-in-crm' });
    state.proposeAdd();
    expect(state.pendingAdd).toMatchObject({ name: 'Gamma', domain: 'gamma.dev' });
    expect(server.records).toHaveLength(0);
    await state.confirmAdd();
    expect(server.records).toHaveLength(1);
    expect(state.added).toContain('Added “Gamma” to Airtable (Companies)');
    await state.lookup();
    expect(state.lookupResult).toMatchObject({ status: 'in-crm', company: { name: 'Gamma' } });
  });

  it('says a failed lookup plainly, with the next step', async () => {
    const server = await airtable();
    const { state } = await readyState(server, new EgressGate('http://localhost:4403'));
    await state.switchOn();
    server.rateLimitNext(2, 45);
    state.lookupDomain = 'acme.com';
    await state.lookup();
    expect(state.error).toBe(
      'Rate-limited: Airtable is rate-limiting Sift (HTTP 429): too many requests in a short time. Wait 45 s, then try again.',
    );
  });
});

describe('ConnectorSettingsState renders any connector from its description', () => {
  it('edits the chosen connector’s fields by key and lets the connector tidy them', async () => {
    const gate = new EgressGate('http://localhost:4403');
    const state = new ConnectorSettingsState(memory(gate).deps);
    await state.load();
    expect(state.module.name).toBe('Airtable');
    state.setField('baseId', `https://airtable.com/${BASE}/tblCOMPANIES00001/viwGRID000000001`);
    expect(state.values.baseId).toContain('https://');
    state.fieldChanged('baseId');
    expect(state.settings.airtable).toMatchObject({ baseId: BASE, table: 'tblCOMPANIES00001' });

    await state.chooseKind('rest');
    expect(state.module.secretLabel).toBe('Secret (used as {secret} in headers)');
    state.setField('searchByDomainUrl', 'https://crm.example.com/s?d={domain}');
    expect(state.settings.rest.searchByDomainUrl).toBe('https://crm.example.com/s?d={domain}');
    expect(state.settings.airtable.baseId).toBe(BASE);
  });

  it('says “Saved.” after a save, until the next action', async () => {
    const gate = new EgressGate('http://localhost:4403');
    const store = memory(gate);
    const state = new ConnectorSettingsState(store.deps);
    await state.load();
    state.setField('table', 'Startups');
    await state.save();
    expect(state.savedNote).toBe('Saved.');
    expect(store.saved().airtable.table).toBe('Startups');
    await state.setEnabled(true);
    expect(state.savedNote).toBe('');
    expect(state.settings.enabled).toBe(false);
    expect(state.check).toMatchObject({ status: 'not-configured' });
  });
});
