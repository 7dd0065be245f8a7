import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { CompanyDraft, CrmBackend, MatchQuery, MatchResult } from '../../core/crm/types.ts';
import type { LinkReport } from '../../core/links/types.ts';
import { candidate, report } from '../results/test-factories.ts';
import { NewsletterJob, type JobPorts, type ModelStep } from './job-state.svelte.ts';
import type { NewsletterInput } from './newsletter-input.ts';

const html: NewsletterInput = {
  kind: 'html',
  html: '<a href="https://quillmark.dev">Quillmark</a>',
  plain: 'Quillmark',
};

const sampleReport = report([
  candidate({ id: 'L1', name: 'Quillmark', domain: 'quillmark.dev', score: 0.9 }),
  candidate({ id: 'L2', name: 'Tidewater', domain: 'tidewaterrobotics.io', score: 0.8 }),
  candidate({ id: 'L3', name: 'Maybe', domain: 'maybe.app', score: 0.3 }),
  candidate({ id: 'L4', name: 'X', domain: 'x.com', kind: 'social', score: 0.9 }),
]);

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
              company: {
                id: 'c1',
                name: 'Quillmark',
                domain: 'quillmark.dev',
                aliasDomains: [],
                website: null,
                tags: [],
                source: 'manual',
                notes: '',
                externalId: null,
                createdAt: 0,
                updatedAt: 0,
              },
              evidence: [{ kind: 'domain', detail: 'domain quillmark.dev' }],
            }
          : { status: 'not-in-crm', company: null, evidence: [] },
      );
    },
    add: (_draft: CompanyDraft) => Promise.reject(new Error('not in this test')),
    tag: () => Promise.reject(new Error('not in this test')),
  };
}

function ports(overrides: Partial<JobPorts> = {}): JobPorts {
  return { extractLinks: async () => sampleReport, crm: crmKnowingQuillmark(), model: null, ...overrides };
}

/** A promise the test resolves when it chooses, to look at the job mid-run. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('NewsletterJob', () => {
  it('runs tools-only: ranks startup links, matches them in the CRM, and reports each stage', async () => {
    const job = new NewsletterJob(
      () => 1000,
      () => 'run-1',
    );
    const crm = crmKnowingQuillmark();
    const finished = await job.start(html, ports({ crm }));

    expect(job.status).toBe('done');
    expect(job.mode).toBe('tools-only');
    expect(job.rows.map((row) => [row.name, row.status])).toEqual([
      ['Quillmark', 'in-crm'],
      ['Tidewater', 'not-in-crm'],
    ]);
    expect(crm.queries).toEqual([
      { domain: 'quillmark.dev', name: 'Quillmark' },
      { domain: 'tidewaterrobotics.io', name: 'Tidewater' },
    ]);
    expect(job.stages.map((stage) => stage.status)).toEqual(['done', 'done', 'done', 'skipped']);
    expect(job.stage('crm').detail).toBe('1 in the CRM, 0 possible, 1 new.');
    expect(finished).toMatchObject({ id: 'run-1', mode: 'tools-only', finishedAt: 1000, title: 'Quillmark' });
    expect(job.announcement).toBe('Done: 2 startups, 1 new.');
  });

  it('without a CRM, every row is new and the CRM stage says why it was skipped', async () => {
    const job = new NewsletterJob();
    await job.start(html, ports({ crm: null }));
    expect(job.rows.every((row) => row.status === 'not-in-crm')).toBe(true);
    expect(job.stage('crm')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('No CRM') });
  });

  it('with a model, keeps only what the model confirms and never a link the tools did not extract', async () => {
    const seen: string[] = [];
    const model: ModelStep = {
      label: 'Scripted',
      async decide(_report, candidates, _signal, onProgress) {
        seen.push(...candidates.map((link) => link.id));
        onProgress({ text: 'judging', progress: 0.5 });
        return [
          { linkId: 'L3', isStartup: true, name: 'Maybe Inc', confidence: 0.7, reason: 'a seed round' },
          { linkId: 'L1', isStartup: false },
          { linkId: 'L99', isStartup: true, name: 'Invented' },
        ];
      },
    };
    const job = new NewsletterJob();
    await job.start(html, ports({ model }));
    // A wider net goes to the model (L3 scores 0.3), but social links never do.
    expect(seen).toEqual(['L1', 'L2', 'L3']);
    expect(job.mode).toBe('model');
    expect(job.rows.map((row) => [row.id, row.name, row.decidedBy])).toEqual([['L3', 'Maybe Inc', 'model']]);
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
    slow.resolve(report([candidate({ id: 'L9', name: 'Stale' })]));
    expect(await first).toBeNull();
    expect((await second)?.rows.map((row) => row.name)).toEqual(['Quillmark', 'Tidewater']);
    expect(job.status).toBe('done');
  });

  it('a failing tool fails its stage with the message, and the input is refused when empty', async () => {
    const job = new NewsletterJob();
    await job.start(html, ports({ extractLinks: () => Promise.reject(new Error('the worker ran out of memory')) }));
    expect(job.status).toBe('failed');
    expect(job.stage('links')).toMatchObject({ status: 'failed', detail: 'the worker ran out of memory' });
    expect(job.announcement).toBe('The run stopped: the worker ran out of memory');

    await job.start({ kind: 'text', text: '   ' }, ports());
    expect(job.stage('reading').status).toBe('failed');
    expect(job.error).toMatch(/nothing to read/);
  });

  it('reopens a saved run and updates a row after it was added to the CRM', async () => {
    const job = new NewsletterJob();
    const finished = await job.start(html, ports());
    job.reset();
    expect(job.rows).toEqual([]);
    job.reopen(finished!);
    expect(job.status).toBe('done');
    const tidewater = job.rows[1]!;
    job.updateRow({ ...tidewater, status: 'in-crm' });
    expect(job.run?.rows[1]?.status).toBe('in-crm');
  });
});
