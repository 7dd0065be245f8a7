import { describe, expect, it, vi } from 'vitest';
import { JobCancelledError, WorkerCrashedError, WorkerOwner } from './worker-owner.ts';

/** Stands in for a Worker: the owner only uses events and terminate(). */
class FakeWorker extends EventTarget {
  terminated = false;
  terminate() {
    this.terminated = true;
  }
  crash(message: string) {
    const event = new Event('error', { cancelable: true });
    Object.assign(event, { message });
    this.dispatchEvent(event);
  }
}

function ownerWithFakes(onCrash?: (error: WorkerCrashedError) => void) {
  const spawned: FakeWorker[] = [];
  const owner = new WorkerOwner(
    'tools worker',
    () => {
      const worker = new FakeWorker();
      spawned.push(worker);
      return worker as unknown as Worker;
    },
    (worker) => worker as unknown as FakeWorker,
    { onCrash },
  );
  return { owner, spawned };
}

const never = () => new Promise<never>(() => undefined);

describe('WorkerOwner', () => {
  it('starts the worker only when the first job runs', async () => {
    const { owner, spawned } = ownerWithFakes();
    expect(spawned).toHaveLength(0);
    await expect(owner.run(async () => 42)).resolves.toBe(42);
    await owner.run(async () => 0);
    expect(spawned).toHaveLength(1);
  });

  it('rejects a pending job at once when the worker crashes, tells the user, and restarts on the next job', async () => {
    const onCrash = vi.fn();
    const { owner, spawned } = ownerWithFakes(onCrash);
    const pending = owner.run(never);
    spawned[0]!.crash('out of memory');
    await expect(pending).rejects.toThrow(WorkerCrashedError);
    await expect(pending).rejects.toThrow(/tools worker stopped unexpectedly: out of memory/);
    expect(onCrash).toHaveBeenCalledOnce();
    expect(spawned[0]!.terminated).toBe(true);
    await expect(owner.run(async () => 'again')).resolves.toBe('again');
    expect(spawned).toHaveLength(2);
    expect(owner.restarts).toBe(1);
  });

  it('cancels a job by terminating the worker, and the next job gets a fresh one', async () => {
    const { owner, spawned } = ownerWithFakes();
    const controller = new AbortController();
    const pending = owner.run(never, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow(JobCancelledError);
    expect(spawned[0]!.terminated).toBe(true);
    expect(owner.running).toBe(false);
    await owner.run(async () => 1);
    expect(spawned).toHaveLength(2);
  });

  it('refuses a job whose signal is already aborted without starting a worker', async () => {
    const { owner, spawned } = ownerWithFakes();
    await expect(owner.run(async () => 1, AbortSignal.abort())).rejects.toThrow(JobCancelledError);
    expect(spawned).toHaveLength(0);
  });

  it('ignores a crash of a worker it already replaced', async () => {
    const onCrash = vi.fn();
    const { owner, spawned } = ownerWithFakes(onCrash);
    await owner.run(async () => 1);
    owner.terminate();
    await owner.run(async () => 1);
    spawned[0]!.crash('late');
    expect(onCrash).not.toHaveBeenCalled();
  });
});
