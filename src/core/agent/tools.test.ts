import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  addCompanyTool,
  csvOfLinks,
  exportCsvTool,
  extractLinksTool,
  listCandidatesTool,
  lookupCompanyTool,
  tagCompanyTool,
  tools,
  ToolState,
} from './tools.ts';
import { linkCandidate, linkReport, MemoryCrm, sandboxPorts } from '../bench/sandbox.ts';

const report = linkReport([
  linkCandidate({ id: 'L1', domain: 'acme.ai', name: 'Acme', score: 0.9, context: 'Acme raised $5M.' }),
  linkCandidate({ id: 'L2', domain: 'twitter.com', kind: 'social', score: 0.05, name: 'Twitter' }),
  linkCandidate({ id: 'L3', domain: 'bolt.dev', name: '=HYPERLINK("evil")', score: 0.7 }),
]);

async function extracted(crm = new MemoryCrm([{ name: 'Acme', domain: 'acme.ai' }])) {
  const ports = sandboxPorts(report, crm);
  const state = new ToolState();
  await extractLinksTool.execute({}, ports, state);
  return { ports, state, crm };
}

describe('the tool registry', () => {
  it('has the six tools, each with an object schema that refuses unknown arguments', () => {
    expect(tools.map((tool) => tool.name)).toEqual([
      'extract_links',
      'list_candidates',
      'lookup_company',
      'add_company',
      'tag_company',
      'export_csv',
    ]);
    for (const tool of tools) {
      expect(Value.Check(tool.parameters, { surprise: 1 }), tool.name).toBe(false);
      if (tool.needsConfirmation) expect(tool.decisive, tool.name).toBe(true);
    }
    expect(tools.filter((tool) => tool.needsConfirmation).map((tool) => tool.name)).toEqual([
      'add_company',
      'tag_company',
    ]);
  });

  it('extract_links fills the run state and summarises by kind', async () => {
    const ports = sandboxPorts(report);
    const state = new ToolState();
    const result = (await extractLinksTool.execute({}, ports, state)) as { links: number; by_kind: object };
    expect(result).toMatchObject({ links: 3, by_kind: { startup: 2, social: 1 } });
    expect([...state.links.keys()]).toEqual(['L1', 'L2', 'L3']);
  });

  it('every other tool refuses to run before extract_links', async () => {
    const state = new ToolState();
    const ports = sandboxPorts(report);
    expect(await listCandidatesTool.check({}, state, ports)).toEqual(['no links yet: call extract_links first']);
    expect(await lookupCompanyTool.check({ link_id: 'L1' }, state, ports)).toEqual([
      'no links yet: call extract_links first',
    ]);
  });

  it('list_candidates filters by kind and score, best first', async () => {
    const { ports, state } = await extracted();
    const list = (await listCandidatesTool.execute({ kind: 'startup', min_score: 0.5 }, ports, state)) as Array<{
      id: string;
    }>;
    expect(list.map((item) => item.id)).toEqual(['L1', 'L3']);
  });

  it('lookup_company needs a link id that exists or a name, and remembers the company it finds', async () => {
    const { ports, state } = await extracted();
    expect(await lookupCompanyTool.check({}, state, ports)).toEqual(['give link_id or name']);
    expect((await lookupCompanyTool.check({ link_id: 'L9' }, state, ports))[0]).toMatch(/unknown link id L9/);
    const found = await lookupCompanyTool.execute({ link_id: 'L1' }, ports, state);
    expect(found).toMatchObject({ status: 'in-crm', company: { id: 'c1', name: 'Acme' } });
    expect(state.companies.has('c1')).toBe(true);
  });

  it('add_company refuses a company already in the CRM, and adds a new one with its website and context', async () => {
    const { ports, state, crm } = await extracted();
    expect((await addCompanyTool.check({ link_id: 'L1' }, state, ports))[0]).toMatch(
      /already in the CRM as Acme \(c1\)/,
    );
    expect(await addCompanyTool.check({ link_id: 'L3', name: 'Bolt' }, state, ports)).toEqual([]);
    expect(addCompanyTool.describe({ link_id: 'L3', name: 'Bolt', tags: ['nov'] }, state)).toBe(
      'Add Bolt (bolt.dev) to the CRM tagged nov',
    );
    crm.pendingConfirmations = 1;
    await addCompanyTool.execute({ link_id: 'L3', name: 'Bolt' }, ports, state);
    expect(crm.writes).toEqual([{ kind: 'add', detail: 'Bolt bolt.dev', confirmed: true }]);
  });

  it("add_company behind a tracker: stores no domain, and finds a duplicate by name, never by the tracker's domain", async () => {
    const tracked = linkReport([
      linkCandidate({ id: 'L1', domain: 'substack.com', needsNetwork: true, tracker: 'substack', name: 'Loomwise' }),
      linkCandidate({ id: 'L2', domain: 'substack.com', needsNetwork: true, tracker: 'substack', name: 'Gizmo' }),
    ]);
    const crm = new MemoryCrm([{ name: 'Gizmo', domain: null }]);
    const ports = sandboxPorts(tracked, crm);
    const state = new ToolState();
    await extractLinksTool.execute({}, ports, state);
    expect((await addCompanyTool.check({ link_id: 'L2' }, state, ports))[0]).toMatch(/Gizmo is already in the CRM/);
    expect(await addCompanyTool.check({ link_id: 'L1' }, state, ports)).toEqual([]);
    expect(addCompanyTool.describe({ link_id: 'L1' }, state)).toBe(
      'Add Loomwise (its address hidden by a tracker) to the CRM',
    );
    crm.pendingConfirmations = 1;
    await addCompanyTool.execute({ link_id: 'L1' }, ports, state);
    expect([...crm.companies.values()].find((company) => company.name === 'Loomwise')?.domain).toBeNull();
    // A second wrapped startup is not taken for the first by the tracker's domain.
    expect(await addCompanyTool.check({ link_id: 'L2', name: 'Driftwell' }, state, ports)).toEqual([]);
  });

  it('tag_company accepts only companies the run has seen, and only new tags', async () => {
    const { ports, state } = await extracted();
    expect((await tagCompanyTool.check({ company_id: 'c1', tags: ['x'] }, state, ports))[0]).toMatch(
      /lookup_company first/,
    );
    await lookupCompanyTool.execute({ link_id: 'L1' }, ports, state);
    expect(await tagCompanyTool.check({ company_id: 'c1', tags: ['x'] }, state, ports)).toEqual([]);
    expect(Value.Check(tagCompanyTool.parameters, { company_id: 'c1', tags: ['Not a tag'] })).toBe(false);
    expect(Value.Check(tagCompanyTool.parameters, { company_id: 'c1', tags: [] })).toBe(false);
  });

  it('export_csv exports the startup links by default, with formula-looking cells defused', async () => {
    const { ports, state } = await extracted();
    const result = (await exportCsvTool.execute({}, ports, state)) as { rows: number; csv: string };
    expect(result.rows).toBe(2);
    expect(result.csv.split('\r\n')[0]).toBe('name,website,link,domain,context');
    expect(result.csv).toContain(`"'=HYPERLINK(""evil"")"`);
    expect(state.exports).toEqual([result.csv]);
    expect(csvOfLinks([])).toBe('name,website,link,domain,context\r\n');
  });

  it("export_csv leaves the website empty behind a tracker: the redirect is not the company's site", () => {
    const url = 'https://substack.com/redirect/abc?j=reader';
    const csv = csvOfLinks([
      linkCandidate({
        id: 'L1',
        url,
        domain: 'substack.com',
        needsNetwork: true,
        tracker: 'substack',
        name: 'Loomwise',
      }),
    ]);
    expect(csv.split('\r\n')[1]).toBe(`Loomwise,,${url},,`);
  });
});
