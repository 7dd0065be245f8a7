/**
 * Papa's own Blob reader slices the file by bytes and decodes each slice alone, which breaks a
 * multi-byte character that straddles two slices (one "é" per megabyte turns into "��"). This feeds
 * Papa text decoded in stream mode instead, through the Node-style stream interface Papa accepts.
 * Reading a Blob's stream yields to the event loop between chunks, so a cancel message gets through.
 */
import type { CsvEncoding } from './types.ts';

type StreamEvent = 'data' | 'end' | 'error';

const TEXT_BATCH = 1024 * 1024;

export class DecodedTextStream {
  readonly readable = true;
  bytesRead = 0;
  /** Characters handed to Papa so far: with its cursor, tells how long the unfinished row has grown. */
  charsEmitted = 0;
  #listeners: Record<StreamEvent, ((value?: unknown) => void)[]> = { data: [], end: [], error: [] };
  #started = false;
  #stopped = false;

  constructor(
    private readonly blob: Blob,
    private readonly encoding: CsvEncoding,
    private readonly onChunk: () => void,
  ) {}

  read(): void {}
  pause(): void {}
  resume(): void {}

  on(event: StreamEvent, listener: (value?: unknown) => void): void {
    this.#listeners[event].push(listener);
    if (!this.#started) {
      this.#started = true;
      // Papa registers all three listeners synchronously; start once it has.
      queueMicrotask(() => void this.#pump());
    }
  }

  removeListener(event: StreamEvent, listener: (value?: unknown) => void): void {
    this.#listeners[event] = this.#listeners[event].filter((candidate) => candidate !== listener);
  }

  stop(): void {
    this.#stopped = true;
  }

  #emit(event: StreamEvent, value?: unknown): void {
    for (const listener of [...this.#listeners[event]]) listener(value);
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder(this.encoding);
    try {
      // Fixed slices rather than blob.stream(): their size differs between engines, progress should not.
      for (let start = 0; start < this.blob.size; start += TEXT_BATCH) {
        const bytes = new Uint8Array(await this.blob.slice(start, start + TEXT_BATCH).arrayBuffer());
        if (this.#stopped) return;
        this.bytesRead += bytes.byteLength;
        this.#send(decoder.decode(bytes, { stream: true }));
      }
      this.#send(decoder.decode());
      this.#emit('end');
    } catch (error) {
      this.#emit('error', error);
    }
  }

  #send(text: string): void {
    this.charsEmitted += text.length;
    if (text) this.#emit('data', text);
    this.onChunk();
  }
}
