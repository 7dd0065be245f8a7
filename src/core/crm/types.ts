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
