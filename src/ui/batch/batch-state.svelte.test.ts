import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { cancelPortFor } from '../../core/cancel-port.ts';
import { batchFile, mbox, newsletter } from '../../core/batch/test-messages.ts';
import type { CompanyDraft, MatchQuery } from '../../core/crm/types.ts';
import { ScriptedEngine } from '../../core/engines/scripted.ts';
import { requestedIds, requestedLinks } from '../../../tests/support/oracles.ts';
import { summariseRun } from '../fallback/run-summary.ts';
import {
  appendToBatch,
  appendVerdicts,
  deleteBatch,
  lastCompleteTableKeys,
  latestBatch,
  listBatches,
  loadBatch,
  saveBatchHead,
  saveBatchTally,
  startBatch,
} from '../../storage/batch-runs.ts';
import { batchApi } from '../../../workers/batch-api.ts';
import { BatchState, type BatchWorkerPort } from './batch-state.svelte.ts';

/** The worker's own functions in-process, with the same cancel port the page sends. */
const inProcess: BatchWorkerPort = {
  warm: async () => 'pong',
  prescan: async (files, onProgress, signal) => {
    const cancel = cancelPortFor(signal);
    try {
      return await batchApi.prescanBatch(files, {}, onProgress, cancel.port);
    } finally {
      cancel.release();
    }
  },
  run: async (files, options, onEvents, signal) => {
    const cancel = cancelPortFor(signal);
    try {
      return await batchApi.runBatch(files, options, onEvents, cancel.port);
    } finally {
      cancel.release();
    }
  },
};

const storage = {
  startBatch,
  appendToBatch,
  appendVerdicts,
  saveBatchHead,
  saveBatchTally,
  latestBatch,
  loadBatch,
  lastCompleteTableKeys,
  measuredSpeed: async () => ({ model: 'test-model', prefillTokensPerS: 400, decodeTokensPerS: 20 }),
};

function memoryCrm() {
  const added: CompanyDraft[] = [];
  return {
    added,
    label: 'a test CRM',
    matchMany: async (queries: MatchQuery[]) =>
      queries.map((query) => {
        const company = added.find((draft) => draft.domain === query.domain);
        return company
          ? { status: 'in-crm' as const, company: { ...company, id: company.name } as never, evidence: [] }
          : { status: 'not-in-crm' as const, company: null, evidence: [] };
      }),
    add: async (draft: CompanyDraft) => {
      added.push(draft);
      return { ...draft, id: draft.name } as never;
    },
  };
}

function issue(index: number, sender: 'weekly' | 'relay'): string {
  const startup = ['Quillmate', 'Ferrowave', 'Lumenpath'][index % 3]!;
  const domain = `${startup.toLowerCase()}.io`;
  if (sender === 'relay')
    return newsletter({
      from: 'Shop <orders@shop.example>',
      listId: undefined,
      messageId: `relay-${index}@shop.example`,
      html: `<p><a href="https://${domain}">${startup}</a>, a startup, raised $2M.</p>`,
    });
  return newsletter({
    messageId: `weekly-${index}@example-news.com`,
    subject: `Weekly #${index}`,
    date: `Mon, ${String(1 + index).padStart(2, '0')} Jan 2025 09:00:00 +0000`,
    // The last link is one the rules are unsure of: the model's budget counts it.
    html: `<h3>Deals</h3><p><a href="https://quillmate.io">Quillmate</a>, a startup, raised $4M.</p><p><a href="https://${domain}">${startup}</a>, a startup from Porto, raised $1M.</p><h3>Tools</h3><p>Worth a look: <a href="https://nimbusfold.com/pricing">Nimbusfold</a> for notes.</p>`,
  });
}

/**
 * An issue with one link the rules lean towards (Nimbusfold, a bare name on its home page: 0.61 with the committed
 * weights) and one they lean against (a Kelpstack guide on its docs host: 0.31): both inside the band the model judges
 * (0.2 to 0.8).
 */
function unsureIssue(index: number): string {
  return newsletter({
    messageId: `unsure-${index}@example-news.com`,
    subject: `Weekly #${index}`,
    date: `Mon, ${String(1 + index).padStart(2, '0')} Feb 2025 09:00:00 +0000`,
    html: `<h3>Deals</h3><p><a href="https://quillmate.io">Quillmate</a>, a startup, raised $4M.</p><h3>Tools</h3><p><a href="https://nimbusfold.com/">Nimbusfold</a></p><p>See the <a href="https://docs.kelpstack.dev/">Kelpstack guide</a>.</p>`,
  });
}

type Answer = { startup: boolean; name: string };

/**
 * A small model as it reaches the agent: Qwen3's name (so its answers open with the empty think block), JSON laid
 * out with spaces, and at temperature 0 the same answer to the same question every time, mistakes included.
 */
function qwenJudge(answer: (domain: string) => Answer, onRequest: (index: number) => void = () => undefined) {
  return new ScriptedEngine(
    (request, index) => {
      onRequest(index);
      const domains = new Map(requestedLinks(request).map((link) => [link.id, link.domain]));
      return JSON.stringify(Object.fromEntries(requestedIds(request).map((id) => [id, answer(domains.get(id) ?? '')])));
    },
    { id: 'webllm:Qwen3-0.6B-q4f16_1-MLC', model: 'Qwen3-0.6B-q4f16_1-MLC', location: 'on-device', size: 'small' },
    { layout: 'spaced' },
  );
}

const modelPort = (engine: ScriptedEngine) => ({
  describe: () => ({ model: engine.info.model }),
  engines: async () => ({ primary: engine, fallback: null }),
});

/** Right about both: Nimbusfold, only recommended in passing, is not a startup the issue reports on; Kelpstack is one. */
const rightAnswers = (domain: string): Answer =>
  domain === 'kelpstack.dev' ? { startup: true, name: 'Kelpstack' } : { startup: false, name: domain.split('.')[0]! };

async function cleanStore() {
  for (const entry of await listBatches()) await deleteBatch(entry.id);
}

describe('BatchState', () => {
  it('finds senders, runs the ticked ones, merges the table and checks it against the CRM; Add writes only what it is given', async () => {
    await cleanStore();
    const crm = memoryCrm();
    const state = new BatchState(inProcess, storage, async () => crm);
    const files = [batchFile('Inbox.mbox', mbox([0, 1, 2, 3, 4, 5].map((i) => issue(i, 'weekly'))))];
    await state.choose(files);
    expect(state.phase).toBe('choosing');
    expect(state.scan?.senders.map((sender) => [sender.name, sender.count])).toEqual([['Example Weekly', 6]]);
    expect(state.expected).toBe(6);
    await state.start();
    expect(state.status).toBe('complete');
    expect(state.table.map((startup) => [startup.name, startup.mentions])).toEqual([
      // The rules' own call on the unsure link, until a model judges it.
      ['Nimbusfold', 6],
      ['Quillmate', 6],
      // A tie goes to the one seen last.
      ['Lumenpath', 2],
      ['Ferrowave', 2],
    ]);
    expect(Object.values(state.matches).map((match) => match.status)).toEqual(Array(4).fill('not-in-crm'));
    expect(state.addable).toHaveLength(4);
    // The budget line: one unsure link per newsletter, one call each, timed at the measured speed.
    expect(state.judgeWork).toMatchObject({ links: 6, calls: 6 });
    const { promptTokens, outputTokens } = state.judgeWork;
    expect(state.judgeMs).toBe(Math.round((promptTokens / 400 + outputTokens / 20) * 1000));
    await state.addToCrm([state.table[2]!]);
    expect(crm.added.map((draft) => draft.name)).toEqual(['Lumenpath']);
    expect(state.crmMessage).toBe('Lumenpath was added to a test CRM.');
    expect(state.addable.map((startup) => startup.name)).toEqual(['Nimbusfold', 'Quillmate', 'Ferrowave']);
  });

  it('keeps what a cancelled run read; a new page offers to continue the same files and reads only the rest', async () => {
    await cleanStore();
    const crm = memoryCrm();
    const messages = Array.from({ length: 60 }, (_, i) => issue(i, 'weekly'));
    const files = [batchFile('Inbox.mbox', mbox(messages), { lastModified: 1 })];
    const first = new BatchState(
      {
        ...inProcess,
        // The page cancels as soon as the first results are in.
        run: (runFiles, options, onEvents, signal) =>
          inProcess.run(
            runFiles,
            options,
            async (crossing) => {
              await onEvents(crossing);
              if (crossing.events.some((event) => event.type === 'newsletter')) first.cancel();
            },
            signal,
          ),
      },
      storage,
      async () => crm,
    );
    await first.choose(files);
    await first.start();
    expect(first.status).toBe('cancelled');
    const kept = first.newsletters.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(60);

    const second = new BatchState(inProcess, storage, async () => crm);
    await second.load();
    expect(second.unfinished?.checkpoint.done).toHaveLength(kept);
    expect(second.table[0]?.mentions).toBe(kept);
    await second.choose([batchFile('Inbox.mbox', mbox(messages), { lastModified: 1 })]);
    expect(second.canContinue).toBe(true);
    await second.start(true);
    expect(second.status).toBe('complete');
    expect(second.progress?.resumed).toBe(kept);
    expect(second.progress?.processed).toBe(60 - kept);
    expect(second.table[0]?.mentions).toBe(60);
    expect(second.unfinished).toBeNull();
    expect(await lastCompleteTableKeys('none')).not.toBeNull();
  });

  it('a batch saved as running (the tab closed mid-way) reopens as stopped, with its table, and can continue', async () => {
    await cleanStore();
    const crm = memoryCrm();
    const files = [batchFile('Inbox.mbox', mbox([issue(0, 'weekly'), issue(1, 'weekly')]), { lastModified: 1 })];
    const first = new BatchState(
      {
        ...inProcess,
        // The tab closes after the first crossing was saved: the run never reports back.
        run: (runFiles, options, onEvents, signal) =>
          inProcess.run(
            runFiles,
            options,
            async (crossing) => {
              await onEvents(crossing);
              await new Promise(() => undefined);
            },
            signal,
          ),
      },
      storage,
      async () => crm,
    );
    await first.choose(files);
    void first.start();
    // One crossing holds what was read in its first 100 ms: both newsletters on a quiet machine, one on a busy one.
    await expect.poll(async () => (await latestBatch())?.batch.checkpoint.done.length ?? 0).toBeGreaterThan(0);
    const reopened = new BatchState(inProcess, storage, async () => crm);
    await reopened.load();
    expect(reopened.status).toBe('cancelled');
    expect(reopened.unfinished?.status).toBe('running');
    expect(reopened.table.map((startup) => startup.name)).toContain('Quillmate');
    await reopened.choose([
      batchFile('Inbox.mbox', mbox([issue(0, 'weekly'), issue(1, 'weekly')]), { lastModified: 1 }),
    ]);
    expect(reopened.canContinue).toBe(true);
  });

  it('the model judges the unsure links: a rejected one leaves the table, a judged one joins it with who decided; the calls fill the 2×2 summary', async () => {
    await cleanStore();
    const engine = qwenJudge(rightAnswers);
    const state = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(engine));
    await state.choose([batchFile('Inbox.mbox', mbox([0, 1, 2].map(unsureIssue)))]);
    await state.start();
    // Before the model: the rules' leaning (Nimbusfold in, Kelpstack out).
    expect(state.table.map((startup) => startup.name).sort()).toEqual(['Nimbusfold', 'Quillmate']);
    expect(state.remainingWork).toMatchObject({ links: 6, calls: 3 });
    const keys = state.newsletters.map((item) => item.key);
    expect(keys.map((key) => state.tallies.get(key))).toEqual(
      Array(3).fill({ startups: 2, unsureLinks: 2, judged: false }),
    );
    // History lists the batch with its table's size before any model judged it.
    expect((await listBatches())[0]?.tally).toEqual({ startups: 2, notInCrm: 2, unsureLinks: 6, judgedLinks: 0 });

    await state.judge();
    expect(keys.map((key) => state.tallies.get(key))).toEqual(
      Array(3).fill({ startups: 2, unsureLinks: 2, judged: true }),
    );
    expect((await listBatches())[0]?.tally).toEqual({ startups: 2, notInCrm: 2, unsureLinks: 6, judgedLinks: 6 });
    expect(state.judgeProblem).toBe('');
    expect(state.judgeMessage).toBe('Qwen3-0.6B-q4f16_1-MLC judged 6 links in 3 newsletters.');
    expect(state.table.map((startup) => [startup.name, startup.mentions])).toEqual([
      // Equal mentions on the same days: by name.
      ['Kelpstack', 3],
      ['Quillmate', 3],
    ]);
    const kelpstack = state.table.find((startup) => startup.name === 'Kelpstack')!;
    expect(kelpstack.sources.map((source) => source.decidedBy)).toEqual(
      Array(3).fill('model, confirmed by a second sample'),
    );
    expect(state.remainingWork.links).toBe(0);
    // Every call the engine answered is counted, all on this device.
    expect(state.calls).toHaveLength(engine.requests.length);
    const summary = summariseRun(state.calls, []);
    expect(summary.cells.small.device.calls).toBe(engine.requests.length);
    expect(summary.cells.small['off-device'].calls + summary.cells.large['off-device'].calls).toBe(0);
    expect(state.matches[kelpstack.key]?.status).toBe('not-in-crm');
    // "New since the last batch" will compare with the judged table.
    expect((await lastCompleteTableKeys('none'))?.keys.sort()).toEqual(['domain:kelpstack.dev', 'domain:quillmate.io']);

    // A closed tab keeps the verdicts: the next page shows the judged table, its calls, nothing left to judge.
    const reopened = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(qwenJudge(rightAnswers)));
    await reopened.load();
    expect(reopened.table.map((startup) => startup.name)).toEqual(['Kelpstack', 'Quillmate']);
    expect(reopened.calls).toHaveLength(engine.requests.length);
    expect(reopened.remainingWork.links).toBe(0);
  });

  it('a model that keeps naming a company the newsletter never names is stopped by the gate each time, and the rules decide', async () => {
    await cleanStore();
    // The same wrong name at every sample and repair, as a small model at temperature 0 would answer.
    const engine = qwenJudge((domain) =>
      domain === 'nimbusfold.com' ? { startup: true, name: 'Cloudscape Labs' } : rightAnswers(domain),
    );
    const state = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(engine));
    await state.choose([batchFile('Inbox.mbox', mbox([unsureIssue(0)]))]);
    await state.start();
    const [key] = state.newsletters.map((item) => item.key);
    // The rules' pass: Quillmate, and Nimbusfold by the rules' leaning.
    expect(state.tallies.get(key!)).toEqual({ startups: 2, unsureLinks: 2, judged: false });
    await state.judge();
    // After judging the newsletter's row counts Kelpstack, which the model brought in.
    expect(state.tallies.get(key!)).toEqual({ startups: 3, unsureLinks: 2, judged: true });
    const names = state.table.map((startup) => startup.name);
    expect(names).not.toContain('Cloudscape Labs');
    const nimbusfold = state.table.find((startup) => startup.name === 'Nimbusfold')!;
    expect(nimbusfold.sources[0]?.decidedBy).toBe('rules (the model did not pass the gates)');
    expect(names).toContain('Kelpstack');
  });

  it('cancel stops judging after the newsletter in hand; what was judged is saved and judging again asks only about the rest', async () => {
    await cleanStore();
    const first = qwenJudge(rightAnswers, (index) => {
      // The user cancels while the first newsletter's first call is being answered (`state` exists by then).
      if (index === 0) state.cancel();
    });
    const state = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(first));
    await state.choose([batchFile('Inbox.mbox', mbox([0, 1, 2].map(unsureIssue)))]);
    await state.start();
    await state.judge();
    expect(state.judging).toBeNull();
    expect(state.judgeMessage).toMatch(/^Judging stopped after 0 of 6 links/);
    expect(state.remainingWork.links).toBe(6);
    expect(first.requests).toHaveLength(1);

    // Cancelled after the first newsletter this time: its verdicts are kept, a new page judges the other two.
    const engine = qwenJudge(rightAnswers, () => {
      // The closure runs only once `second` exists.
      if (second.judging && second.judging.newsletters >= 1) second.cancel();
    });
    const second = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(engine));
    await second.load();
    await second.judge();
    expect(second.remainingWork.links).toBe(4);
    expect(second.table.find((startup) => startup.name === 'Kelpstack')?.mentions).toBe(1);

    const third = new BatchState(inProcess, storage, async () => memoryCrm(), modelPort(qwenJudge(rightAnswers)));
    await third.load();
    expect(third.remainingWork.links).toBe(4);
    await third.judge();
    expect(third.remainingWork.links).toBe(0);
    expect(third.table.map((startup) => [startup.name, startup.mentions])).toEqual([
      // Equal mentions on the same days: by name.
      ['Kelpstack', 3],
      ['Quillmate', 3],
    ]);
  });

  it('without a model, judging says how to get one and changes nothing', async () => {
    await cleanStore();
    const state = new BatchState(inProcess, storage, async () => memoryCrm(), {
      describe: () => ({ reason: 'No on-device model is loaded yet: pick and load one in Settings.' }),
      engines: async () => ({ primary: null, fallback: null }),
    });
    await state.choose([batchFile('Inbox.mbox', mbox([unsureIssue(0)]))]);
    await state.start();
    const before = state.table;
    await state.judge();
    expect(state.judgeProblem).toBe('No on-device model is loaded yet: pick and load one in Settings.');
    expect(state.table).toEqual(before);
    expect(state.remainingWork.links).toBe(2);
  });

  it('leaves a sender seen only through a bulk relay unticked until the user ticks it', async () => {
    await cleanStore();
    const state = new BatchState(inProcess, storage, async () => memoryCrm());
    const relayed = issue(0, 'relay')
      .replace(/^List-(Id|Unsubscribe):.*\n/gm, '')
      .replace('MIME-Version', 'X-SES-Outgoing: 2025.01.06-1.1.1.1\nMIME-Version');
    await state.choose([batchFile('Inbox.mbox', mbox([issue(0, 'weekly'), relayed]))]);
    const relay = state.scan?.senders.find((sender) => sender.strength === 'relay');
    expect(relay, 'the relay-only sender is found').toBeDefined();
    expect(state.ticked[relay!.key]).toBe(false);
    expect(state.expected).toBe(1);
  });

  it('opens an older batch from History with its own table and queue; a deleted batch empties the view and cannot be opened', async () => {
    await cleanStore();
    let now = 1_000;
    const state = new BatchState(
      inProcess,
      storage,
      async () => memoryCrm(),
      undefined,
      () => (now += 10),
    );
    await state.choose([batchFile('Week1.mbox', mbox([issue(0, 'weekly')]))]);
    await state.start();
    const older = state.batchId!;
    await state.choose([batchFile('Week2.mbox', mbox([unsureIssue(1), unsureIssue(2)]))]);
    await state.start();
    expect(state.newsletters).toHaveLength(2);

    await state.open(older);
    expect(state.problem).toBe('');
    expect(state.batchId).toBe(older);
    expect(state.newsletters.map((item) => item.subject)).toEqual(['Weekly #0']);
    expect(state.table.map((startup) => startup.name).sort()).toEqual(['Nimbusfold', 'Quillmate']);
    expect(state.remainingWork.links).toBe(1);
    expect(state.unfinished).toBeNull();

    await deleteBatch(older);
    state.forget(older);
    expect(state.batchId).toBeNull();
    expect(state.table).toEqual([]);
    expect(state.newsletters).toEqual([]);
    expect(state.phase).toBe('idle');
    await state.open(older);
    expect(state.problem).toBe('That batch could not be opened: it was deleted or its saved data is damaged.');
    expect(await loadBatch(older)).toBeUndefined();
  });
});
