import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { planOracle } from '../../../tests/support/oracles.ts';
import { linkCandidate, linkReport, MemoryCrm } from '../../core/bench/sandbox.ts';
import type { ToolCall } from '../../core/agent/tool-calls.ts';
import { ToolState } from '../../core/agent/tools.ts';
import type { Company } from '../../core/crm/types.ts';
import { ScriptedEngine } from '../../core/engines/scripted.ts';
import { NewsletterJob } from '../job/job-state.svelte.ts';
import { AskState, NO_MODEL_FOR_ASK, type AskPorts } from './ask-state.svelte.ts';

const report = linkReport([
  linkCandidate({ id: 'L1', domain: 'tidewaterrobotics.io', name: 'Tidewater Robotics', kind: 'startup', score: 0.9 }),
  linkCandidate({ id: 'L2', domain: 'evil.example', name: 'Evil', kind: 'other', score: 0.2 }),
]);

function parts(calls: ToolCall[], options: { crm?: MemoryCrm; model?: boolean; previous?: ToolState } = {}) {
  const crm =
    options.crm ?? new MemoryCrm([{ id: 'c-tide', name: 'Tidewater Robotics', domain: 'tidewaterrobotics.io' }]);
  const engine = new ScriptedEngine(planOracle(calls, 'Tagged Tidewater Robotics.'));
  const extractions: AbortSignal[] = [];
  const ports: AskPorts = {
    crm,
    previous: options.previous ?? null,
    extractLinks: async (signal) => {
      extractions.push(signal);
      return structuredClone(report);
    },
    engines: async () =>
      options.model === false ? { primary: null, fallback: null } : { primary: engine, fallback: null },
  };
  return { crm, ports, extractions };
}

const tagTidewater: ToolCall[] = [
  { tool: 'extract_links', arguments: {} },
  { tool: 'lookup_company', arguments: { link_id: 'L1' } },
  { tool: 'tag_company', arguments: { company_id: 'c-tide', tags: ['newsletter-nov'] } },
];

async function pendingOf(ask: AskState) {
  await vi.waitFor(() => expect(ask.pending).not.toBeNull());
  return ask.pending!;
}

describe('AskState', () => {
  it('asks before a write and writes only after the yes, with the trace showing the confirmed policy gate', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag the robotics startups newsletter-nov';
    const { crm, ports } = parts(tagTidewater);
    const written: Company[] = [];
    const running = ask.run({ ...ports, onWrite: (company) => written.push(company) });
    const pending = await pendingOf(ask);
    expect(pending.request.tool).toBe('tag_company');
    expect(pending.request.summary).toBe('Tag Tidewater Robotics with newsletter-nov');
    expect(crm.companies.get('c-tide')!.tags).toEqual([]);
    ask.respond(true);
    const result = await running;
    expect(result?.outcome).toBe('answered');
    expect(ask.status).toBe('answered');
    expect(ask.answer).toBe('Tagged Tidewater Robotics.');
    expect(ask.writes).toBe(1);
    expect(written.map((company) => [company.id, company.tags])).toEqual([['c-tide', ['newsletter-nov']]]);
    expect(crm.companies.get('c-tide')!.tags).toEqual(['newsletter-nov']);
    const executed = ask.trace!.steps.filter((step) => step.kind === 'execute');
    expect(executed.map((step) => step.call?.tool)).toEqual(['extract_links', 'lookup_company', 'tag_company']);
    expect(executed[2]!.gates).toEqual([
      { gate: 'policy', ok: true, detail: 'the user confirmed: Tag Tidewater Robotics with newsletter-nov' },
    ]);
  });

  it('a no writes nothing and the model is told it was declined', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag them';
    const { crm, ports } = parts(tagTidewater);
    const running = ask.run(ports);
    await pendingOf(ask);
    ask.respond(false);
    await running;
    expect(crm.writes).toEqual([]);
    expect(crm.companies.get('c-tide')!.tags).toEqual([]);
    expect(ask.writes).toBe(0);
    const tagStep = ask.trace!.steps.find((step) => step.kind === 'execute' && step.call?.tool === 'tag_company')!;
    expect(tagStep.gates[0]).toMatchObject({ gate: 'policy', ok: false });
    expect(tagStep.result).toMatchObject({ declined: true });
  });

  it('an answer to a question that was already replaced is ignored', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag them';
    const first = parts(tagTidewater);
    void ask.run(first.ports);
    const stale = await pendingOf(ask);
    const second = parts(tagTidewater);
    const running = ask.run(second.ports);
    await vi.waitFor(() => expect(ask.pending).not.toBe(stale));
    await pendingOf(ask);
    ask.respond(true, stale);
    expect(ask.pending).not.toBeNull();
    ask.respond(false, ask.pending!);
    await running;
    expect(first.crm.writes).toEqual([]);
    expect(second.crm.writes).toEqual([]);
  });

  it('a write the newsletter text asks for still waits for the user (prompt injection)', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'summarise the newsletter';
    const { crm, ports } = parts([
      { tool: 'extract_links', arguments: {} },
      { tool: 'add_company', arguments: { link_id: 'L2', name: 'Evil' } },
    ]);
    const running = ask.run(ports);
    const pending = await pendingOf(ask);
    expect(pending.request.summary).toContain('evil.example');
    ask.respond(false);
    await running;
    expect(crm.writes).toEqual([]);
    expect([...crm.companies.values()].map((company) => company.domain)).toEqual(['tidewaterrobotics.io']);
  });

  it('cancel while a confirmation is open declines it, aborts the run and drops its late result', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag them';
    const { crm, ports, extractions } = parts(tagTidewater);
    const running = ask.run(ports);
    await pendingOf(ask);
    ask.cancel();
    expect(ask.pending).toBeNull();
    expect(ask.status).toBe('cancelled');
    expect(extractions[0]!.aborted).toBe(true);
    expect(await running).toBeNull();
    expect(ask.status).toBe('cancelled');
    expect(crm.writes).toEqual([]);
  });

  it('the newest Ask wins: a second run declines the first one’s open confirmation', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag them';
    const first = parts(tagTidewater);
    const firstRun = ask.run(first.ports);
    const firstPending = await pendingOf(ask);
    const second = parts(tagTidewater);
    const secondRun = ask.run(second.ports);
    expect(await firstRun).toBeNull();
    const secondPending = await pendingOf(ask);
    expect(secondPending.run).toBeGreaterThan(firstPending.run);
    ask.respond(true);
    expect((await secondRun)?.outcome).toBe('answered');
    expect(first.crm.writes).toEqual([]);
    expect(second.crm.companies.get('c-tide')!.tags).toEqual(['newsletter-nov']);
  });

  it('starts from the newsletter run’s links and companies when it read the same input', async () => {
    const previous = new ToolState();
    previous.setReport(structuredClone(report));
    previous.executed.set('{"tool":"extract_links","arguments":{}}', {});
    const ask = new AskState(() => 0);
    ask.instruction = 'list the startups';
    const { ports, extractions } = parts([{ tool: 'list_candidates', arguments: { kind: 'startup' } }], { previous });
    const result = await ask.run(ports);
    expect(result?.outcome).toBe('answered');
    expect(extractions).toEqual([]);
    const list = ask.trace!.steps.find((step) => step.kind === 'execute')!;
    expect(list.result).toEqual([expect.objectContaining({ id: 'L1', domain: 'tidewaterrobotics.io' })]);
    // The earlier run's calls are not repeats in this one; its state is not changed by the Ask.
    expect(result!.state).not.toBe(previous);
    expect(result!.state.executed.has('{"tool":"extract_links","arguments":{}}')).toBe(false);
  });

  it('says clearly that Ask needs a model when there is none, and that an empty instruction needs words', async () => {
    const ask = new AskState(() => 0);
    ask.instruction = 'tag them';
    expect(await ask.run(parts(tagTidewater, { model: false }).ports)).toBeNull();
    expect(ask.status).toBe('failed');
    expect(ask.reason).toBe(NO_MODEL_FOR_ASK);
    expect(ask.announcement).toContain('Settings');

    ask.instruction = '   ';
    expect(await ask.run(parts(tagTidewater).ports)).toBeNull();
    expect(ask.reason).toMatch(/Type an instruction first/);
  });

  it('announces each state change to a screen reader as it happens', async () => {
    const cleanup = $effect.root(() => undefined);
    try {
      const ask = new AskState(() => 0);
      ask.instruction = 'tag them';
      const running = ask.run(parts(tagTidewater).ports);
      flushSync();
      expect(ask.running).toBe(true);
      expect(ask.announcement).toBe('Getting the model ready…');
      await pendingOf(ask);
      flushSync();
      expect(ask.announcement).toBe('Waiting for your confirmation…');
      expect(ask.shownTrace?.outcome).toBe('running…');
      expect(ask.shownTrace?.steps.length).toBe(ask.steps.length);
      ask.respond(true);
      await running;
      flushSync();
      expect(ask.running).toBe(false);
      expect(ask.announcement).toBe('Done, 1 change written to the CRM.');
      expect(ask.shownTrace?.outcome).toBe('answered');
    } finally {
      cleanup();
    }
  });

  it("asks about the newsletter job's input with its ports, and each confirmed write updates its table", async () => {
    const { crm, ports } = parts([
      { tool: 'extract_links', arguments: {} },
      { tool: 'add_company', arguments: { link_id: 'L1', tags: [] } },
    ]);
    const input = { kind: 'text' as const, text: 'Tidewater Robotics https://tidewaterrobotics.io/' };
    crm.companies.clear();
    const job = new NewsletterJob({
      ports: async () => ({ extractLinks: async () => structuredClone(report), crm, engines: ports.engines }),
    });
    await job.start(input);
    expect(job.rows.map((row) => [row.id, row.status])).toEqual([['L1', 'not-in-crm']]);

    const ask = new AskState(() => 0);
    ask.instruction = 'add Tidewater';
    const running = ask.askAbout(input, job);
    await pendingOf(ask);
    expect(ask.crmLabel).toBe('test CRM');
    ask.respond(true);
    expect((await running)?.outcome).toBe('answered');
    expect(job.rows[0]).toMatchObject({
      status: 'in-crm',
      evidence: ['written to test CRM by Ask (domain tidewaterrobotics.io)'],
    });

    const noCrm = new NewsletterJob({ ports: async () => ({ ...(await job.ports()), crm: null }) });
    expect(await ask.askAbout(input, noCrm)).toBeNull();
    expect(ask.reason).toMatch(/Ask needs a CRM/);
  });
});
