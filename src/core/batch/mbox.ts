/**
 * Splitting an mbox into its messages, chunk by chunk, holding one message at a time.
 *
 * What real exports look like (RFC 4155; the qmail mbox(5) page; Thunderbird's own reader):
 * - A message starts at a separator line `From ` + anything: `From MAILER-DAEMON Fri Jul  8 12:08:34 2011`,
 *   Thunderbird's `From - Mon Jul 11 12:08:34 2011`, Gmail Takeout's `From 1790123456789012345@xxx Mon Jan 01 …`,
 *   or a bare `From ` (Got Your Back). Writers that do not escape body lines (mboxo, "lazy" quoting, some
 *   Thunderbird exports) leave `From ` lines inside bodies, so, as Thunderbird's converter does, a `From ` line
 *   separates only when a header field follows it. No blank line is required before it: some writers leave none.
 * - Body lines that begin with `>*From ` were escaped on writing; one `>` is removed (mboxrd, which reads mboxo's
 *   single-`>` escapes right too).
 * - Lines end in LF, or CRLF (Gmail Takeout): both are kept as they are; the MIME parser reads either.
 * - ImportExportTools NG on macOS writes a bogus `>From - <date>` line right after the separator: it is dropped.
 * - The last message may lack its final newline; a file cut off mid-download ends inside a message, which is
 *   reported (inside its headers: skipped; inside a multipart body: read as far as it goes).
 * Content-Length (mboxcl2) is not trusted: it is often stale after a client edits a message.
 */
import {
  asciiBytes,
  concatBytes,
  indexOfBytes,
  latin1,
  type ReadCounter,
  readChunks,
  type ByteSource,
} from './byte-stream.ts';
import { formatSize } from '../links/parse/detect.ts';
import { headerEnd, multipartBoundary, readHeaderBlock } from './headers.ts';
import { DEFAULT_LIMITS, type EmailItem, type ItemOrigin, type SourceItem } from './types.ts';

export interface MboxMessage {
  bytes: Uint8Array;
  /** 1-based position in the file. */
  index: number;
  /** The separator line, without its line end. */
  envelope: string;
  /** Why the message is incomplete, in words, when it is. */
  cutOff?: string;
}

export type MboxOutput =
  { kind: 'message'; message: MboxMessage } | { kind: 'problem'; problem: string; fatal: boolean; index?: number };

export interface MboxOptions {
  /** How the file is named in sentences (`Inbox.mbox`). */
  label: string;
  /** A message's bytes beyond this are dropped (its headers always survive); the message says it was cut. */
  maxMessageBytes?: number;
}

const LF = 10;
const CR = 13;
const GT = 62;
const FROM_SPACE = asciiBytes('From ');
/** An incomplete line longer than this is not held back for the next chunk: no separator or header is that long. */
const CARRY_LIMIT = 4096;
/** How far a header name may run before its colon. */
const MAX_FIELD_NAME = 200;
/** Bogus `>From ` lines tolerated between a separator and the first header. */
const MAX_BOGUS_LINES = 2;

function startsWithFrom(bytes: Uint8Array, at: number, end: number): boolean {
  if (end - at < 5) return false;
  for (let k = 0; k < 5; k++) if (bytes[at + k] !== FROM_SPACE[k]) return false;
  return true;
}

/** `>+From ` at `at`: the number of `>` before `From `, or 0. */
function escapedFromDepth(bytes: Uint8Array, at: number, end: number): number {
  let k = at;
  while (k < end && bytes[k] === GT) k++;
  return k > at && startsWithFrom(bytes, k, end) ? k - at : 0;
}

/** RFC 5322 field: printable US-ASCII except the colon, then a colon. */
function isHeaderField(bytes: Uint8Array, at: number, end: number): boolean {
  const stop = Math.min(end, at + MAX_FIELD_NAME);
  for (let k = at; k < stop; k++) {
    const byte = bytes[k]!;
    if (byte === 58) return k > at;
    if (byte < 33 || byte > 126) return false;
  }
  return false;
}

function isBlank(bytes: Uint8Array, at: number, end: number): boolean {
  const length = end - at;
  return (
    length === 0 || (length === 1 && bytes[at] === LF) || (length === 2 && bytes[at] === CR && bytes[at + 1] === LF)
  );
}

/** A separator line as text: ASCII in practice, so Latin-1 reads it exactly and fastest. */
function lineText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === LF || bytes[end - 1] === CR)) end--;
  return latin1(bytes.subarray(0, end));
}

/** Why a file that does not start like an mbox is not one, from its first bytes. */
function notAnMbox(label: string, head: Uint8Array): string {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) {
    return `${label} is not an mbox but a zip archive: drop it as a .zip file and Sift will open it.`;
  }
  if (head.subarray(0, 512).includes(0)) {
    return `${label} is not an mbox: it holds binary data, not mail. An mbox is a text file whose messages each start with a "From " line.`;
  }
  return `${label} is not an mbox: an mbox starts with a "From " line followed by mail headers, and this file does not.`;
}

/**
 * The splitter itself, push by push: `push(chunk)` returns whatever messages the chunk completed, `end()` the
 * last one. It keeps the current message, one incomplete line and one pending separator; nothing else.
 */
export class MboxSplitter {
  readonly #label: string;
  readonly #maxMessageBytes: number;
  #state: 'start' | 'mbox' | 'single' | 'rejected' = 'start';
  /** The incomplete last line of the previous chunk. */
  #carry: Uint8Array | null = null;
  /** The next byte continues a line already flushed into the message (a line longer than CARRY_LIMIT). */
  #midLine = false;
  #parts: Uint8Array[] = [];
  #kept = 0;
  #size = 0;
  #index = 0;
  #envelope = '';
  /** A `From ` line waiting for the next line to say whether it separates. */
  #candidate: Uint8Array | null = null;
  #bogus: Uint8Array[] = [];
  #out: MboxOutput[] = [];

  constructor(options: MboxOptions) {
    this.#label = options.label;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes;
  }

  /** True once the file was found not to be an mbox: later chunks are ignored. */
  get rejected(): boolean {
    return this.#state === 'rejected';
  }

  /** Messages seen so far (the current one included). */
  get messages(): number {
    return this.#index;
  }

  push(chunk: Uint8Array): MboxOutput[] {
    if (this.#state === 'rejected' || chunk.length === 0) return this.#drain();
    let bytes = chunk;
    if (this.#carry) {
      bytes = concatBytes([this.#carry, chunk], this.#carry.length + chunk.length);
      this.#carry = null;
    }
    let pos = 0;
    if (this.#midLine) {
      const lf = bytes.indexOf(LF);
      const end = lf < 0 ? bytes.length : lf + 1;
      this.#appendBody(bytes.subarray(0, end));
      if (lf < 0) return this.#drain();
      this.#midLine = false;
      pos = end;
    }
    let run = pos;
    for (let lf = bytes.indexOf(LF, pos); lf >= 0 && !this.rejected; lf = bytes.indexOf(LF, pos)) {
      const end = lf + 1;
      run = this.#line(bytes, pos, end, run);
      pos = end;
    }
    if (this.rejected) return this.#drain();
    if (bytes.length - pos <= CARRY_LIMIT) {
      if (run < pos) this.#appendBody(bytes.subarray(run, pos));
      if (pos < bytes.length) this.#carry = bytes.slice(pos);
      return this.#drain();
    }
    // A line too long to hold back: decide on its start, as for any line, and pass the rest straight through.
    if (this.#state === 'start') {
      this.#reject(bytes.subarray(pos));
      return this.#drain();
    }
    run = this.#line(bytes, pos, bytes.length, run);
    // A `From ` line of several kB separates nothing.
    if (this.#candidate) {
      if (run < pos) this.#appendBody(bytes.subarray(run, pos));
      this.#flushCandidate();
      run = bytes.length;
    }
    if (run < bytes.length) this.#appendBody(bytes.subarray(run));
    this.#midLine = true;
    return this.#drain();
  }

  end(): MboxOutput[] {
    if (this.#state === 'rejected') return this.#drain();
    if (this.#carry) {
      const last = this.#carry;
      this.#carry = null;
      const run = this.#line(last, 0, last.length, 0);
      if (run < last.length && !this.rejected) this.#appendBody(last.subarray(run));
    }
    if (this.rejected) return this.#drain();
    if (this.#state === 'start') {
      this.#out.push({ kind: 'problem', problem: `${this.#label} is empty: it holds no messages.`, fatal: true });
      this.#state = 'rejected';
      return this.#drain();
    }
    // A trailing `From ` line with nothing after it separates nothing.
    this.#flushCandidate();
    this.#finishMessage(true);
    return this.#drain();
  }

  /** Handles one line [start, end); returns where the current run of plain body bytes now starts. */
  #line(bytes: Uint8Array, start: number, end: number, run: number): number {
    if (this.#state === 'single') return run;
    if (this.#candidate) {
      if (isHeaderField(bytes, start, end)) {
        if (run < start) this.#appendBody(bytes.subarray(run, start));
        this.#finishMessage(false);
        this.#state = 'mbox';
        this.#startMessage();
        return start;
      }
      if (this.#bogus.length < MAX_BOGUS_LINES && escapedFromDepth(bytes, start, end) > 0) {
        if (run < start) this.#appendBody(bytes.subarray(run, start));
        this.#bogus.push(bytes.slice(start, end));
        return end;
      }
      if (this.#state === 'start') {
        this.#reject(this.#candidate);
        return end;
      }
      // Not a separator after all: the held lines are body text.
      if (run < start) this.#appendBody(bytes.subarray(run, start));
      this.#flushCandidate();
      run = start;
    }
    if (this.#state === 'start') {
      if (isBlank(bytes, start, end)) return end;
      if (startsWithFrom(bytes, start, end)) {
        this.#candidate = bytes.slice(start, end);
        return end;
      }
      if (isHeaderField(bytes, start, end)) {
        // No separators at all: an email saved with the wrong name. It is read as the one message it is.
        this.#state = 'single';
        this.#out.push({
          kind: 'problem',
          problem: `${this.#label} has no "From " separator lines: it reads as a single email, so it was read as one message.`,
          fatal: false,
        });
        this.#startMessage();
        return start;
      }
      this.#reject(bytes.subarray(start, end));
      return end;
    }
    const first = bytes[start];
    if (first === 0x46 && startsWithFrom(bytes, start, end)) {
      if (run < start) this.#appendBody(bytes.subarray(run, start));
      this.#candidate = bytes.slice(start, end);
      return end;
    }
    if (first === GT && escapedFromDepth(bytes, start, end) > 0) {
      if (run < start) this.#appendBody(bytes.subarray(run, start));
      this.#appendBody(bytes.subarray(start + 1, end));
      return end;
    }
    return run;
  }

  #startMessage(): void {
    this.#index += 1;
    this.#envelope = this.#candidate ? lineText(this.#candidate) : '';
    this.#candidate = null;
    this.#bogus = [];
    this.#parts = [];
    this.#kept = 0;
    this.#size = 0;
  }

  /** Writes a held `From ` line (and any `>From ` lines after it) into the body, unescaped. */
  #flushCandidate(): void {
    if (!this.#candidate) return;
    const candidate = this.#candidate;
    const bogus = this.#bogus;
    this.#candidate = null;
    this.#bogus = [];
    if (this.#state === 'start') return;
    this.#appendBody(candidate);
    for (const line of bogus) this.#appendBody(line.subarray(1));
  }

  #appendBody(bytes: Uint8Array): void {
    if (this.#state !== 'mbox' && this.#state !== 'single') return;
    this.#size += bytes.length;
    const room = this.#maxMessageBytes - this.#kept;
    if (room <= 0) return;
    // Chunks are views on the reader's buffers; a message copies them out once, when it is finished.
    const piece = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.#parts.push(piece);
    this.#kept += piece.length;
  }

  #finishMessage(atEnd: boolean): void {
    if (this.#index === 0) return;
    let bytes = concatBytes(this.#parts, this.#kept);
    this.#parts = [];
    // The blank line a writer puts between messages belongs to the mbox, not to the message.
    if (this.#state === 'mbox' && !atEnd) bytes = withoutSeparatorBlankLine(bytes);
    const message: MboxMessage = { bytes, index: this.#index, envelope: this.#envelope };
    if (this.#size > this.#kept) {
      message.cutOff = `Message ${this.#index} is ${formatSize(this.#size)}; only its first ${formatSize(this.#kept)} were read (a newsletter is never that large: it carries attachments).`;
    }
    if (atEnd) {
      const cut = cutOffAtEnd(bytes);
      if (cut === 'headers') {
        this.#out.push({
          kind: 'problem',
          problem: `${this.#label} ends inside the headers of message ${this.#index}: the file was probably cut off. That message was skipped; ${readBefore(this.#index - 1)}`,
          fatal: false,
          index: this.#index,
        });
        return;
      }
      if (cut === 'body' && !message.cutOff) {
        message.cutOff = `${this.#label} ends inside message ${this.#index} (its last MIME part never closes): the file was probably cut off, and the message was read as far as it goes.`;
        this.#out.push({ kind: 'problem', problem: message.cutOff, fatal: false, index: this.#index });
      }
    }
    this.#out.push({ kind: 'message', message });
  }

  #reject(head: Uint8Array): void {
    this.#state = 'rejected';
    this.#candidate = null;
    this.#parts = [];
    this.#out.push({ kind: 'problem', problem: notAnMbox(this.#label, head), fatal: true });
  }

  #drain(): MboxOutput[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

function withoutSeparatorBlankLine(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  if (n >= 4 && bytes[n - 1] === LF && bytes[n - 2] === CR && bytes[n - 3] === LF && bytes[n - 4] === CR) {
    return bytes.subarray(0, n - 2);
  }
  if (n >= 2 && bytes[n - 1] === LF && bytes[n - 2] === LF) return bytes.subarray(0, n - 1);
  return bytes;
}

/** Whether the last message of a file stops inside its headers or inside an unclosed multipart body. */
function cutOffAtEnd(bytes: Uint8Array): 'headers' | 'body' | null {
  if (headerEnd(bytes) < 0) return 'headers';
  const boundary = multipartBoundary(readHeaderBlock(bytes));
  if (boundary && indexOfBytes(bytes, asciiBytes(`--${boundary}--`)) < 0) return 'body';
  return null;
}

/** The end of the cut-off sentence: what the user still has from that file. */
function readBefore(count: number): string {
  if (count === 0) return 'it was the first, so nothing in the file could be read.';
  if (count === 1) return 'the message before it was read.';
  return `the ${count.toLocaleString('en-US')} before it were read.`;
}

const SPLIT_SLICE = 64 * 1024;

/** An mbox file as a stream of source items: each message, and each problem in words. */
export async function* splitMbox(
  source: ByteSource,
  origin: ItemOrigin,
  options: { counter: ReadCounter; signal?: AbortSignal; maxMessageBytes?: number },
): AsyncGenerator<SourceItem> {
  const splitter = new MboxSplitter({ label: origin.file, maxMessageBytes: options.maxMessageBytes });
  for await (const chunk of readChunks(source, options.counter, options.signal)) {
    // A source may hand over a whole file as one chunk (an in-memory Blob does): split it in slices so the
    // messages of one slice, not of the whole file, are alive at once.
    for (let at = 0; at < chunk.length; at += SPLIT_SLICE) {
      yield* mboxItems(splitter.push(chunk.subarray(at, at + SPLIT_SLICE)), origin, options.counter);
      if (splitter.rejected || options.signal?.aborted) return;
    }
  }
  if (options.signal?.aborted) return;
  yield* mboxItems(splitter.end(), origin, options.counter);
}

export function* mboxItems(outputs: MboxOutput[], origin: ItemOrigin, counter: ReadCounter): Generator<SourceItem> {
  for (const output of outputs) {
    if (output.kind === 'problem') {
      const where: ItemOrigin =
        output.index === undefined ? origin : { file: origin.file, entry: origin.entry, index: output.index };
      yield { kind: 'problem', origin: where, readBytes: counter.bytes, problem: output.problem, fatal: output.fatal };
      continue;
    }
    const { message } = output;
    const item: EmailItem = {
      kind: 'email',
      origin: { file: origin.file, entry: origin.entry, index: message.index },
      readBytes: counter.bytes,
      bytes: message.bytes,
      envelope: message.envelope,
    };
    if (message.cutOff) item.cutOff = message.cutOff;
    yield item;
  }
}
