/** The contract every remote connector module fulfils; see README.md for how to add one. */
import type { CrmBackend } from '../../core/crm/types.ts';
import type { ConnectionCheck } from './connection.ts';

export interface RemoteConnector extends CrmBackend {
  /** One request that proves address, credentials and base/table are right, diagnosed. Never throws. */
  testConnection(): Promise<ConnectionCheck>;
}
