import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import { ScriptedEngine } from '../../core/engines/scripted.ts';
import type { LinkCandidate, LinkReport } from '../../core/links/types.ts';
import { company, MemoryCrm } from '../../core/bench/sandbox.ts';
import type { JobPorts } from './job-ports.ts';
import { NewsletterJob, type FinishedRun } from './job-state.svelte.ts';
import type { NewsletterInput } from './newsletter-input.ts';

const html: NewsletterInput = {
  kind: 'html',
  html: '<title>Frontier 42</title><a href="https://quillmark.dev">Quillmark</a>',
  plain: 'Quillmark',
};

function link(id: string, domain: string, name: string, kind: LinkCandidate['kind'], score: number): LinkCandidate {
  return {
    id,
    url: `https://${domain}/`,
    host: domain,
    domain,
    kind,
    score,
    features: ['anchor names a company'],
    name,
    text: name,
    context: `${name} raised a seed round.`,
    heading: 'Funding',
    isImage: false,
    needsNetwork: false,
    tracker: id === 'L1' ? 'beehiiv' : null,
    occurrences: 1,
    firstPosition: Number(id.slice(1)),
    originalHref: `https://${domain}/`,
  };
}

const sampleReport: LinkReport = {
  format: 'html',
  links: [
    link('L1', 'quillmark.dev', 'Quillmark', 'startup', 0.9),
    link('L2', 'tidewaterrobotics.io', 'Tidewater', 'startup', 0.85),
    link('L3', 'maybe.app', 'Maybe', 'other', 0.55),
    link('L4', 'x.com', 'X', 'social', 0.9),
  ],
  warnings: [],
  stats: { bytes: 1000, occurrences: 4, ms: 3 },
};

/** A CRM that knows quillmark.dev, answering the way every backend does. */
function crmKnowingQuillmark(): CrmBackend & { queries: MatchQuery[] } {
  const queries: MatchQuery[] = [];
  return {
    label: 'Test CRM',
    queries,
    async matchMany(batch: MatchQuery[]): Promise<MatchResult[]> {
      queries.push(...batch);
      return batch.map((query) =>
        query.domain === 'quillmark.dev'
          ? {
              status: 'in-crm',
              company: company({ id: 'c1', name: 'Quillmark Inc', domain: 'quillmark.dev', website: null }),
              evidence: [{ kind: 'domain', detail: 'domain quillmark.dev' }],
            }
          : { status: 'not-in-crm', company: null, evidence: [] },
      );
    },
    add: () => Promise.reject(new Error('not in this test')),
    tag: () => Promise.reject(new Error('not in this test')),
  };
}

const toolsOnly: JobPorts['engines'] = async () => ({ primary: null });

function ports(overrides: Partial<JobPorts> = {}): JobPorts {
  return { extractLinks: async () => sampleReport, crm: crmKnowingQuillmark(), engines: toolsOnly, ...overrides };
}

/** A promise the test resolves when it chooses, to look at the job mid-run. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('NewsletterJob', () => {
  it('tools-only: the rules pick the startups, the CRM marks what it knows, each stage reports', async () => {
    const job = new NewsletterJob({ clock: () => 1000, newId: () => 'run-1' });
    const crm = crmKnowingQuillmark();
    const finished = await job.start(html, ports({ crm }));

    expect(job.status).toBe('done');
    expect(job.mode).toBe('tools-only');
    // L3 is uncertain and leans startup (score ≥ 0.5); the social link never reaches the table.
    expect(job.rows.map((row) => [row.name, row.status, row.decidedBy])).toEqual([
      ['Quillmark', 'in-crm', 'rules'],
      ['Tidewater', 'not-in-crm', 'rules'],
      ['Maybe', 'not-in-crm', 'rules (no model loaded)'],
    ]);
    expect(job.rows[0]).toMatchObject({ evidence: ['domain quillmark.dev'], companyName: 'Quillmark Inc' });
    expect(crm.queries.map((query) => query.domain)).toEqual(['quillmark.dev', 'tidewaterrobotics.io', 'maybe.app']);
    expect(job.stages.map((stage) => stage.status)).toEqual(['done', 'done', 'done', 'skipped']);
    expect(job.stage('links').detail).toBe(
      '4 distinct links in 3 ms, 1 unwrapped from trackers, 2 sure startups, 1 uncertain.',
    );
    expect(job.stage('crm').detail).toBe('3 candidates checked: 1 in the CRM, 0 possible, 2 not in it.');
    expect(finished).toMatchObject({ id: 'run-1', mode: 'tools-only', finishedAt: 1000, title: 'Frontier 42' });
    expect(job.trace?.steps.length).toBeGreaterThan(0);
    expect(job.announcement).toBe('Done: 3 startups, 2 new.');
  });

  it('keeps the uncertain links turned down as Maybe rows with their reason; promote and dismiss act in one step', async () => {
    const report: LinkReport = {
      ...sampleReport,
      links: [
        ...sampleReport.links,
        {
          ...link('L5', 'tinyrocket.io', 'Tiny Rocket', 'other', 0.3),
          reason: 'Maybe a startup (0.30): a one-word anchor.',
        },
        { ...link('L6', 'slowboat.dev', 'Slowboat', 'other', 0.25), reason: 'Maybe a startup (0.25).' },
        {
          ...link('L7', 'xn--pple-43d.com', 'Apple', 'startup', 0.9),
          lookAlike: {
            unicode: 'аpple.com',
            punycode: 'xn--pple-43d.com',
            why: 'looks like apple.com',
            looksLike: 'apple.com',
          },
        },
      ],
    };
    const job = new NewsletterJob();
    await job.start(html, ports({ extractLinks: async () => report }));
    expect(job.maybe.map((row) => [row.id, row.name, row.reason])).toEqual([
      ['L5', 'Tiny Rocket', 'Maybe a startup (0.30): a one-word anchor.'],
      ['L6', 'Slowboat', 'Maybe a startup (0.25).'],
    ]);
    expect(job.run?.maybe?.map((row) => row.id)).toEqual(['L5', 'L6']);
    expect(job.rows.find((row) => row.id === 'L7')?.lookAlike).toEqual({
      unicode: 'аpple.com',
      punycode: 'xn--pple-43d.com',
      why: 'looks like apple.com',
    });

    job.promote('L5');
    expect(job.rows.map((row) => row.id)).toEqual(['L1', 'L2', 'L3', 'L5', 'L7']);
    expect(job.rows[3]).toMatchObject({ promoted: true, decidedBy: 'you (promoted from Maybe)' });
    job.dismissMaybe('L6');
    expect(job.maybe).toEqual([]);
    expect(job.run?.rows.map((row) => row.id)).toEqual(['L1', 'L2', 'L3', 'L5', 'L7']);
    expect(job.run?.maybe).toEqual([]);
  });

  it('without a CRM, every row is new and the CRM stage says why it was skipped', async () => {
    const job = new NewsletterJob();
    await job.start(html, ports({ crm: null }));
    expect(job.rows.every((row) => row.status === 'not-in-crm')).toBe(true);
    expect(job.stage('crm')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('No CRM') });
  });

  it('with a model, the model judges the uncertain link, and its calls show in the model stage and the trace', async () => {
    const engine = new ScriptedEngine([
      '{"L3": {"startup": false, "name": "Maybe"}}',
      '{"L3": {"startup": false, "name": "Maybe"}}',
    ]);
    const progress: (number | null)[] = [];
    const job = new NewsletterJob();
    await job.start(
      html,
      ports({
        engines: async (_signal, onProgress) => {
          onProgress({ text: 'Loading the model: 50%', progress: 0.5 });
          progress.push(job.stage('model').progress);
          return { primary: engine };
        },
      }),
    );
    expect(progress).toEqual([0.5]);
    expect(job.mode).toBe('model');
    // The model said no where the rules leaned yes; a second sample agreed, so the model's answer stands.
    expect(job.rows.map((row) => row.name)).toEqual(['Quillmark', 'Tidewater']);
    expect(engine.requests).toHaveLength(2);
    expect(engine.requests[0]?.messages[1]?.content).toContain('L3 maybe.app');
    expect(job.stage('model')).toMatchObject({
      status: 'done',
      detail: expect.stringContaining('1 uncertain link judged'),
    });
    expect(job.traceSteps.filter((step) => step.engine !== null)).toHaveLength(2);
  });

  it('shows live progress while a stage runs, and cancel stops it and drops the late result', async () => {
    const cleanup = $effect.root(() => undefined);
    const pending = deferred<LinkReport>();
    let aborted = false;
    const job = new NewsletterJob();
    const running = job.start(html, {
      ...ports(),
      extractLinks: (_input, signal) => {
        signal.addEventListener('abort', () => (aborted = true));
        return pending.promise;
      },
    });
    await vi.waitFor(() => expect(job.stage('links').status).toBe('running'));
    flushSync();
    expect(job.running).toBe(true);
    expect(job.stage('reading').status).toBe('done');
    expect(job.stage('links').status).toBe('running');
    expect(job.announcement).toContain('Finding and unwrapping links');

    job.cancel();
    flushSync();
    expect(aborted).toBe(true);
    expect(job.status).toBe('cancelled');
    expect(job.stage('links').status).toBe('cancelled');

    pending.resolve(sampleReport);
    expect(await running).toBeNull();
    expect(job.rows).toEqual([]);
    expect(job.status).toBe('cancelled');
    cleanup();
  });

  it('the newest run wins: a second start cancels the first', async () => {
    const slow = deferred<LinkReport>();
    const job = new NewsletterJob();
    const first = job.start(html, ports({ extractLinks: () => slow.promise }));
    const second = job.start(html, ports());
    slow.resolve({ ...sampleReport, links: [link('L9', 'stale.io', 'Stale', 'startup', 0.95)] });
    expect(await first).toBeNull();
    expect((await second)?.rows.map((row) => row.name)).toEqual(['Quillmark', 'Tidewater', 'Maybe']);
    expect(job.status).toBe('done');
  });

  it('a failing tool fails its stage with the message, and empty input is refused', async () => {
    const job = new NewsletterJob();
    await job.start(html, ports({ extractLinks: () => Promise.reject(new Error('the worker ran out of memory')) }));
    expect(job.status).toBe('failed');
    expect(job.stage('links')).toMatchObject({ status: 'failed', detail: 'the worker ran out of memory' });
    expect(job.announcement).toBe('The run stopped: the worker ran out of memory');

    await job.start({ kind: 'text', text: '   ' }, ports());
    expect(job.stage('reading').status).toBe('failed');
    expect(job.error).toMatch(/nothing to read/);
  });

  it('reopens a saved run, with its trace and the CRM its ports name', async () => {
    const crm = crmKnowingQuillmark();
    const job = new NewsletterJob({ ports: async () => ports({ crm }) });
    const finished = await job.start(html);
    job.reset();
    expect(job.rows).toEqual([]);
    expect(job.crm).toBe(crm);
    job.crm = null;
    job.reopen(finished!);
    expect(job.status).toBe('done');
    expect(job.rows).toEqual(finished!.rows);
    // The saved trace comes back with the run: a reopened table still shows how it was decided.
    expect(job.trace).toEqual(finished!.trace);
    expect(job.trace?.steps.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(job.crm).toBe(crm));
    job.reopen({ ...finished!, trace: { steps: 'damaged' } });
    expect(job.trace).toBeNull();
  });

  it('keeps the rows in one place and saves every change to history', async () => {
    const saved: FinishedRun[] = [];
    const crm = new MemoryCrm();
    const job = new NewsletterJob({
      ports: async () => ports({ crm }),
      history: { save: async (run) => void saved.push(run) },
    });
    const finished = await job.start(html);
    expect(saved).toEqual([finished]);

    // Added from the table: the row says so, and history keeps the run as it now reads.
    const tidewater = job.rows[1]!;
    const added = await job.addToCrm(tidewater);
    expect(added).toMatchObject({ id: 'L2', status: 'in-crm', companyName: 'Tidewater' });
    expect(crm.companies.size).toBe(1);
    expect(job.rows[1]).toEqual(added);
    expect(job.run?.rows[1]).toEqual(added);
    expect(saved.at(-1)?.rows[1]).toEqual(added);

    // Written by an Ask: the row of that company changes the same way.
    job.companyWritten(await crm.add({ name: 'Maybe', domain: 'maybe.app', source: 'test' }), 'test CRM');
    expect(job.rows[2]).toMatchObject({
      status: 'in-crm',
      evidence: ['written to test CRM by Ask (domain maybe.app)'],
    });
    expect(saved).toHaveLength(3);
    expect(saved.at(-1)?.rows[2]?.status).toBe('in-crm');
  });

  it('says when history could not be saved, and a run whose ports fail says why', async () => {
    const problems: string[] = [];
    const job = new NewsletterJob({
      ports: async () => ports(),
      history: { save: () => Promise.reject(new Error('the disk is full')) },
      report: (problem) => problems.push(problem),
    });
    expect(await job.start(html)).not.toBeNull();
    expect(problems).toEqual(['This run was not saved to history: the disk is full']);

    const broken = new NewsletterJob({ ports: () => Promise.reject(new Error('the CRM settings are damaged')) });
    expect(await broken.start(html)).toBeNull();
    expect(broken.stage('reading')).toMatchObject({
      status: 'failed',
      detail: 'The run could not start: the CRM settings are damaged',
    });
  });
});
