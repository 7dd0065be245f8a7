import { describe, expect, it } from 'vitest';
import { markDone, newCheckpoint, readCheckpoint } from './checkpoint.ts';
import { prescan } from './prescan.ts';
import { type BatchEvent, type NewsletterInput, runBatch } from './runner.ts';
import { readSources } from './sources.ts';
import { batchFile, collect, email, mbox, newsletter } from './test-messages.ts';
import type { BatchFile } from './types.ts';

/** A stand-in for the pipeline: the subject, so tests see which newsletters went through. */
const subjectOf = async (input: NewsletterInput) => input.meta.subject;

const finished = <R>(events: BatchEvent<R>[]) => {
  const last = events.at(-1);
  if (last?.type !== 'finished') throw new Error('no finished event');
  return last.summary;
};
const results = <R>(events: BatchEvent<R>[]) =>
  events.flatMap((event) => (event.type === 'newsletter' ? [event.result] : []));

/** A clock that moves 10 ms each time it is read: estimates come out the same on any machine. */
function steppingClock(step = 10) {
  let time = 0;
  return () => (time += step);
}

const mailbox = (): BatchFile =>
  batchFile(
    'Inbox.mbox',
    mbox([
      newsletter({ subject: 'Weekly #1', messageId: 'w1@example-news.com' }),
      email({ subject: 'Lunch?', from: 'Bo <bo@example.net>' }),
      newsletter({ subject: 'Weekly #2', messageId: 'w2@example-news.com' }),
      newsletter({ subject: 'Weekly #1 (copy)', messageId: 'w1@example-news.com' }),
      newsletter({ subject: 'Deals', from: 'Deals <deals@shop.example>', messageId: 'd1@shop.example' }),
      email({ subject: 'Out of office', headers: ['Auto-Submitted: auto-replied'] }),
    ]),
  );

describe('runBatch', () => {
  it('runs each newsletter once through the pipeline and says what it skipped and why', async () => {
    const events = await collect(runBatch(readSources([mailbox()]), subjectOf));
    expect(results(events)).toEqual(['Weekly #1', 'Weekly #2', 'Deals']);
    const summary = finished(events);
    expect(summary).toMatchObject({ status: 'complete', processed: 3, failed: 0, resumed: 0 });
    expect(summary.skipped).toEqual({ personal: 1, duplicate: 1, 'auto-reply': 1 });
    expect(summary.skippedSentences).toContain(
      '1 message was personal or one-to-one mail (no list headers, not from a newsletter platform) and was left unread beyond its headers.',
    );
    const first = events.find((event) => event.type === 'newsletter');
    expect(first?.type === 'newsletter' && first.meta).toMatchObject({
      key: 'mid:w1@example-news.com',
      sender: { key: 'hello@example-news.com', name: 'Example Weekly', domain: 'example-news.com' },
      origin: { file: 'Inbox.mbox', index: 1 },
      date: '2025-01-06T09:00:00.000Z',
      strength: 'list',
    });
  });

  it('leaves out the senders the user unticked', async () => {
    const events = await collect(
      runBatch(readSources([mailbox()]), subjectOf, { excludedSenders: ['deals@shop.example'] }),
    );
    expect(results(events)).toEqual(['Weekly #1', 'Weekly #2']);
    expect(finished(events).skipped.unticked).toBe(1);
  });

  it('agrees with the pre-scan on what it will process, and counts progress against it', async () => {
    const scan = await prescan(readSources([mailbox()]));
    expect(scan).toMatchObject({ messages: 6, newsletters: 3, complete: true });
    expect(scan.senders.map((sender) => [sender.key, sender.count])).toEqual([
      ['hello@example-news.com', 2],
      ['deals@shop.example', 1],
    ]);
    expect(scan.skipped).toEqual({ personal: 1, duplicate: 1, 'auto-reply': 1 });
    const events = await collect(
      runBatch(readSources([mailbox()]), subjectOf, { expectedNewsletters: scan.newsletters, now: steppingClock() }),
    );
    const progress = events.flatMap((event) => (event.type === 'newsletter' ? [event.progress] : []));
    expect(progress.map((step) => [step.done, step.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(progress[0]?.etaMs).toBeGreaterThan(0);
    expect(progress[2]?.etaMs).toBe(0);
  });

  it('estimates time left from the bytes read when nothing was counted first', async () => {
    const files = [mailbox(), mailbox()];
    const events = await collect(
      runBatch(readSources(files), subjectOf, { totalBytes: files[0]!.blob.size * 2, now: steppingClock() }),
    );
    const first = events.find((event) => event.type === 'newsletter');
    expect(first?.type === 'newsletter' && first.progress.total).toBeNull();
    expect(first?.type === 'newsletter' && first.progress.etaMs).toBeGreaterThan(0);
  });

  it('stops at the next newsletter on cancel, and a checkpoint of what was done continues the batch', async () => {
    const files = [
      batchFile(
        'Inbox.mbox',
        mbox(
          Array.from({ length: 6 }, (_, i) =>
            newsletter({ subject: `Issue ${i}`, messageId: `i${i}@example-news.com` }),
          ),
        ),
      ),
    ];
    const controller = new AbortController();
    const checkpoint = newCheckpoint(files, 0);
    const firstRun: string[] = [];
    const firstEvents: BatchEvent<string>[] = [];
    for await (const event of runBatch(readSources(files, { signal: controller.signal }), subjectOf, {
      signal: controller.signal,
    })) {
      firstEvents.push(event);
      if (event.type !== 'newsletter') continue;
      firstRun.push(event.result);
      markDone(checkpoint, event.meta.key, 1);
      if (firstRun.length === 2) controller.abort();
    }
    expect(firstRun).toEqual(['Issue 0', 'Issue 1']);
    expect(finished(firstEvents).status).toBe('cancelled');

    // What a tab closed mid-run left in storage, read back and checked.
    const saved = readCheckpoint(JSON.parse(JSON.stringify(checkpoint)));
    expect(saved?.done).toEqual(['mid:i0@example-news.com', 'mid:i1@example-news.com']);
    const secondEvents = await collect(
      runBatch(readSources(files), subjectOf, { done: saved!.done, expectedNewsletters: 6 }),
    );
    expect(results(secondEvents)).toEqual(['Issue 2', 'Issue 3', 'Issue 4', 'Issue 5']);
    expect(finished(secondEvents)).toMatchObject({ status: 'complete', processed: 4, resumed: 2 });
    expect(finished(secondEvents).progress).toMatchObject({ done: 6, total: 6 });
  });

  it('cancels a newsletter whose processing honours the signal, without counting it as failed', async () => {
    const controller = new AbortController();
    const slow = (_input: NewsletterInput, signal: AbortSignal) =>
      new Promise<string>((_, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('Cancelled.', 'AbortError')));
        controller.abort();
      });
    const events = await collect(runBatch(readSources([mailbox()]), slow, { signal: controller.signal }));
    expect(finished(events)).toMatchObject({ status: 'cancelled', processed: 0, failed: 0 });
  });

  it('goes on after a newsletter the pipeline fails on, saying which and why', async () => {
    const flaky = async (input: NewsletterInput) => {
      if (input.meta.subject === 'Weekly #2') throw new Error('the parser ran out of road');
      return input.meta.subject;
    };
    const events = await collect(runBatch(readSources([mailbox()]), flaky));
    expect(results(events)).toEqual(['Weekly #1', 'Deals']);
    const failure = events.find((event) => event.type === 'failed');
    expect(failure?.type === 'failed' && failure.error).toBe(
      'Inbox.mbox › message 3 could not be read as a newsletter (the parser ran out of road); the batch went on without it.',
    );
    expect(finished(events)).toMatchObject({ processed: 2, failed: 1 });
  });

  it('keeps what came before a file that is not an mbox, says why, and reads the files after it', async () => {
    const files = [
      batchFile('a.eml', newsletter({ subject: 'Before' })),
      batchFile('notes.mbox', 'Shopping list\n- milk\n'),
      batchFile('b.eml', newsletter({ subject: 'After' })),
    ];
    const events = await collect(runBatch(readSources(files), subjectOf));
    expect(results(events)).toEqual(['Before', 'After']);
    expect(finished(events).problems).toEqual([
      {
        where: 'notes.mbox',
        problem:
          'notes.mbox is not an mbox: an mbox starts with a "From " line followed by mail headers, and this file does not.',
        fatal: true,
      },
    ]);
  });

  it('keeps the newsletters before a cut-off end and reads the last one as far as it goes', async () => {
    const whole = mbox([newsletter({ subject: 'One' }), newsletter({ subject: 'Two' })]);
    const files = [batchFile('cut.mbox', whole.slice(0, whole.lastIndexOf('--b1--')))];
    const events = await collect(runBatch(readSources(files), async (input) => input.meta.notes[0] ?? 'whole'));
    expect(results(events)).toEqual(['whole', expect.stringMatching(/cut\.mbox ends inside message 2/)]);
    expect(finished(events).problems).toHaveLength(1);
  });

  it('gets through an mbox of 100,000 tiny messages, skipping the personal ones by their headers', async () => {
    const personal = 'From x Mon Jan  6 09:00:00 2025\nFrom: a@example.org\nSubject: hi\n\nx\n';
    const listed = (i: number) =>
      `From x Mon Jan  6 09:00:00 2025\nFrom: n@example-news.com\nList-Id: <n.example-news.com>\nMessage-ID: <${i}@n>\nSubject: ${i}\n\nx\n`;
    let text = '';
    for (let i = 0; i < 100_000; i++) text += i % 10_000 === 0 ? listed(i) : personal;
    const events = await collect(runBatch(readSources([batchFile('tiny.mbox', text)]), subjectOf));
    const summary = finished(events);
    expect(summary).toMatchObject({ status: 'complete', processed: 10 });
    expect(summary.skipped).toEqual({ personal: 99_990 });
  });
});
