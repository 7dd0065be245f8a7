import { describe, expect, it } from 'vitest';
import { NewestRun } from './newest-run.ts';

describe('NewestRun', () => {
  it('a second start makes the first run stale and aborts its signal', () => {
    const runs = new NewestRun();
    const first = runs.start();
    expect(first.isCurrent()).toBe(true);
    const second = runs.start();
    expect(first.isCurrent()).toBe(false);
    expect(first.signal.aborted).toBe(true);
    expect(second.isCurrent()).toBe(true);
    expect(second.signal.aborted).toBe(false);
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('drops a slow answer that arrives after a newer run started', async () => {
    const runs = new NewestRun();
    const shown: string[] = [];
    const answer = async (text: string, delay: Promise<void>) => {
      const ticket = runs.start();
      await delay;
      if (ticket.isCurrent()) shown.push(text);
    };
    let releaseSlow!: () => void;
    const slow = answer('old', new Promise<void>((resolve) => (releaseSlow = resolve)));
    const fast = answer('new', Promise.resolve());
    await fast;
    releaseSlow();
    await slow;
    expect(shown).toEqual(['new']);
  });

  it('cancel aborts the active run and says whether there was one', () => {
    const runs = new NewestRun();
    expect(runs.cancel()).toBe(false);
    const ticket = runs.start();
    expect(runs.active).toBe(true);
    expect(runs.cancel()).toBe(true);
    expect(ticket.signal.aborted).toBe(true);
    expect(ticket.isCurrent()).toBe(false);
    expect(runs.active).toBe(false);
    expect(runs.cancel()).toBe(false);
  });

  it('a run that ended is no longer active, and ending a replaced run leaves the newer one alone', () => {
    const runs = new NewestRun();
    const first = runs.start();
    runs.end(first);
    expect(runs.active).toBe(false);
    expect(first.isCurrent()).toBe(true);
    expect(runs.cancel()).toBe(false);

    const stale = runs.start();
    const fresh = runs.start();
    runs.end(stale);
    expect(runs.active).toBe(true);
    expect(fresh.isCurrent()).toBe(true);
  });
});
