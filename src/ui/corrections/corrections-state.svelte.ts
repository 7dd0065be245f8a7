/**
 * What Sift learned on this device: the person's corrections, the actions that make and undo them, and an import
 * that is previewed before anything is merged. Storage is injected, so tests build fresh instances over plain objects.
 */
import { correctionNote, makeCorrection } from '../../core/corrections/correction.ts';
import type { Correction, CorrectionBasis, CorrectionKind } from '../../core/corrections/correction.ts';
import { exportCorrections, previewMerge, readCorrectionsFile } from '../../core/corrections/exchange.ts';
import type { MergePreview } from '../../core/corrections/exchange.ts';
import * as storage from '../../storage/corrections.ts';
import { messageOf } from '../../core/text/error-message.ts';

export interface CorrectionStore {
  loadCorrections(): Promise<{ corrections: Correction[]; damaged: number }>;
  saveCorrection(correction: Correction): Promise<Correction[]>;
  removeCorrection(id: string): Promise<Correction[]>;
  clearCorrections(): Promise<Correction[]>;
  saveMerged(merged: readonly Correction[]): Promise<Correction[]>;
}

export class CorrectionsState {
  list = $state.raw<Correction[]>([]);
  /** The import waiting for the person's yes, with the file's name. */
  pending = $state.raw<{ fileName: string; preview: MergePreview } | null>(null);
  message = $state('');
  error = $state<string | null>(null);
  loaded = $state(false);

  readonly #store: CorrectionStore;
  readonly #clock: () => number;

  constructor(store: CorrectionStore = storage, clock: () => number = Date.now) {
    this.#store = store;
    this.#clock = clock;
  }

  async load(): Promise<void> {
    try {
      const { corrections, damaged } = await this.#store.loadCorrections();
      this.list = corrections;
      this.error = damaged > 0 ? `${damaged} stored corrections were damaged and are not used.` : null;
    } catch (error) {
      this.error = `Your corrections could not be read: ${messageOf(error)}`;
    }
    this.loaded = true;
  }

  /** Records a correction; throws with the reason when it cannot be saved (the table then stays as it was). */
  async record(kind: CorrectionKind, basis: CorrectionBasis, source: string, newName?: string): Promise<Correction> {
    const correction = makeCorrection(kind, basis, {
      date: this.#clock(),
      source,
      ...(newName === undefined ? {} : { newName }),
    });
    this.list = await this.#store.saveCorrection(correction);
    this.message = `Sift learned: ${correctionNote(correction)}.`;
    return correction;
  }

  async undo(id: string): Promise<void> {
    const undone = this.list.find((item) => item.id === id);
    await this.#act(async () => {
      this.list = await this.#store.removeCorrection(id);
      if (undone) this.message = `Undone: ${correctionNote(undone)}. Your next run ranks without it.`;
    });
  }

  async clear(): Promise<void> {
    await this.#act(async () => {
      const count = this.list.length;
      this.list = await this.#store.clearCorrections();
      this.message = `Cleared ${count} corrections.`;
    });
  }

  exportText(): string {
    return exportCorrections(this.list, this.#clock());
  }

  /** Reads a file and shows what merging it would change; nothing is stored until `confirmImport`. */
  previewImport(text: string, fileName: string): void {
    this.pending = null;
    try {
      const read = readCorrectionsFile(text, fileName);
      this.pending = { fileName, preview: previewMerge(this.list, read, `imported from ${fileName}`) };
      this.error = null;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  async confirmImport(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    await this.#act(async () => {
      this.list = await this.#store.saveMerged(pending.preview.merged);
      const { added, replacing } = pending.preview;
      this.message = `Imported from ${pending.fileName}: ${added.length} added, ${replacing.length} replaced.`;
      this.pending = null;
    });
  }

  cancelImport(): void {
    this.pending = null;
    this.message = 'Import cancelled; nothing changed.';
  }

  async #act(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.error = null;
    } catch (error) {
      this.error = `Nothing changed: ${messageOf(error)}`;
    }
  }
}

export const corrections = new CorrectionsState();
