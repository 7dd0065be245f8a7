/**
 * A message's header block, read without touching its body: deciding that a message is personal mail must never
 * decode it. Folded lines are unfolded; encoded words (`=?utf-8?q?…?=`) are decoded only in the few fields shown
 * to the user, by postal-mime's own decoder.
 */
import { addressParser, decodeWords } from 'postal-mime';
import { registrableDomain } from '../crm/normalise.ts';

/** A header block larger than this is not a header block (postal-mime refuses even smaller ones by default). */
export const MAX_HEADER_BYTES = 1_048_576;

export interface HeaderBlock {
  /** Lower-case field name → its values in order, unfolded, not decoded. */
  fields: Map<string, string[]>;
  /** Where the body starts; -1 when the block never ends (no blank line: a cut-off message). */
  bodyStart: number;
}

const LF = 10;
const CR = 13;
const utf8 = new TextDecoder('utf-8');

/** The index just past the blank line that ends the header block, or -1. */
export function headerEnd(bytes: Uint8Array, limit = MAX_HEADER_BYTES): number {
  const end = Math.min(bytes.length, limit);
  let lineStart = 0;
  while (lineStart < end) {
    const lf = bytes.indexOf(LF, lineStart);
    if (lf < 0 || lf >= end) return -1;
    const length = lf - lineStart;
    if (length === 0 || (length === 1 && bytes[lineStart] === CR)) return lf + 1;
    lineStart = lf + 1;
  }
  return -1;
}

export function readHeaderBlock(bytes: Uint8Array): HeaderBlock {
  const bodyStart = headerEnd(bytes);
  const blockEnd = bodyStart >= 0 ? bodyStart : Math.min(bytes.length, MAX_HEADER_BYTES);
  const text = utf8.decode(bytes.subarray(0, blockEnd));
  const fields = new Map<string, string[]>();
  let name = '';
  let value = '';
  const commit = () => {
    if (!name) return;
    const values = fields.get(name);
    if (values) values.push(value.trim());
    else fields.set(name, [value.trim()]);
  };
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line === '\r') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (name) value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    commit();
    // A line without a colon inside the block is damage; it names nothing.
    if (colon <= 0) {
      name = '';
      continue;
    }
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  commit();
  return { fields, bodyStart };
}

export function firstValue(block: HeaderBlock, name: string): string | undefined {
  return block.fields.get(name)?.[0];
}

export interface Sender {
  /** What the senders list groups by: the address, lower-case (`files` for documents chosen as files). */
  key: string;
  /** The display name, decoded; the address when there is none. */
  name: string;
  address: string;
  /** Registrable domain of the address, '' when it has none. */
  domain: string;
}

/** The author of a message: From, else Sender. Null when neither names a mailbox. */
export function senderOf(block: HeaderBlock): Sender | null {
  for (const field of ['from', 'sender']) {
    const raw = firstValue(block, field);
    if (!raw) continue;
    const mailbox = firstMailbox(raw);
    if (!mailbox) continue;
    const address = mailbox.address.toLowerCase();
    return { key: address, name: mailbox.name || address, address, domain: domainOfAddress(address) };
  }
  return null;
}

/** The registrable domain of a mail address ('' when it has none); the bare host takes the fast path. */
export function domainOfAddress(address: string): string {
  return registrableDomain(address.slice(address.lastIndexOf('@') + 1)) ?? '';
}

function firstMailbox(raw: string): { name: string; address: string } | null {
  try {
    for (const mailbox of addressParser(raw, { flatten: true })) {
      if (mailbox.address?.includes('@'))
        return { name: decodeWords(mailbox.name).trim(), address: mailbox.address.trim() };
    }
  } catch {
    // An unparseable address is no sender; the caller says so.
  }
  return null;
}

export function subjectOf(block: HeaderBlock): string {
  const raw = firstValue(block, 'subject');
  if (!raw) return '';
  try {
    return decodeWords(raw).replace(/\s+/g, ' ').trim();
  } catch {
    return raw;
  }
}

/** The Message-ID without its angle brackets, or '' (it names the message across mailboxes and exports). */
export function messageIdOf(block: HeaderBlock): string {
  const raw = firstValue(block, 'message-id') ?? '';
  const bracketed = /<([^<>\s]+)>/.exec(raw)?.[1];
  return (bracketed ?? raw.trim().split(/\s+/)[0] ?? '').trim();
}

/**
 * When the message was sent, as an ISO string: the Date header, else the mbox separator's date (`From sender
 * Mon Jan  1 00:00:00 2024`, ctime), else `fallback` (the file's date). Null when none is a date.
 */
export function dateOf(block: HeaderBlock, envelope = '', fallback?: number): string | null {
  const header = firstValue(block, 'date');
  const candidates = [header?.replace(/\s*\([^()]*\)\s*$/, ''), envelopeDate(envelope)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const time = Date.parse(candidate);
    if (Number.isFinite(time)) return new Date(time).toISOString();
  }
  return fallback !== undefined && Number.isFinite(fallback) ? new Date(fallback).toISOString() : null;
}

/** The date part of a separator line: everything after the sender word (`-`, an address, Gmail's `123@xxx`). */
function envelopeDate(envelope: string): string {
  const match = /^From \S*\s+(.+?)\s*$/.exec(envelope);
  return match?.[1] ?? '';
}

/** The multipart boundary of the message's top-level part, if it is multipart. */
export function multipartBoundary(block: HeaderBlock): string | null {
  const type = firstValue(block, 'content-type') ?? '';
  if (!/^\s*multipart\//i.test(type)) return null;
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  return match?.[1] ?? match?.[2] ?? null;
}
