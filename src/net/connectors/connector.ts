/**
 * What a CRM connector is: a `RemoteConnector` (the CRM as Sift uses it) and a `ConnectorModule`
 * (how it describes itself to the registry and to the settings form). See README.md.
 */
import type { CrmBackend } from '../../core/crm/types.ts';
import type { ConnectionCheck, Transport } from './connection.ts';

export interface RemoteConnector extends CrmBackend {
  /** One request that proves address, credentials and base/table are right, diagnosed. Never throws. */
  testConnection(): Promise<ConnectionCheck>;
}

/** One field of a connector's settings as the form shows it. Every setting is a string. */
export interface ConnectorField<S> {
  key: Extract<keyof S, string>;
  label: string;
  /** `text` when absent; `url` gets the browser's URL keyboard; `lines` is a text area; `choice` a select. */
  input?: 'text' | 'url' | 'lines' | 'choice';
  /** For `choice`: the only values a stored setting may take (others fall back to the default). */
  choices?: readonly { value: string; label: string }[];
  placeholder?: string;
  /** A sentence under the field. */
  hint?: string;
  /** Spell-check the field: only for words people read (a label), never for addresses, ids or keys. */
  prose?: boolean;
  /** For end-to-end tests. */
  testid?: string;
  /** Run after the user changes the field (on `change`, not per keystroke): a pasted address becomes an id. */
  tidy?(settings: S): void;
}

/**
 * A connector describing itself: everything the registry, the egress gate and the settings form
 * need, so adding a CRM is this module, its test and a README line.
 */
export interface ConnectorModule<K extends string, S extends object> {
  /** The key its settings are stored under; never change it without a migration of stored settings. */
  kind: K;
  /** Shown to the user: `Airtable`. */
  name: string;
  /** What the user pastes as the secret: `Personal access token`. */
  secretLabel: string;
  defaults: Readonly<S>;
  fields: readonly ConnectorField<S>[];
  /** A paragraph under the fields (placeholders and the like). */
  formHint?: string;
  /** What the user must fix before a request is sent; empty when the settings are usable. */
  settingsProblems(settings: S, secret: string | null): string[];
  /**
   * The addresses its requests go to (`{placeholder}` templates allowed): the registry turns them
   * into the origins the egress gate must allow, or the proxy's.
   */
  origins(settings: S): string[];
  /** Builds it; called only with settings `settingsProblems` accepted, values trimmed. */
  create(settings: S, secret: string | null, transport: Transport): RemoteConnector;
}

/** Keeps a module's literal kind and settings type, so the registry can derive its types from the list. */
export function defineConnector<const K extends string, S extends object>(
  module: ConnectorModule<K, S>,
): ConnectorModule<K, S> {
  return module;
}
