/**
 * Reading a file as a stream of byte chunks: a multi-GB mailbox is never in memory whole. A `Blob` (a `File` in the
 * browser, `fs.openAsBlob` in Node) gives its own `ReadableStream`; tests pass any async iterable of chunks.
 */

export type ByteSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Counts the bytes read across every file of a batch, for a progress bar; the readers add to it. */
export interface ReadCounter {
  bytes: number;
}

/**
 * The chunks of `source`, in order. Stops (and releases the file) when `signal` aborts or the consumer stops
 * early; an aborted read ends quietly, since the caller checks the signal itself.
 */
export async function* readChunks(
  source: ByteSource,
  counter?: ReadCounter,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  if (typeof (source as Blob).stream === 'function' || typeof (source as ReadableStream).getReader === 'function') {
    const stream =
      typeof (source as Blob).stream === 'function' ? (source as Blob).stream() : (source as ReadableStream);
    const reader = (stream as ReadableStream<Uint8Array>).getReader();
    try {
      while (!signal?.aborted) {
        const { done, value } = await reader.read();
        if (done) return;
        if (counter) counter.bytes += value.length;
        yield value;
      }
    } finally {
      // Cancelling releases the file handle; a stream that already ended or errored rejects, which changes nothing.
      await reader.cancel().catch(() => undefined);
    }
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    if (signal?.aborted) return;
    if (counter) counter.bytes += chunk.length;
    yield chunk;
  }
}

/** The first bytes of a source without consuming it for later readers (a Blob is read again from the start). */
export async function headOf(blob: Blob, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, length).arrayBuffer());
}

export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0]!.slice();
  const size = total ?? parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part.subarray(0, Math.min(part.length, size - offset)), offset);
    offset += part.length;
    if (offset >= size) break;
  }
  return out;
}

/** Where `needle` first occurs in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return from;
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let at = haystack.indexOf(first, from); at >= 0 && at <= last; at = haystack.indexOf(first, at + 1)) {
    let k = 1;
    while (k < needle.length && haystack[at + k] === needle[k]) k++;
    if (k === needle.length) return at;
  }
  return -1;
}

/** Bytes as Latin-1 text: every byte one character, never a decoding error (separator lines, which are ASCII). */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
