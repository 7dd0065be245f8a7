/**
 * The table's corrections as the job state makes them (not a startup, is a startup, rename) over the real
 * corrections state and the tools worker's `applyCorrections`: what is stored, what the table shows after and on
 * the next run, and that a correction that could not be stored says so and leaves every row where it was.
 */
import { describe, expect, it } from 'vitest';
import { applyCorrections } from '../../core/corrections/apply.ts';
import type { Correction } from '../../core/corrections/correction.ts';
import type { LinkCandidate, LinkReport } from '../../core/links/types.ts';
import { linkCandidate, MemoryCrm } from '../../core/bench/sandbox.ts';
import { CorrectionsState, type CorrectionStore } from '../corrections/corrections-state.svelte.ts';
import type { JobPorts } from './job-ports.ts';
import { NewsletterJob, type FinishedRun } from './job-state.svelte.ts';
import type { NewsletterInput } from './newsletter-input.ts';

const input: NewsletterInput = { kind: 'text', text: 'Frontier 42: Quillmark raised a seed round.' };
const DEC_3 = Date.UTC(2026, 11, 3, 9);

const scored = (overrides: Partial<LinkCandidate> & { id: string; domain: string; name: string }): LinkCandidate =>
  linkCandidate({
    kind: 'other',
    context: `${overrides.name} raised a seed round.`,
    reason: `Maybe a startup (${(overrides.score ?? 0.5).toFixed(2)}): + a company name as the anchor.`,
    ...overrides,
  });

/** As the tools worker reads it: certain startups, an uncertain link the rules turn down, one they turn down outright. */
const report: LinkReport = {
  format: 'text',
  links: [
    scored({ id: 'L1', domain: 'quillmark.dev', name: 'Quillmark', kind: 'startup', score: 0.9 }),
    scored({ id: 'L2', domain: 'tidewaterrobotics.io', name: 'Tidewater', kind: 'startup', score: 0.85 }),
    scored({ id: 'L3', domain: 'harborly.io', name: 'Harborly', score: 0.35 }),
    scored({ id: 'L4', domain: 'ferngrove.net', name: 'Ferngrove', score: 0.05 }),
  ],
  warnings: [],
  stats: { bytes: 400, occurrences: 4, ms: 1 },
  senderDomains: ['frontier42.example'],
};

/** The stored list's contract over an array (src/storage/corrections.ts keeps it in IndexedDB), able to fail. */
function memoryStore(): CorrectionStore & { saved: Correction[]; failWith: Error | null } {
  const store = {
    saved: [] as Correction[],
    failWith: null as Error | null,
    loadCorrections: async () => ({ corrections: [...store.saved], damaged: 0 }),
    saveCorrection: async (item: Correction) => {
      if (store.failWith) throw store.failWith;
      return (store.saved = [...store.saved.filter((known) => known.id !== item.id), item]);
    },
    removeCorrection: async (id: string) => (store.saved = store.saved.filter((known) => known.id !== id)),
    clearCorrections: async () => (store.saved = []),
    saveMerged: async (merged: readonly Correction[]) => (store.saved = [...merged]),
  };
  return store;
}

function setUp(crm = new MemoryCrm()) {
  const store = memoryStore();
  const learned = new CorrectionsState(store, () => DEC_3);
  const saved: FinishedRun[] = [];
  const ports: JobPorts = {
    // What the tools worker does on every run: the stored corrections applied right after extraction.
    extractLinks: async () => applyCorrections(report, store.saved),
    crm,
    engines: async () => ({ primary: null }),
  };
  const job = new NewsletterJob({
    ports: async () => ports,
    history: { save: async (run) => void saved.push(run) },
    corrections: learned,
  });
  return { job, store, learned, saved, crm };
}

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

describe('NewsletterJob corrections', () => {
  it('"Not a startup" stores a domain verdict, moves the row to Maybe with the reason, and holds until undone', async () => {
    const { job, store, learned, saved } = setUp();
    await job.start(input);
    expect(ids(job.rows)).toEqual(['L1', 'L2']);

    await job.markNotStartup('L2');
    expect(store.saved).toEqual([
      expect.objectContaining({
        kind: 'not-startup',
        domain: 'tidewaterrobotics.io',
        name: 'Tidewater',
        sender: 'frontier42.example',
        score: 0.85,
        date: '2026-12-03T09:00:00.000Z',
        source: 'results table: Frontier 42: Quillmark raised a seed round.',
      }),
    ]);
    expect(store.saved[0]!.features.length).toBeGreaterThan(0);
    expect(ids(job.rows)).toEqual(['L1']);
    expect(job.maybe.find((row) => row.id === 'L2')).toMatchObject({
      decidedBy: 'your correction',
      reason: 'Not a startup: you marked tidewaterrobotics.io as not a startup on 3 Dec.',
    });
    expect(ids(saved.at(-1)!.rows)).toEqual(['L1']);

    await job.start(input);
    expect(ids(job.rows)).not.toContain('L2');
    expect(job.maybe.find((row) => row.id === 'L2')?.reason).toBe(
      'Not a startup: you marked tidewaterrobotics.io as not a startup on 3 Dec.',
    );

    await learned.undo(store.saved[0]!.id);
    await job.start(input);
    expect(ids(job.rows)).toEqual(['L1', 'L2']);
  });

  it('"Is a startup" on a Maybe row and on a link the rules turned down: one correction each, both move into the table', async () => {
    const crm = new MemoryCrm([{ name: 'Ferngrove', domain: 'ferngrove.net' }]);
    const { job, store, saved } = setUp(crm);
    await job.start(input);
    expect(ids(job.maybe)).toEqual(['L3']);
    expect(ids(job.turnedDown)).toEqual(['L4']);
    expect(ids(job.turnedDownLinks)).toEqual(['L3', 'L4']);

    await job.markStartup('L3');
    await job.markStartup('L4');
    expect(store.saved.map((item) => [item.kind, item.domain])).toEqual([
      ['is-startup', 'harborly.io'],
      ['is-startup', 'ferngrove.net'],
    ]);
    expect(job.rows.map((row) => [row.id, row.status, row.promoted, row.reason])).toEqual([
      ['L1', 'not-in-crm', undefined, expect.any(String)],
      ['L2', 'not-in-crm', undefined, expect.any(String)],
      ['L3', 'not-in-crm', true, 'A startup: you marked harborly.io as a startup on 3 Dec.'],
      // Never a candidate, so never matched in the run: it is matched when it moves into the table.
      ['L4', 'in-crm', true, 'A startup: you marked ferngrove.net as a startup on 3 Dec.'],
    ]);
    expect(job.rows[3]).toMatchObject({ companyName: 'Ferngrove', evidence: ['domain ferngrove.net'] });
    expect(job.turnedDownLinks).toEqual([]);
    expect(saved.at(-1)).toMatchObject({ maybe: [], turnedDown: [] });

    await job.start(input);
    expect(ids(job.rows)).toEqual(['L1', 'L2', 'L3', 'L4']);
    expect(job.rows[3]!.decidedBy).toBe('rules');
  });

  it('a rename stores the new name and the next run uses it; a blank or unchanged name records nothing', async () => {
    const { job, store } = setUp();
    await job.start(input);
    await job.rename('L1', '  ');
    await job.rename('L1', 'Quillmark');
    expect(store.saved).toEqual([]);

    await job.rename('L1', ' Quillmark Writing Co ');
    expect(store.saved).toEqual([
      expect.objectContaining({ kind: 'rename', domain: 'quillmark.dev', newName: 'Quillmark Writing Co' }),
    ]);
    expect(job.rows[0]!.name).toBe('Quillmark Writing Co');
    await job.start(input);
    expect(job.rows[0]!.name).toBe('Quillmark Writing Co');
  });

  it('a correction that could not be stored says why and leaves every row, and history, as it was', async () => {
    const { job, store, saved } = setUp();
    await job.start(input);
    const before = job.run;
    store.failWith = new Error('The browser refused to store more data (quota exceeded).');

    await expect(job.markNotStartup('L2')).rejects.toThrow('quota exceeded');
    await expect(job.markStartup('L3')).rejects.toThrow('quota exceeded');
    await expect(job.markStartup('L4')).rejects.toThrow('quota exceeded');
    await expect(job.rename('L1', 'Quillmark Writing Co')).rejects.toThrow('quota exceeded');
    expect(job.run).toBe(before);
    expect(saved).toHaveLength(1);
    expect(store.saved).toEqual([]);
  });

  it('a link the rules turned down whose CRM match fails moves nowhere and records nothing', async () => {
    const crm = new MemoryCrm();
    crm.matchMany = async () => {
      throw new Error('HubSpot answered 503');
    };
    const { job, store } = setUp(crm);
    const ports = await job.ports();
    // The run itself matched through a working CRM; the CRM fails afterwards.
    await job.start(input, { ...ports, crm: new MemoryCrm() });
    job.crm = crm;
    await expect(job.markStartup('L4')).rejects.toThrow(
      'Ferngrove could not be checked against test CRM: HubSpot answered 503',
    );
    expect(ids(job.turnedDown)).toEqual(['L4']);
    expect(store.saved).toEqual([]);
  });

  it('without a corrections log, a correction says it is not available and changes nothing', async () => {
    const job = new NewsletterJob({
      ports: async () => ({
        extractLinks: async () => report,
        crm: null,
        engines: async () => ({ primary: null }),
      }),
    });
    await job.start(input);
    await expect(job.markNotStartup('L2')).rejects.toThrow('Corrections are not available here.');
    expect(ids(job.rows)).toEqual(['L1', 'L2']);
  });
});
