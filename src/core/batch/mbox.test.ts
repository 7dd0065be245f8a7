import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MboxSplitter, type MboxOutput, splitMbox } from './mbox.ts';
import {
  bytesOf,
  chunked,
  collect,
  email,
  type LineEnd,
  mbox,
  newsletter,
  SEPARATORS,
  textOf,
} from './test-messages.ts';

/** Runs a whole mbox through the splitter in pieces of `size` bytes. */
function split(text: string | Uint8Array, size = 64 * 1024, maxMessageBytes?: number): MboxOutput[] {
  const bytes = typeof text === 'string' ? bytesOf(text) : text;
  const splitter = new MboxSplitter({ label: 'Inbox.mbox', maxMessageBytes });
  const out: MboxOutput[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...splitter.push(bytes.subarray(at, at + size)));
  out.push(...splitter.end());
  return out;
}

const messagesOf = (outputs: MboxOutput[]) =>
  outputs.flatMap((output) => (output.kind === 'message' ? [output.message] : []));
const problemsOf = (outputs: MboxOutput[]) => outputs.flatMap((output) => (output.kind === 'problem' ? [output] : []));
const texts = (outputs: MboxOutput[]) => messagesOf(outputs).map((message) => textOf(message.bytes));
/** A message as the splitter gives it back: its lines with `eol`, ending in one. */
const asStored = (message: string, eol: LineEnd = '\n') => `${message.replace(/\n$/, '').split('\n').join(eol)}${eol}`;

describe('MboxSplitter', () => {
  const three = [newsletter({ subject: 'First' }), email({ subject: 'Lunch?' }), newsletter({ subject: 'Third' })];

  it.each<[string, LineEnd]>([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits an mbox with %s line ends into its messages, byte for byte', (_, eol) => {
    const outputs = split(mbox(three, { eol }));
    expect(problemsOf(outputs)).toEqual([]);
    expect(texts(outputs)).toEqual(three.map((message) => asStored(message, eol)));
    expect(messagesOf(outputs).map((message) => message.index)).toEqual([1, 2, 3]);
    expect(messagesOf(outputs)[0]?.envelope).toBe('From MAILER-DAEMON Fri Jul  8 12:08:34 2011');
  });

  it('removes one ">" from escaped "From " lines (mboxrd, which also reads mboxo right)', () => {
    const body = 'Quoted:\nFrom the archive, a line.\n>From an older quote.\n>>From deeper still.\nThe end.\n';
    const [message] = texts(split(mbox([email({ body })], { escape: true })));
    expect(message).toContain('\nFrom the archive, a line.\n>From an older quote.\n>>From deeper still.\n');
  });

  it('keeps an unescaped "From " body line in its message when no header follows it', () => {
    const body = 'We met last week.\n\nFrom what I remember, the demo went well.\nBye\n';
    const outputs = split(mbox([email({ body }), email({ subject: 'Next' })], { escape: false }));
    expect(texts(outputs)).toHaveLength(2);
    expect(texts(outputs)[0]).toContain('\nFrom what I remember, the demo went well.\nBye\n');
  });

  it.each(Object.entries(SEPARATORS))('reads %s separator lines', (_, separator) => {
    const outputs = split(mbox(three, { separator }));
    expect(texts(outputs)).toEqual(three.map((message) => asStored(message)));
  });

  it('needs no blank line between messages (Got Your Back writes none)', () => {
    const outputs = split(mbox(three, { separator: SEPARATORS.bare, blankLineBetween: false }));
    expect(texts(outputs)).toEqual(three.map((message) => asStored(message)));
  });

  it("drops the bogus '>From -' line ImportExportTools NG writes after a separator on macOS", () => {
    const text = mbox(three).replace(/^(From MAILER-DAEMON[^\n]*\n)/gm, '$1>From - Sat Apr 12 2025 15:59:28\n');
    expect(texts(split(text))).toEqual(three.map((message) => asStored(message)));
  });

  it('reads a last message that has no final newline', () => {
    const outputs = split(mbox(three, { finalNewline: false }));
    expect(texts(outputs)).toEqual([
      ...three.slice(0, 2).map((message) => asStored(message)),
      three[2]!.replace(/\n$/, ''),
    ]);
  });

  it('gives the same messages whatever the chunk size, down to one byte', () => {
    const text = mbox([...three, email({ body: 'From here on\n>From there\n' })], { eol: '\r\n' });
    const whole = texts(split(text));
    for (const size of [1, 2, 3, 5, 7, 13, 64, 1000]) expect(texts(split(text, size))).toEqual(whole);
  });

  it('splits any mix of messages, escapes and line ends the same way in any chunking (property)', () => {
    const line = fc.oneof(
      fc.constantFrom('From the desk of Ada', '>From quoted', 'Subject-like: text', '', 'plain words'),
      fc.string({ maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, ' ')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(line, { maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom<LineEnd>('\n', '\r\n'),
        fc.integer({ min: 1, max: 97 }),
        (bodies, eol, size) => {
          const messages = bodies.map((lines, i) => email({ subject: `M${i}`, body: lines.join('\n') }));
          const text = mbox(messages, { eol });
          const outputs = split(text, size);
          expect(texts(outputs)).toEqual(messages.map((message) => asStored(message, eol)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a file cut off inside the headers of its last message, and keeps the messages before it', () => {
    const whole = mbox(three);
    const cut = whole.slice(0, whole.lastIndexOf('Subject: Third') + 5);
    const outputs = split(cut);
    expect(texts(outputs)).toHaveLength(2);
    expect(problemsOf(outputs)).toEqual([
      expect.objectContaining({
        fatal: false,
        problem: expect.stringMatching(
          /ends inside the headers of message 3: the file was probably cut off\. That message was skipped; the 2 before it were read/,
        ),
      }),
    ]);
  });

  it.each([
    [1, 'it was the first, so nothing in the file could be read.'],
    [2, 'the message before it was read.'],
  ])('says in words what is left when the cut is in the headers of message %i', (cutMessage, ending) => {
    const whole = mbox(three.slice(0, cutMessage));
    const cut = whole.slice(0, whole.lastIndexOf('Subject: ') + 5);
    const outputs = split(cut);
    expect(texts(outputs)).toHaveLength(cutMessage - 1);
    expect(problemsOf(outputs).map((problem) => problem.problem)).toEqual([
      `Inbox.mbox ends inside the headers of message ${cutMessage}: the file was probably cut off. That message was skipped; ${ending}`,
    ]);
  });

  it('reads a last message cut inside its MIME body as far as it goes, and says so', () => {
    const whole = mbox(three);
    const cut = whole.slice(0, whole.lastIndexOf('--b1--'));
    const outputs = split(cut);
    const last = messagesOf(outputs)[2];
    expect(last?.cutOff).toMatch(/ends inside message 3 \(its last MIME part never closes\)/);
    expect(textOf(last!.bytes)).toContain('Quillmate');
    expect(problemsOf(outputs)).toEqual([expect.objectContaining({ fatal: false, index: 3 })]);
  });

  it('keeps only the first bytes of a message over the limit, headers included, and the next message whole', () => {
    const big = email({ subject: 'Photos', body: `${'x'.repeat(100)}\n`.repeat(2000) });
    const news = newsletter();
    const outputs = split(mbox([big, news]), 4096, 10_000);
    const [first, second] = messagesOf(outputs);
    expect(first?.bytes.length).toBe(10_000);
    expect(textOf(first!.bytes)).toContain('Subject: Photos');
    expect(first?.cutOff).toMatch(/^Message 1 is 19\d kB; only its first 10 kB were read/);
    expect(second?.cutOff).toBeUndefined();
    expect(textOf(second!.bytes)).toBe(asStored(news));
  });

  it('passes a line longer than a chunk through without holding it, in any chunking', () => {
    const long = 'y'.repeat(50_000);
    const messages = [email({ body: `${long}\nFrom here\n` }), email({ subject: 'After' })];
    const text = mbox(messages);
    for (const size of [1000, 4096, 65_536]) {
      expect(texts(split(text, size))).toEqual(messages.map((message) => asStored(message)));
    }
  });

  it.each([
    ['a text file', 'Dear diary,\ntoday I exported my mail.\n', /is not an mbox: an mbox starts with a "From " line/],
    [
      'a zip archive',
      new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 10]),
      /is not an mbox but a zip archive: drop it as a \.zip/,
    ],
    ['binary data', new Uint8Array([1, 2, 0, 3, 10, 0, 0]), /is not an mbox: it holds binary data/],
    ['a From line with no headers after it', 'From the desk of the editor\nHello all\n', /is not an mbox/],
    ['an empty file', '', /is empty: it holds no messages/],
  ])('refuses %s with one sentence', (_, content, sentence) => {
    const outputs = split(content);
    expect(messagesOf(outputs)).toEqual([]);
    expect(problemsOf(outputs)).toEqual([{ kind: 'problem', fatal: true, problem: expect.stringMatching(sentence) }]);
  });

  it('reads a single email saved as .mbox as the one message it is, and says why', () => {
    const message = newsletter();
    const outputs = split(message);
    expect(texts(outputs)).toEqual([message]);
    expect(problemsOf(outputs)[0]?.problem).toMatch(/has no "From " separator lines: it reads as a single email/);
  });

  it('splits an mbox of 100,000 tiny messages', () => {
    const tiny = 'From: a@example.org\nSubject: hi\n\nx\n';
    const text = `From x Mon Jan  6 09:00:00 2025\n${tiny}`.repeat(100_000);
    const outputs = split(text);
    expect(problemsOf(outputs)).toEqual([]);
    const messages = messagesOf(outputs);
    expect(messages).toHaveLength(100_000);
    expect(messages[99_999]?.index).toBe(100_000);
    expect(textOf(messages[12_345]!.bytes)).toBe(tiny);
  });
});

describe('splitMbox', () => {
  it('streams messages from chunks as source items, counting the bytes read', async () => {
    const bytes = bytesOf(mbox([newsletter(), email()]));
    const counter = { bytes: 0 };
    const items = await collect(splitMbox(chunked(bytes, 100), { file: 'Inbox.mbox' }, { counter }));
    expect(items.map((item) => [item.kind, item.origin])).toEqual([
      ['email', { file: 'Inbox.mbox', index: 1 }],
      ['email', { file: 'Inbox.mbox', index: 2 }],
    ]);
    expect(counter.bytes).toBe(bytes.length);
  });

  it('stops reading at a file that is not an mbox', async () => {
    let pulled = 0;
    async function* chunks() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield bytesOf('Just some text that is not mail at all.\n');
      }
    }
    const items = await collect(splitMbox(chunks(), { file: 'notes.mbox' }, { counter: { bytes: 0 } }));
    expect(items).toEqual([expect.objectContaining({ kind: 'problem', fatal: true })]);
    expect(pulled).toBe(1);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const bytes = bytesOf(mbox(Array.from({ length: 50 }, () => email())));
    const seen: unknown[] = [];
    for await (const item of splitMbox(
      chunked(bytes, 64),
      { file: 'a.mbox' },
      { counter: { bytes: 0 }, signal: controller.signal },
    )) {
      seen.push(item);
      if (seen.length === 3) controller.abort();
    }
    expect(seen.length).toBeLessThan(10);
  });
});
