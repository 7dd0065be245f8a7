/**
 * The state behind Settings → CRM connectors: the chosen connector's settings and secret, the last
 * connection check, switching it on and off (which allows or withdraws its host in the egress
 * gate), and a small lookup with a confirmed add so the user can see it work.
 *
 * Writes to the CRM happen only in `confirmAdd()`, which the UI calls from the user's click on
 * "Confirm add" after showing exactly what will be written.
 */
import type { CompanyDraft, MatchResult } from '../../core/crm/types.ts';
import { checkFromError, ConnectorError, type ConnectionCheck } from '../../net/connectors/connection.ts';
import type { RemoteConnector } from '../../net/connectors/connector.ts';
import {
  CONNECTORS_SETTING_KEY,
  connectorModule,
  connectorOrigins,
  createConnector,
  defaultConnectorSettings,
  originsNotAllowed,
  parseConnectorSettings,
  secretId,
  settingsOfKind,
  settingsProblems,
  type ConnectorKind,
  type ConnectorSettings,
} from '../../net/connectors/registry.ts';
import { egress, type EgressGate } from '../../net/egress.ts';
import { forgetSecret, loadSecret, saveSecret } from '../../storage/secrets.ts';
import { loadSetting, saveSetting } from '../../storage/settings.ts';
import { messageOf } from '../../core/text/error-message.ts';

/** Where settings and secrets are kept and which gate is opened; tests pass in-memory stand-ins. */
export interface ConnectorSettingsDeps {
  gate: Pick<EgressGate, 'allow' | 'purposeOf' | 'fetch'>;
  loadSettings(): Promise<ConnectorSettings>;
  saveSettings(settings: ConnectorSettings): Promise<void>;
  loadSecret(id: string): Promise<string | null>;
  saveSecret(id: string, value: string): Promise<void>;
  forgetSecret(id: string): Promise<void>;
}

const browserDeps: ConnectorSettingsDeps = {
  gate: egress,
  loadSettings: () => loadSetting(CONNECTORS_SETTING_KEY, parseConnectorSettings, defaultConnectorSettings()),
  saveSettings: (settings) => saveSetting(CONNECTORS_SETTING_KEY, settings),
  loadSecret,
  saveSecret,
  forgetSecret,
};

export class ConnectorSettingsState {
  settings = $state<ConnectorSettings>(defaultConnectorSettings());
  /** The secret as typed; stored only by `save()`, shown only as a password field. */
  secret = $state('');
  loaded = $state(false);
  busy = $state(false);
  check = $state.raw<ConnectionCheck | null>(null);
  /** A storage failure or similar, said plainly. */
  error = $state<string | null>(null);
  /** "Saved." after the user's Save, until the next action. */
  savedNote = $state('');

  lookupDomain = $state('');
  lookupName = $state('');
  lookupResult = $state.raw<MatchResult | null>(null);
  /** What "Confirm add" would write; null when nothing is proposed. */
  pendingAdd = $state.raw<CompanyDraft | null>(null);
  added = $state<string | null>(null);

  readonly problems = $derived(settingsProblems(this.settings, this.secret.trim() || null));
  /** The chosen connector's description: its name, secret label and form fields. */
  readonly module = $derived(connectorModule(this.settings.kind));

  /** The chosen connector's own settings, as the form shows them. */
  get values(): Readonly<Record<string, string>> {
    return settingsOfKind(this.settings);
  }

  readonly #deps: ConnectorSettingsDeps;
  #withdraw: (() => void)[] = [];

  constructor(deps: ConnectorSettingsDeps = browserDeps) {
    this.#deps = deps;
  }

  /** Restores settings and, when the connector was on, allows its host again. Call once at start. */
  async load(): Promise<void> {
    await this.#run(async () => {
      this.settings = await this.#deps.loadSettings();
      this.secret = (await this.#deps.loadSecret(secretId(this.settings.kind))) ?? '';
      if (this.settings.enabled) this.#allowHosts();
    });
    this.loaded = true;
  }

  async chooseKind(kind: ConnectorKind): Promise<void> {
    if (kind === this.settings.kind) return;
    await this.#run(async () => {
      if (this.settings.enabled) await this.#switchOff();
      this.settings.kind = kind;
      this.secret = (await this.#deps.loadSecret(secretId(kind))) ?? '';
      this.check = null;
      this.lookupResult = null;
      this.pendingAdd = null;
    });
  }

  /** One field of the chosen connector, as the user types it. */
  setField(key: string, value: string): void {
    settingsOfKind(this.settings)[key] = value;
  }

  /** The user finished changing a field: the connector may tidy it (a pasted address becomes an id). */
  fieldChanged(key: string): void {
    this.module.fields.find((field) => field.key === key)?.tidy?.(settingsOfKind(this.settings));
  }

  async save(): Promise<void> {
    await this.#run(() => this.#save());
    if (!this.error) this.savedNote = 'Saved.';
  }

  /** The on/off switch: on only with usable settings (see `problems`). */
  async setEnabled(on: boolean): Promise<void> {
    if (on) await this.switchOn();
    else await this.switchOff();
  }

  async forgetSecret(): Promise<void> {
    await this.#run(async () => {
      await this.#deps.forgetSecret(secretId(this.settings.kind));
      this.secret = '';
      if (this.settings.enabled) await this.#switchOff();
    });
  }

  /**
   * One diagnosed request. The user asked for it, so the host is allowed for its duration even
   * while the connector is off, and withdrawn again afterwards.
   */
  async testConnection(): Promise<void> {
    await this.#run(async () => {
      this.check = null;
      if (this.#refusedForProblems()) return;
      const temporary = originsNotAllowed(this.settings, this.#deps.gate).map((origin) =>
        this.#deps.gate.allow(origin, 'connector'),
      );
      try {
        this.check = await this.#connector().testConnection();
      } finally {
        for (const withdraw of temporary) withdraw();
      }
    });
  }

  async switchOn(): Promise<void> {
    await this.#run(async () => {
      if (this.#refusedForProblems()) return;
      this.settings.enabled = true;
      this.#allowHosts();
      await this.#save();
    });
  }

  async switchOff(): Promise<void> {
    await this.#run(() => this.#switchOff());
  }

  /**
   * For the newsletter job: the switched-on connector, loading stored settings first if Settings
   * was never opened in this tab (which also allows its host); null when none is on.
   */
  async activeBackend(): Promise<RemoteConnector | null> {
    if (!this.loaded) await this.load();
    return this.backend();
  }

  /** The connector other parts of Sift check against; null while it is off. */
  backend(): RemoteConnector | null {
    if (!this.settings.enabled || this.problems.length > 0) return null;
    return this.#connector();
  }

  async lookup(): Promise<void> {
    const backend = this.backend();
    if (!backend) return;
    await this.#run(async () => {
      this.lookupResult = null;
      this.pendingAdd = null;
      this.added = null;
      const domain = this.lookupDomain.trim();
      const name = this.lookupName.trim();
      if (!domain && !name) throw new Error('Enter a domain or a name to look up.');
      const [result] = await backend.matchMany([{ domain: domain || null, name: name || null }]);
      this.lookupResult = result ?? null;
    });
  }

  /** Shows what would be written; nothing is sent until `confirmAdd()`. */
  proposeAdd(): void {
    const name = this.lookupName.trim() || this.lookupDomain.trim();
    if (!name) return;
    const domain = this.lookupDomain.trim();
    this.pendingAdd = { name, domain: domain || null, tags: ['sift'], source: 'sift:settings' };
  }

  cancelAdd(): void {
    this.pendingAdd = null;
  }

  async confirmAdd(): Promise<void> {
    const backend = this.backend();
    const draft = this.pendingAdd;
    if (!backend || !draft) return;
    await this.#run(async () => {
      const company = await backend.add(draft);
      this.pendingAdd = null;
      this.added = `Added “${company.name}” to ${backend.label}${company.externalId ? ` (id ${company.externalId})` : ''}.`;
      this.lookupResult = { status: 'in-crm', company, evidence: [] };
    });
  }

  /** Settings the user must fix first: shown as the check's diagnosis, and nothing is sent. */
  #refusedForProblems(): boolean {
    if (this.problems.length === 0) return false;
    this.check = new ConnectorError('not-configured', this.problems.join(' '), 'Fill in the fields above.').toCheck();
    return true;
  }

  #connector(): RemoteConnector {
    return createConnector($state.snapshot(this.settings), this.secret.trim() || null, this.#deps.gate);
  }

  async #save(): Promise<void> {
    await this.#deps.saveSettings($state.snapshot(this.settings));
    await this.#deps.saveSecret(secretId(this.settings.kind), this.secret);
  }

  async #switchOff(): Promise<void> {
    for (const withdraw of this.#withdraw.splice(0)) withdraw();
    this.settings.enabled = false;
    this.lookupResult = null;
    this.pendingAdd = null;
    await this.#deps.saveSettings($state.snapshot(this.settings));
  }

  #allowHosts(): void {
    for (const withdraw of this.#withdraw.splice(0)) withdraw();
    this.#withdraw = connectorOrigins(this.settings).map((origin) => this.#deps.gate.allow(origin, 'connector'));
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.savedNote = '';
    try {
      await work();
    } catch (error) {
      if (error instanceof ConnectorError) {
        const said = checkFromError(error);
        this.error = `${said.title}: ${said.message} ${said.nextStep}`;
      } else {
        this.error = messageOf(error);
      }
    } finally {
      this.busy = false;
    }
  }
}

export const connectorSettings = new ConnectorSettingsState();
