import { describe, expect, it } from 'vitest';
import { prescan } from './prescan.ts';
import { readSources } from './sources.ts';
import { batchFile, email, mbox, newsletter } from './test-messages.ts';

describe('prescan', () => {
  it('lists the senders of newsletters with counts, dates and latest subject, most first', async () => {
    const files = [
      batchFile(
        'Inbox.mbox',
        mbox([
          newsletter({ subject: 'W1', date: 'Mon, 06 Jan 2025 09:00:00 +0000' }),
          newsletter({ subject: 'W3', date: 'Mon, 20 Jan 2025 09:00:00 +0000' }),
          newsletter({ subject: 'W2', date: 'Mon, 13 Jan 2025 09:00:00 +0000' }),
          email({ from: 'Deals <deals@shop.example>', subject: 'Sale', headers: ['X-SES-Outgoing: 2025.01.01'] }),
          email({ subject: 'Lunch?' }),
        ]),
      ),
      batchFile('saved.html', '<p>hi</p>'),
    ];
    const summary = await prescan(readSources(files));
    expect(summary).toMatchObject({
      messages: 6,
      newsletters: 5,
      complete: true,
      problems: [],
      skipped: { personal: 1 },
    });
    expect(summary.senders).toEqual([
      {
        key: 'hello@example-news.com',
        name: 'Example Weekly',
        address: 'hello@example-news.com',
        domain: 'example-news.com',
        count: 3,
        firstDate: '2025-01-06T09:00:00.000Z',
        lastDate: '2025-01-20T09:00:00.000Z',
        latestSubject: 'W3',
        strength: 'list',
        signals: ['List-Unsubscribe', 'List-Id'],
      },
      expect.objectContaining({ key: 'deals@shop.example', count: 1, strength: 'relay' }),
      expect.objectContaining({ key: 'files', name: 'Files you chose', count: 1, strength: 'chosen-file' }),
    ]);
  });

  it('reports progress, problems, and a partial count when cancelled', async () => {
    const controller = new AbortController();
    const files = [
      batchFile('bad.mbox', 'not mail\n'),
      ...Array.from({ length: 20 }, (_, i) => batchFile(`${i}.eml`, newsletter({ subject: `${i}` }))),
    ];
    let clock = 0;
    const progress: number[] = [];
    const summary = await prescan(readSources(files, { signal: controller.signal }), {
      signal: controller.signal,
      now: () => (clock += 50),
      onProgress: ({ messages }) => {
        progress.push(messages);
        if (messages >= 5) controller.abort();
      },
    });
    expect(summary.complete).toBe(false);
    expect(summary.newsletters).toBeLessThan(20);
    expect(progress.length).toBeGreaterThan(0);
    expect(summary.problems).toEqual([expect.objectContaining({ where: 'bad.mbox', fatal: true })]);
  });
});
