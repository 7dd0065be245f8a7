/**
 * Sift's tools as the model sees them. Each tool's parameters are one TypeBox schema: the JSON
 * Schema that constrains the model (gate 1), the runtime validator (gate 2) and the TypeScript
 * type of its executor. Executors are pure functions over `ToolPorts`, so they run in the tools
 * worker, on the page or in a test; no port reaches the network except through the CRM backend,
 * whose remote connectors go through the app's egress gate. See README.md to add a tool.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { addSeenCompany } from '../crm/newsletter-company.ts';
import { nameKey } from '../crm/names.ts';
import type { Company, CrmBackend, MatchResult } from '../crm/types.ts';
import {
  companyWebsite,
  destinationDomain,
  type LinkCandidate,
  type LinkKind,
  type LinkReport,
} from '../links/types.ts';
import { writeCsv } from '../text/spreadsheet-csv.ts';

/** What a write asks the user; the UI shows `summary` and waits for a yes or no. */
export interface ConfirmationRequest {
  tool: string;
  summary: string;
  arguments: unknown;
}

export interface ToolPorts {
  /** Extracts the links of the run's document: the model never passes (or sees) the raw text. */
  extractLinks(): Promise<LinkReport>;
  crm: CrmBackend;
  /** Resolves true only when the user said yes. */
  confirm(request: ConfirmationRequest): Promise<boolean>;
}

/** The real state of one run, against which gate 3 checks every call. */
export class ToolState {
  report: LinkReport | null = null;
  readonly links = new Map<string, LinkCandidate>();
  /** Companies the run has seen (looked up or added): the only ids `tag_company` accepts. */
  readonly companies = new Map<string, Company>();
  /** Canonical text of each call executed, with its result: a repeated call is a loop. */
  readonly executed = new Map<string, unknown>();
  /** Every CSV the run exported, in order. */
  readonly exports: string[] = [];

  setReport(report: LinkReport): void {
    this.report = report;
    this.links.clear();
    for (const link of report.links) this.links.set(link.id, link);
  }
}

export const linkKinds = [
  'startup',
  'social',
  'media',
  'newsletter',
  'sponsor',
  'image',
  'appstore',
  'code',
  'bigco',
  'other',
] as const satisfies readonly LinkKind[];

const LinkId = Type.String({ pattern: '^L[0-9]{1,4}$', description: 'a link id from extract_links, e.g. L3' });
const CompanyName = Type.String({ minLength: 1, maxLength: 80 });
const Tag = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'lower-case, digits and dashes' });

export interface ToolDefinition<S extends TSchema = TSchema> {
  name: string;
  description: string;
  parameters: S;
  /** Writes wait for the user's yes (gate 4). */
  needsConfirmation: boolean;
  /**
   * Its effect leaves the run (a CRM write, a file for the user): the model must agree with itself
   * (see `vote` in ask.ts) before it runs. Every tool that needs confirmation is decisive.
   */
  decisive: boolean;
  /** Gate 3: why these (schema-valid) arguments cannot run against the current state. */
  check(args: Static<S>, state: ToolState, ports: ToolPorts): Promise<string[]>;
  /** One sentence for the confirmation dialog and the trace. */
  describe(args: Static<S>, state: ToolState): string;
  execute(args: Static<S>, ports: ToolPorts, state: ToolState): Promise<unknown>;
}

function defineTool<S extends TSchema>(tool: ToolDefinition<S>): ToolDefinition<S> {
  return tool;
}

function unknownLinks(ids: readonly string[], state: ToolState): string[] {
  if (!state.report) return ['no links yet: call extract_links first'];
  const unknown = ids.filter((id) => !state.links.has(id));
  return unknown.length ? [`unknown link id ${unknown.join(', ')}: use an id that extract_links returned`] : [];
}

function linkSummary(link: LinkCandidate) {
  return {
    id: link.id,
    name: link.name,
    domain: destinationDomain(link),
    kind: link.kind,
    score: Math.round(link.score * 100) / 100,
  };
}

function matchSummary(match: MatchResult) {
  return {
    status: match.status,
    company: match.company
      ? { id: match.company.id, name: match.company.name, domain: match.company.domain, tags: match.company.tags }
      : null,
    evidence: match.evidence.map((evidence) => evidence.detail),
  };
}

export const extractLinksTool = defineTool({
  name: 'extract_links',
  description: 'Find, unwrap and classify every link in the newsletter. Call first. Returns link ids (L1, L2...).',
  parameters: Type.Object({}, { additionalProperties: false }),
  needsConfirmation: false,
  decisive: false,
  check: async () => [],
  describe: () => 'extract the links of the newsletter',
  async execute(_args, ports, state) {
    const report = await ports.extractLinks();
    state.setReport(report);
    const byKind: Partial<Record<LinkKind, number>> = {};
    for (const link of report.links) byKind[link.kind] = (byKind[link.kind] ?? 0) + 1;
    return {
      links: report.links.length,
      by_kind: byKind,
      likely_startups: report.links
        .filter((link) => link.kind === 'startup')
        .slice(0, 40)
        .map(linkSummary),
    };
  },
});

export const listCandidatesTool = defineTool({
  name: 'list_candidates',
  description: 'List extracted links, best startup candidates first; filter by kind and minimum score.',
  parameters: Type.Object(
    {
      kind: Type.Optional(Type.Enum([...linkKinds])),
      min_score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    },
    { additionalProperties: false },
  ),
  needsConfirmation: false,
  decisive: false,
  check: async (_args, state) => (state.report ? [] : ['no links yet: call extract_links first']),
  describe: (args) => `list candidates${args.kind ? ` of kind ${args.kind}` : ''}`,
  async execute(args, _ports, state) {
    const links = [...state.links.values()]
      .filter((link) => (args.kind ? link.kind === args.kind : true))
      .filter((link) => link.score >= (args.min_score ?? 0))
      .sort((a, b) => b.score - a.score || a.firstPosition - b.firstPosition)
      .slice(0, args.limit ?? 20);
    return links.map((link) => ({ ...linkSummary(link), context: link.context.slice(0, 120) }));
  },
});

export const lookupCompanyTool = defineTool({
  name: 'lookup_company',
  description: 'Check whether a company is in the CRM, by link id (its domain) or by name.',
  parameters: Type.Object(
    { link_id: Type.Optional(LinkId), name: Type.Optional(CompanyName) },
    { additionalProperties: false },
  ),
  needsConfirmation: false,
  decisive: false,
  async check(args, state) {
    if (args.link_id === undefined && args.name === undefined) return ['give link_id or name'];
    return args.link_id !== undefined ? unknownLinks([args.link_id], state) : [];
  },
  describe: (args) => `look up ${args.link_id ?? args.name} in the CRM`,
  async execute(args, ports, state) {
    const link = args.link_id !== undefined ? state.links.get(args.link_id) : undefined;
    const [match] = await ports.crm.matchMany([
      link ? { domain: destinationDomain(link), name: args.name ?? link.name } : { name: args.name ?? null },
    ]);
    if (!match) throw new Error('The CRM returned no answer for the lookup.');
    if (match.company) state.companies.set(match.company.id, match.company);
    return matchSummary(match);
  },
});

export const addCompanyTool = defineTool({
  name: 'add_company',
  description: 'Add the company behind a link to the CRM (the user confirms first).',
  parameters: Type.Object(
    {
      link_id: LinkId,
      name: Type.Optional(CompanyName),
      tags: Type.Optional(Type.Array(Tag, { maxItems: 5 })),
    },
    { additionalProperties: false },
  ),
  needsConfirmation: true,
  decisive: true,
  async check(args, state, ports) {
    const unknown = unknownLinks([args.link_id], state);
    if (unknown.length) return unknown;
    const link = state.links.get(args.link_id)!;
    // Behind a tracker the destination is unknown: the name is all there is to find a duplicate by, and only the
    // same name (not a similar one, which the CRM calls a possible match) is one.
    const domain = destinationDomain(link);
    const name = args.name ?? link.name;
    const [match] = await ports.crm.matchMany([domain ? { domain } : { name }]);
    const duplicate = domain
      ? match?.status === 'in-crm'
      : match?.status !== 'not-in-crm' && nameKey(match?.company?.name) === nameKey(name);
    if (duplicate && match?.company) {
      state.companies.set(match.company.id, match.company);
      return [
        `${domain ?? name} is already in the CRM as ${match.company.name} (${match.company.id}); use tag_company`,
      ];
    }
    return [];
  },
  describe: (args, state) => {
    const link = state.links.get(args.link_id);
    const tags = args.tags?.length ? ` tagged ${args.tags.join(', ')}` : '';
    const where = link ? (destinationDomain(link) ?? 'its address hidden by a tracker') : 'unknown domain';
    return `Add ${args.name ?? link?.name ?? args.link_id} (${where}) to the CRM${tags}`;
  },
  async execute(args, ports, state) {
    const link = state.links.get(args.link_id)!;
    const company = await addSeenCompany(ports.crm, {
      name: args.name ?? link.name,
      url: link.url,
      domain: destinationDomain(link),
      sentence: link.context,
      tags: args.tags ?? [],
    });
    state.companies.set(company.id, company);
    return { added: { id: company.id, name: company.name, domain: company.domain, tags: company.tags } };
  },
});

export const tagCompanyTool = defineTool({
  name: 'tag_company',
  description: 'Add tags to a CRM company found by lookup_company or add_company (the user confirms first).',
  parameters: Type.Object(
    { company_id: Type.String({ minLength: 1, maxLength: 100 }), tags: Type.Array(Tag, { minItems: 1, maxItems: 5 }) },
    { additionalProperties: false },
  ),
  needsConfirmation: true,
  decisive: true,
  async check(args, state) {
    const company = state.companies.get(args.company_id);
    if (!company) return [`unknown company id ${args.company_id}: find it with lookup_company first`];
    const missing = args.tags.filter((tag) => !company.tags.includes(tag));
    return missing.length ? [] : [`${company.name} already has ${args.tags.join(', ')}`];
  },
  describe: (args, state) =>
    `Tag ${state.companies.get(args.company_id)?.name ?? args.company_id} with ${args.tags.join(', ')}`,
  async execute(args, ports, state) {
    const company = await ports.crm.tag(args.company_id, args.tags);
    state.companies.set(company.id, company);
    return { tagged: { id: company.id, name: company.name, tags: company.tags } };
  },
});

export const exportCsvTool = defineTool({
  name: 'export_csv',
  description: 'Export links as CSV (name, website, link, domain, context); by default every startup link.',
  parameters: Type.Object(
    { link_ids: Type.Optional(Type.Array(LinkId, { minItems: 1, maxItems: 200 })) },
    { additionalProperties: false },
  ),
  needsConfirmation: false,
  decisive: true,
  check: async (args, state) => unknownLinks(args.link_ids ?? [], state),
  describe: (args) => `export ${args.link_ids ? `${args.link_ids.length} links` : 'the startup links'} as CSV`,
  async execute(args, _ports, state) {
    const links = args.link_ids
      ? args.link_ids.map((id) => state.links.get(id)!)
      : [...state.links.values()].filter((link) => link.kind === 'startup');
    const csv = csvOfLinks(links);
    state.exports.push(csv);
    return { rows: links.length, csv };
  },
});

/** Spreadsheet-safe CSV (see `writeCsv`): one row per link; `website` as `companyWebsite` gives it. */
export function csvOfLinks(links: readonly LinkCandidate[]): string {
  return writeCsv(
    ['name', 'website', 'link', 'domain', 'context'],
    links.map((link) => {
      const domain = destinationDomain(link);
      return [link.name, companyWebsite({ url: link.url, domain }), link.url, domain ?? '', link.context];
    }),
  );
}

export const tools = [
  extractLinksTool,
  listCandidatesTool,
  lookupCompanyTool,
  addCompanyTool,
  tagCompanyTool,
  exportCsvTool,
] as unknown as readonly ToolDefinition[];

export function toolByName(name: string): ToolDefinition | undefined {
  return tools.find((tool) => tool.name === name);
}
