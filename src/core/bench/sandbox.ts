/**
 * The benchmark's sandbox: invented newsletters' links shaped like the link pipeline's, and an
 * in-memory CRM that records every write (and whether the user had confirmed it), so a benchmark
 * run in the app never reads a real newsletter or touches the user's CRM. The agent's tests use the
 * same pieces to prove nothing was written behind the user's back.
 */
import type { Company, CompanyDraft, CrmBackend, MatchQuery, MatchResult } from '../crm/types.ts';
import type { LinkCandidate, LinkReport } from '../links/types.ts';
import type { ConfirmationRequest, ToolPorts } from '../agent/tools.ts';

export function linkCandidate(overrides: Partial<LinkCandidate> & { id: string }): LinkCandidate {
  const domain = overrides.domain ?? `${overrides.id.toLowerCase()}.example`;
  return {
    url: `https://${domain}/`,
    host: domain,
    domain,
    kind: 'startup',
    score: 0.9,
    features: [],
    name: domain.split('.')[0] ?? domain,
    text: '',
    context: '',
    heading: '',
    isImage: false,
    needsNetwork: false,
    tracker: null,
    occurrences: 1,
    firstPosition: Number(overrides.id.slice(1)) || 0,
    originalHref: `https://${domain}/`,
    ...overrides,
  };
}

/** A CRM company; its website follows its domain unless given. */
export function company(fields: Pick<Company, 'name' | 'domain'> & Partial<Company>): Company {
  return {
    id: 'c1',
    aliasDomains: [],
    website: fields.domain ? `https://${fields.domain}/` : null,
    tags: [],
    source: 'manual',
    notes: '',
    externalId: null,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

export function linkReport(links: LinkCandidate[]): LinkReport {
  return { format: 'html', links, warnings: [], stats: { bytes: 1000, occurrences: links.length, ms: 1 } };
}

export interface CrmWrite {
  kind: 'add' | 'tag';
  detail: string;
  confirmed: boolean;
}

/** Matches by exact domain (in-crm) or exact case-folded name (possible): enough for invented newsletters. */
export class MemoryCrm implements CrmBackend {
  readonly label = 'test CRM';
  readonly companies = new Map<string, Company>();
  readonly writes: CrmWrite[] = [];
  /** Set by the confirm port: the next write is covered by a yes from the user. */
  pendingConfirmations = 0;
  #nextId = 1;

  constructor(seed: Array<Pick<Company, 'name' | 'domain'> & Partial<Company>> = []) {
    for (const company of seed) this.#store(company);
  }

  #store(fields: Pick<Company, 'name' | 'domain'> & Partial<Company>): Company {
    let id = fields.id;
    while (id === undefined || (fields.id === undefined && this.companies.has(id))) id = `c${this.#nextId++}`;
    const full = company({ ...fields, id });
    this.companies.set(full.id, full);
    return full;
  }

  async matchMany(queries: MatchQuery[]): Promise<MatchResult[]> {
    return queries.map((query) => {
      const all = [...this.companies.values()];
      const byDomain = query.domain ? all.find((company) => company.domain === query.domain) : undefined;
      if (byDomain)
        return {
          status: 'in-crm',
          company: byDomain,
          evidence: [{ kind: 'domain', detail: `domain ${query.domain}` }],
        };
      const name = query.name?.trim().toLowerCase();
      const byName = name ? all.find((company) => company.name.toLowerCase() === name) : undefined;
      if (byName)
        return {
          status: 'possible',
          company: byName,
          evidence: [{ kind: 'name', detail: `name ${byName.name}`, score: 1 }],
        };
      return { status: 'not-in-crm', company: null, evidence: [] };
    });
  }

  async add(draft: CompanyDraft): Promise<Company> {
    const confirmed = this.#consume();
    const company = this.#store({
      name: draft.name,
      domain: draft.domain ?? null,
      tags: draft.tags ?? [],
      source: draft.source,
      notes: draft.notes ?? '',
    });
    this.writes.push({ kind: 'add', detail: `${company.name} ${company.domain}`, confirmed });
    return company;
  }

  async tag(companyId: string, tags: string[]): Promise<Company> {
    const confirmed = this.#consume();
    const company = this.companies.get(companyId);
    if (!company) throw new Error(`No company with id ${companyId} in the test CRM.`);
    const next = { ...company, tags: [...new Set([...company.tags, ...tags])].sort() };
    this.companies.set(companyId, next);
    this.writes.push({ kind: 'tag', detail: `${company.name} +${tags.join(',')}`, confirmed });
    return next;
  }

  #consume(): boolean {
    if (this.pendingConfirmations === 0) return false;
    this.pendingConfirmations--;
    return true;
  }

  /** The CRM as comparable data: the final state a run is judged by. */
  snapshot(): string {
    return JSON.stringify(
      [...this.companies.values()]
        .map((company) => [company.name, company.domain, [...company.tags].sort()])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  }
}

export interface SandboxPorts extends ToolPorts {
  crm: MemoryCrm;
  confirmations: ConfirmationRequest[];
}

/** Ports over a fixed report and a MemoryCrm; `answer` is what the user says to each confirmation. */
export function sandboxPorts(report: LinkReport, crm = new MemoryCrm(), answer = true): SandboxPorts {
  const confirmations: ConfirmationRequest[] = [];
  return {
    crm,
    confirmations,
    extractLinks: async () => structuredClone(report),
    async confirm(request) {
      confirmations.push(request);
      if (answer) crm.pendingConfirmations++;
      return answer;
    },
  };
}
