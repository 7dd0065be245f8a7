import 'fake-indexeddb/auto';
import { zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { cancelPortFor } from '../src/core/cancel-port.ts';
import { mergeMentions } from '../src/core/batch/merge.ts';
import { bytesOf, email, mbox, newsletter } from '../src/core/batch/test-messages.ts';
import type { BatchFile } from '../src/core/batch/types.ts';
import { makeCorrection } from '../src/core/corrections/correction.ts';
import { clearCorrections, saveCorrection } from '../src/storage/corrections.ts';
import { type BatchEventBatch, type BatchRunEvent, batchApi } from './batch-api.ts';

/** What the page receives: real `File`s, as a drop gives them. */
const file = (name: string, content: string | Uint8Array): BatchFile => ({
  name,
  blob: new File([typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>)], name),
});

const issue = (n: number, company: string) =>
  newsletter({
    subject: `Example Weekly #${n}`,
    messageId: `issue-${n}@example-news.com`,
    date: `Mon, ${String(6 + n).padStart(2, '0')} Jan 2025 09:00:00 +0000`,
    html: `<h2>Fundings</h2><p><a href="https://${company.toLowerCase()}.io/">${company}</a>, a Lisbon startup that builds tools for small teams, raised $4M in a seed round led by Example Ventures.</p>`,
    body: `${company} raised $4M.\n`,
  });

function collectEvents() {
  const events: BatchRunEvent[] = [];
  const batches: BatchEventBatch[] = [];
  return {
    events,
    batches,
    onEvents: (batch: BatchEventBatch) => {
      batches.push(batch);
      events.push(...batch.events);
    },
  };
}

const newslettersOf = (events: BatchRunEvent[]) =>
  events.flatMap((event) => (event.type === 'newsletter' ? [event] : []));

describe('batchApi (the tools worker’s batch, over real files)', () => {
  beforeEach(async () => {
    await clearCorrections();
  });

  const files = () => [
    file('Inbox.mbox', mbox([issue(1, 'Quillmate'), email({ subject: 'Lunch?' }), issue(2, 'Tidewell')])),
    file('export.zip', zipSync({ 'issue-3.eml': bytesOf(issue(3, 'Quillmate')), 'notes.pdf': bytesOf('%PDF') })),
  ];

  it('pre-scans, runs each newsletter through the link pipeline, and gives mentions that merge into one table', async () => {
    const scan = await batchApi.prescanBatch(files());
    expect(scan).toMatchObject({ messages: 4, newsletters: 3, skipped: { personal: 1, 'unsupported-file': 1 } });
    expect(scan.senders).toEqual([expect.objectContaining({ key: 'hello@example-news.com', count: 3 })]);

    const { events, batches, onEvents } = collectEvents();
    const summary = await batchApi.runBatch(files(), { expectedNewsletters: scan.newsletters }, onEvents);
    expect(summary).toMatchObject({ status: 'complete', processed: 3, failed: 0 });
    expect(events.some((event) => (event as { type: string }).type === 'skipped')).toBe(false);
    expect(batches.at(-1)?.progress).toMatchObject({ done: 3, total: 3, skipped: 2 });

    const done = newslettersOf(events);
    expect(done.map((event) => event.meta.subject)).toEqual([
      'Example Weekly #1',
      'Example Weekly #2',
      'Example Weekly #3',
    ]);
    expect(done[0]?.result.report.format).toBe('eml');
    const table = mergeMentions(done.flatMap((event) => event.result.mentions));
    expect(table.map((row) => [row.name, row.domain, row.mentions])).toEqual([
      ['Quillmate', 'quillmate.io', 2],
      ['Tidewell', 'tidewell.io', 1],
    ]);
  });

  it('applies the person’s corrections to every newsletter, as a paste does', async () => {
    await saveCorrection(
      makeCorrection(
        'not-startup',
        { domain: 'tidewell.io', name: 'Tidewell', sender: 'example-news.com', features: [], score: 0.9 },
        { date: new Date(Date.UTC(2026, 11, 3, 10)), source: 'results table: test' },
      ),
    );
    const { events, onEvents } = collectEvents();
    await batchApi.runBatch(files(), {}, onEvents);
    const done = newslettersOf(events);
    const table = mergeMentions(done.flatMap((event) => event.result.mentions));
    expect(table.map((row) => row.domain)).toEqual(['quillmate.io']);
    const tidewell = done[1]!.result.report.links.find((link) => link.domain === 'tidewell.io')!;
    expect(tidewell.reason).toBe('Not a startup: you marked tidewell.io as not a startup on 3 Dec.');
    expect(done.flatMap((event) => event.result.report.warnings)).not.toContainEqual(
      expect.stringContaining('corrections could not be read'),
    );
  });

  it('stops on a cancel through its port, keeps what was sent, and continues from the keys done', async () => {
    const many = [file('Inbox.mbox', mbox(Array.from({ length: 30 }, (_, i) => issue(i, `Startup${i}`))))];
    const controller = new AbortController();
    const cancel = cancelPortFor(controller.signal);
    // The page's callback answers after the abort has reached the worker, as a Comlink round trip would.
    const delivered = new Promise<void>((resolve) => cancel.port.addEventListener('message', () => resolve()));
    const first = collectEvents();
    const summary = await batchApi.runBatch(
      many,
      {},
      async (batch) => {
        first.onEvents(batch);
        if (newslettersOf(first.events).length === 0 || controller.signal.aborted) return;
        controller.abort();
        await delivered;
      },
      cancel.port,
    );
    cancel.release();
    expect(summary.status).toBe('cancelled');
    const kept = newslettersOf(first.events);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(30);

    const rest = collectEvents();
    const resumed = await batchApi.runBatch(many, { done: kept.map((event) => event.meta.key) }, rest.onEvents);
    expect(resumed).toMatchObject({ status: 'complete', resumed: kept.length, processed: 30 - kept.length });
  });

  it('reads a newsletter with a broken MIME tree as far as it goes and says so in its warnings', async () => {
    const broken = [
      'From: Example Weekly <hello@example-news.com>',
      'List-Id: <weekly.example-news.com>',
      'Subject: Broken',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/html',
      '',
      '<p><a href="https://quillmate.io/">Quillmate</a> raised $4M.</p>',
      '--outer--',
      '',
    ].join('\r\n');
    const { events, onEvents } = collectEvents();
    await batchApi.runBatch([file('broken.eml', broken)], {}, onEvents);
    const [read] = newslettersOf(events);
    expect(read?.result.report.links.map((link) => link.domain)).toContain('quillmate.io');
    expect(read?.result.report.warnings[0]).toMatch(/MIME structure is damaged: the part marked "inner" never closes/);
  });

  it('keeps the results before a zip bomb, says what stopped, and reads the files after it', async () => {
    const bomb = zipSync({ 'bomb.eml': new Uint8Array(8 * 1_048_576) }, { level: 9 });
    const { events, onEvents } = collectEvents();
    const summary = await batchApi.runBatch(
      [file('a.eml', issue(1, 'Quillmate')), file('bomb.zip', bomb), file('b.eml', issue(2, 'Tidewell'))],
      {},
      onEvents,
    );
    expect(newslettersOf(events).map((event) => event.meta.subject)).toEqual([
      'Example Weekly #1',
      'Example Weekly #2',
    ]);
    expect(summary.problems).toEqual([
      expect.objectContaining({
        where: 'bomb.zip',
        fatal: true,
        problem: expect.stringMatching(/looks like a zip bomb/),
      }),
    ]);
  });
});
