/**
 * History's way to the batch view. The batch view loads after the first screen and owns its `BatchState`, so
 * History only names a batch here; a request made before the view has loaded waits for it. Kept tiny on purpose:
 * the app frame imports it, and the batch code stays out of the first screen.
 */

/** What opening a batch is for: to see its table, or to continue it (its files must be chosen again). */
export type BatchIntent = 'view' | 'continue';

/** The batch view's side, given by the view when it mounts. */
export interface BatchViewHandle {
  open(id: string, intent: BatchIntent): Promise<void>;
  /** The batch was deleted: the view stops showing it and never writes to it again. */
  forget(id: string): void;
}

export class BatchLink {
  /** The batch this tab is reading or judging: History neither deletes it nor offers to continue it. */
  busyId = $state<string | null>(null);
  #view: BatchViewHandle | null = null;
  #waiting: { id: string; intent: BatchIntent } | null = null;

  /** Called by the view on mount; returns the detach for its unmount. */
  attach(view: BatchViewHandle): () => void {
    this.#view = view;
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) void view.open(waiting.id, waiting.intent);
    return () => {
      if (this.#view === view) this.#view = null;
    };
  }

  async open(id: string, intent: BatchIntent): Promise<void> {
    if (this.#view) return this.#view.open(id, intent);
    this.#waiting = { id, intent };
  }

  forget(id: string): void {
    if (this.#waiting?.id === id) this.#waiting = null;
    this.#view?.forget(id);
  }
}

export const batchLink = new BatchLink();
