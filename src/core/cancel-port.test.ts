import { describe, expect, it } from 'vitest';
import { cancelPortFor, signalFromPort } from './cancel-port.ts';

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

describe('cancel port (an AbortSignal across a real MessageChannel)', () => {
  it("aborts the worker side's signal when the page's signal aborts", async () => {
    const controller = new AbortController();
    const page = cancelPortFor(controller.signal);
    const worker = signalFromPort(page.port);
    expect(worker.signal.aborted).toBe(false);
    controller.abort();
    await aborted(worker.signal);
    expect(worker.signal.aborted).toBe(true);
    worker.close();
    page.release();
  });

  it('carries an abort that happened before the call', async () => {
    const page = cancelPortFor(AbortSignal.abort());
    const worker = signalFromPort(page.port);
    await aborted(worker.signal);
    worker.close();
    page.release();
  });

  it('gives a signal that never aborts when no port came with the call', () => {
    const { signal, close } = signalFromPort(undefined);
    expect(signal.aborted).toBe(false);
    close();
  });
});
