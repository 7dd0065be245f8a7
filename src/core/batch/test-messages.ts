/**
 * Test-only factories: small made-up emails and the containers they travel in (mbox text, byte chunks, files).
 * Every name, address and company here is invented.
 */
import type { BatchFile } from './types.ts';

export type LineEnd = '\n' | '\r\n';

export interface EmailParts {
  from?: string;
  to?: string;
  subject?: string;
  date?: string;
  messageId?: string | null;
  /** Extra header lines, each `Name: value`. */
  headers?: string[];
  body?: string;
  html?: string;
}

let nextMessageId = 0;

/** An RFC 5322 message; with `html`, a multipart/alternative with a text and an HTML part. */
export function email(parts: EmailParts = {}, eol: LineEnd = '\n'): string {
  const lines = [
    `From: ${parts.from ?? 'Ada Example <ada@example.org>'}`,
    `To: ${parts.to ?? 'reader@example.net'}`,
    `Subject: ${parts.subject ?? 'Hello'}`,
    `Date: ${parts.date ?? 'Mon, 06 Jan 2025 09:00:00 +0000'}`,
  ];
  if (parts.messageId !== null) lines.push(`Message-ID: <${parts.messageId ?? `m${++nextMessageId}@example.org`}>`);
  lines.push(...(parts.headers ?? []));
  const body = parts.body ?? 'Hi,\nsee you tomorrow.\n';
  if (parts.html === undefined) {
    lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', ...body.split('\n'));
  } else {
    lines.push(
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      ...body.split('\n'),
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      ...parts.html.split('\n'),
      '--b1--',
      '',
    );
  }
  return lines.join(eol);
}

/** A newsletter as a platform sends it: list headers and a link or two to made-up startups. */
export function newsletter(parts: EmailParts & { listId?: string } = {}, eol: LineEnd = '\n'): string {
  const listId = parts.listId ?? 'weekly.example-news.com';
  return email(
    {
      from: 'Example Weekly <hello@example-news.com>',
      subject: 'Example Weekly #1',
      body: 'Quillmate raised $4M: https://quillmate.io\n',
      html: '<p><a href="https://quillmate.io">Quillmate</a>, a Lisbon startup, raised $4M.</p>',
      ...parts,
      headers: [
        `List-Unsubscribe: <https://example-news.com/unsubscribe?u=1>`,
        `List-Id: Example Weekly <${listId}>`,
        ...(parts.headers ?? []),
      ],
    },
    eol,
  );
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * The Gmail API's message resource (`format=full`) for a message: its headers and its text and HTML parts, bodies in
 * base64url, as `users.messages.get` returns them.
 */
export function gmailJson(parts: { headers: Array<[string, string]>; text?: string; html?: string }): string {
  const leaf = (mimeType: string, body: string) => ({
    partId: mimeType === 'text/plain' ? '0' : '1',
    mimeType,
    headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }],
    body: { size: body.length, data: base64Url(new TextEncoder().encode(body)) },
  });
  return JSON.stringify({
    id: '18c0ffee',
    threadId: '18c0ffee',
    labelIds: ['INBOX'],
    snippet: 'preview',
    payload: {
      mimeType: 'multipart/alternative',
      headers: [
        ...parts.headers.map(([name, value]) => ({ name, value })),
        { name: 'Content-Type', value: 'multipart/alternative; boundary="000000000000abcdef"' },
      ],
      parts: [
        ...(parts.text === undefined ? [] : [leaf('text/plain', parts.text)]),
        ...(parts.html === undefined ? [] : [leaf('text/html', parts.html)]),
      ],
    },
  });
}

/** `format=raw`: the whole RFC 5322 message in base64url. */
export function gmailRawJson(message: string): string {
  return JSON.stringify({ id: '18c0ffee', raw: base64Url(new TextEncoder().encode(message)) });
}

export interface MboxOptions {
  eol?: LineEnd;
  /** The separator line for message `index` (0-based), without its line end. */
  separator?: (index: number) => string;
  /** mboxrd: `>*From ` body lines get one more `>`. */
  escape?: boolean;
  /** The blank line writers put between messages. */
  blankLineBetween?: boolean;
  /** A line end after the last message. */
  finalNewline?: boolean;
}

export const SEPARATORS = {
  classic: () => 'From MAILER-DAEMON Fri Jul  8 12:08:34 2011',
  thunderbird: () => 'From - Mon Jul 11 12:08:34 2011',
  gmail: (index: number) => `From 17${String(index).padStart(17, '0')}@xxx Mon Jan 06 09:00:00 +0000 2025`,
  bare: () => 'From ',
};

/** Messages written as an mbox file. Message texts use `eol` already (or LF, converted here). */
export function mbox(messages: readonly string[], options: MboxOptions = {}): string {
  const eol = options.eol ?? '\n';
  const separator = options.separator ?? SEPARATORS.classic;
  const escape = options.escape ?? true;
  const between = options.blankLineBetween ?? true;
  let out = '';
  messages.forEach((message, index) => {
    let lines = message.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    if (escape) lines = lines.map((line) => (/^>*From /.test(line) ? `>${line}` : line));
    if (index > 0) out += between ? eol + eol : eol;
    out += separator(index) + eol + lines.join(eol);
  });
  if (options.finalNewline ?? true) out += eol;
  return out;
}

export const bytesOf = (text: string) => new TextEncoder().encode(text);
export const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** `bytes` cut into pieces of `size` (the last one shorter), as a reader would deliver them. */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, Math.min(bytes.length, at + size));
}

export function batchFile(name: string, content: string | Uint8Array, extra: Partial<BatchFile> = {}): BatchFile {
  const bytes = typeof content === 'string' ? bytesOf(content) : content;
  return { name, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), ...extra };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
