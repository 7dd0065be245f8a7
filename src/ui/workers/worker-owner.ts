/**
 * Owns one worker's life on the main thread: starts it on first use, turns an AbortSignal
 * into `terminate()` (a Comlink call cannot be cancelled any other way), and notices a crash.
 * A crashed worker rejects every pending call at once instead of leaving it hanging, and the
 * next call starts a fresh worker. Components never touch `Worker` themselves.
 */

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

export class JobCancelledError extends Error {
  override name = 'AbortError';
  constructor() {
    super('Cancelled.');
  }
}

export interface WorkerEvents {
  /** The worker died (script error, out of memory); it restarts on the next call. */
  onCrash?: (error: WorkerCrashedError) => void;
}

export class WorkerOwner<Handle> {
  #worker: Worker | undefined;
  #handle: Handle | undefined;
  #crashed: Promise<never> | undefined;
  #failCrashed: ((error: WorkerCrashedError) => void) | undefined;
  #restarts = 0;

  constructor(
    readonly label: string,
    private readonly spawn: () => Worker,
    private readonly connect: (worker: Worker) => Handle,
    private readonly events: WorkerEvents = {},
  ) {}

  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** How many times the worker was replaced after a crash since the page loaded. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The raw worker, started if needed: for protocols that are not request/response. */
  worker(): Worker {
    this.#ensureStarted();
    return this.#worker!;
  }

  /** Runs one job on the worker; aborting it terminates the worker (restarted lazily). */
  async run<T>(job: (handle: Handle) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new JobCancelledError();
    this.#ensureStarted();
    const handle = this.#handle!;
    const crashed = this.#crashed!;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.terminate();
        reject(new JobCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([job(handle), crashed, aborted]);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  terminate(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#handle = undefined;
    this.#crashed = undefined;
    this.#failCrashed = undefined;
  }

  #ensureStarted(): void {
    if (this.#worker) return;
    const worker = this.spawn();
    this.#crashed = new Promise<never>((_, reject) => {
      this.#failCrashed = reject;
    });
    // Nobody may be awaiting when the crash happens; the rejection is still delivered to later racers.
    this.#crashed.catch(() => undefined);
    const onFailure = (event: ErrorEvent | MessageEvent) => {
      if (this.#worker !== worker) return;
      const message = (event as Partial<ErrorEvent>).message;
      const detail = typeof message === 'string' && message ? `: ${message}` : '';
      const error = new WorkerCrashedError(`The ${this.label} stopped unexpectedly${detail}. It has been restarted.`);
      event.preventDefault();
      const fail = this.#failCrashed;
      this.terminate();
      this.#restarts += 1;
      fail?.(error);
      this.events.onCrash?.(error);
    };
    worker.addEventListener('error', onFailure);
    worker.addEventListener('messageerror', onFailure);
    this.#worker = worker;
    this.#handle = this.connect(worker);
  }
}
