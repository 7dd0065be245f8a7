/**
 * "The newest request wins", written once. Each run gets an id and an AbortSignal (svelte.dev's REPL
 * keeps one uid per request and ignores every answer whose uid is not the current one); starting a
 * new run or cancelling aborts the previous run's signal, and its late results stop counting, so a
 * slow first answer can never overwrite a newer one.
 */
export interface RunTicket {
  readonly id: number;
  /** Aborted when a newer run starts or the run is cancelled: pass it down to the work. */
  readonly signal: AbortSignal;
  /** True while this is the newest run and it was not cancelled: only then may its results land. */
  isCurrent(): boolean;
}

export class NewestRun {
  #id = 0;
  #controller: AbortController | null = null;

  /** A run is started and has neither ended nor been cancelled or replaced. */
  get active(): boolean {
    return this.#controller !== null;
  }

  /** Starts a run: the one before it is aborted and its results are dropped from now on. */
  start(): RunTicket {
    this.cancel();
    const id = ++this.#id;
    const controller = new AbortController();
    this.#controller = controller;
    return { id, signal: controller.signal, isCurrent: () => id === this.#id && !controller.signal.aborted };
  }

  /** Aborts the active run, if any. Returns whether there was one to cancel. */
  cancel(): boolean {
    const controller = this.#controller;
    this.#controller = null;
    this.#id += 1;
    if (!controller) return false;
    controller.abort();
    return true;
  }

  /** The run finished on its own; a run that was already replaced changes nothing. */
  end(ticket: RunTicket): void {
    if (ticket.isCurrent()) this.#controller = null;
  }
}
