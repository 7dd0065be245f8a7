/** The CRM's shapes, shared by the local CRM, the connectors, the matcher and the agent. */

export interface Company {
  id: string;
  name: string;
  /** Registrable domain (`acme.com`); null when the CRM record has no website. */
  domain: string | null;
  aliasDomains: string[];
  website: string | null;
  tags: string[];
  /** Where the record came from: `manual`, `csv:hubspot`, `sift:newsletter`, `airtable`... */
  source: string;
  notes: string;
  /** The record's id in an external CRM, when it came from or was written to one. */
  externalId: string | null;
  createdAt: number;
  updatedAt: number;
}

export type CrmStatus = 'in-crm' | 'possible' | 'not-in-crm';

export interface MatchEvidence {
  kind: 'domain' | 'alias domain' | 'subdomain of' | 'name';
  /** Shown to the user as is, e.g. `domain acme.com`, `name ≈ 0.93 (Acme Robotics)`. */
  detail: string;
  /** For fuzzy name evidence: similarity 0..1. */
  score?: number;
}

export interface MatchQuery {
  domain?: string | null;
  name?: string | null;
}

export interface MatchResult {
  status: CrmStatus;
  company: Company | null;
  evidence: MatchEvidence[];
}

/** What a new company needs; the backend fills in id, timestamps and normalises the domain. */
export interface CompanyDraft {
  name: string;
  website?: string | null;
  domain?: string | null;
  aliasDomains?: string[];
  tags?: string[];
  source: string;
  notes?: string;
  /** The record's id in the CRM it came from (a CSV's `Record ID`), when known. */
  externalId?: string | null;
}

/**
 * A CRM Sift can check and (after the user confirms) write to: the local IndexedDB CRM or a remote
 * connector. Writes are only ever called from a path the user confirmed in the UI.
 */
export interface CrmBackend {
  readonly label: string;
  matchMany(queries: MatchQuery[]): Promise<MatchResult[]>;
  add(draft: CompanyDraft): Promise<Company>;
  tag(companyId: string, tags: string[]): Promise<Company>;
}
