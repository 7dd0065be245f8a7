/**
 * App-wide notices: things the user must hear about that no single view owns (a worker that
 * crashed and restarted, storage that is full). Shown by `Notices.svelte` in a live region.
 */

export type NoticeTone = 'info' | 'error';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
}

export class Notices {
  list = $state<Notice[]>([]);
  #nextId = 1;

  /** Repeats of the same text are folded into one notice, so a crash loop does not flood the screen. */
  show(text: string, tone: NoticeTone = 'info'): number {
    const existing = this.list.find((notice) => notice.text === text);
    if (existing) return existing.id;
    const id = this.#nextId++;
    this.list.push({ id, tone, text });
    return id;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
