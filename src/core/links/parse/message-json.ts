/**
 * An email exported as JSON: the Gmail API's message resource (`payload.parts[].body.data`, base64url), and the
 * flattened shape mail tools and scripts write (`htmlBody`/`body`, `html`/`text`, `from`). Read like an `.eml`:
 * both bodies, and the sender's address.
 */
import { mailboxHosts } from './eml.ts';

export interface MessageJson {
  html: string;
  text: string;
  senderHosts: string[];
  /** The From mailboxes, lowercased (`notboring@substack.com`). */
  senderMailboxes: string[];
}

const HTML_FIELDS = ['htmlBody', 'html', 'bodyHtml', 'body_html', 'textAsHtml', 'HtmlBody'];
const TEXT_FIELDS = ['body', 'text', 'textBody', 'plain', 'body_plain', 'TextBody'];
const FROM_FIELDS = ['from', 'From', 'sender'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(object: { [key: string]: Json }, fields: string[]): string {
  for (const field of fields) {
    const value = object[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return '';
}

/** Standard base64 (what MIME's `base64` transfer encoding is) from base64url, without decoding it. */
function base64FromUrl(data: string): string {
  const plain = data.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  return plain + '='.repeat((4 - (plain.length % 4)) % 4);
}

function base64UrlBytes(data: string): Uint8Array | null {
  try {
    const binary = atob(base64FromUrl(data));
    // A loop, not Uint8Array.from with a mapping function: that calls back once per byte of a 100 kB body.
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function base64UrlText(data: string): string {
  const bytes = base64UrlBytes(data);
  return bytes ? new TextDecoder().decode(bytes) : '';
}

function mailboxesOf(address: string): string[] {
  return [...address.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((match) => match[0].toLowerCase());
}

function jsonObject(source: string): { [key: string]: Json } | null {
  const trimmed = source.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  try {
    const value = JSON.parse(trimmed) as Json;
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** The message inside a JSON document, or null when the text is not JSON or holds no message body. */
export function readMessageJson(source: string): MessageJson | null {
  const value = jsonObject(source);
  return value ? messageOf(value) : null;
}

function messageOf(value: { [key: string]: Json }): MessageJson | null {
  let html = firstString(value, HTML_FIELDS);
  let text = firstString(value, TEXT_FIELDS);
  const senderMailboxes = mailboxesOf(firstString(value, FROM_FIELDS));
  const senderHosts = mailboxHosts(senderMailboxes);
  const payload = value.payload;
  if (isObject(payload)) {
    const leaves: GmailLeaf[] = [];
    gmailLeaves(payload, leaves, 0);
    const bodies = (mimeType: string) =>
      leaves
        .filter((leaf) => leaf.mimeType === mimeType)
        .map((leaf) => base64UrlText(leaf.data))
        .join('\n');
    html ||= bodies('text/html');
    text ||= bodies('text/plain');
    const headers = payload.headers;
    if (Array.isArray(headers)) {
      for (const header of headers) {
        if (isObject(header) && typeof header.name === 'string' && /^(from|list-unsubscribe)$/i.test(header.name)) {
          if (typeof header.value !== 'string') continue;
          const mailboxes = mailboxesOf(header.value);
          senderHosts.push(...mailboxHosts(mailboxes));
          if (/^from$/i.test(header.name)) senderMailboxes.push(...mailboxes);
        }
      }
    }
  }
  if (!html && !text) return null;
  return { html, text, senderHosts, senderMailboxes };
}

/** Fields the rebuilt message sets itself: the original's describe a MIME tree that is not there any more. */
const STRUCTURE_FIELDS = /^(content-type|content-transfer-encoding|mime-version)$/i;
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function headerLines(headers: Json | undefined): string[] {
  if (!Array.isArray(headers)) return [];
  const lines: string[] = [];
  for (const header of headers) {
    if (!isObject(header) || typeof header.name !== 'string' || typeof header.value !== 'string') continue;
    if (!FIELD_NAME.test(header.name) || STRUCTURE_FIELDS.test(header.name)) continue;
    // A line break inside a value would end the field early, or the whole block.
    lines.push(`${header.name}: ${header.value.replace(/[\r\n]+/g, ' ')}`);
  }
  return lines;
}

interface GmailLeaf {
  mimeType: 'text/html' | 'text/plain';
  /** The leaf's own Content-Type header (its charset), or the MIME type with UTF-8. */
  type: string;
  /** The body, base64url. */
  data: string;
}

/**
 * The Gmail API's MIME tree: every text/html and text/plain leaf, depth-first (bounded, as nesting is hostile
 * input), each with its own Content-Type and its data.
 */
function gmailLeaves(payload: { [key: string]: Json }, leaves: GmailLeaf[], depth: number) {
  if (depth > 32) return;
  const mimeType = typeof payload.mimeType === 'string' ? payload.mimeType.toLowerCase() : '';
  const body = payload.body;
  const data = isObject(body) && typeof body.data === 'string' ? body.data : '';
  if (data && (mimeType === 'text/html' || mimeType === 'text/plain')) {
    const own = Array.isArray(payload.headers)
      ? payload.headers.find(
          (header) => isObject(header) && typeof header.name === 'string' && /^content-type$/i.test(header.name),
        )
      : undefined;
    const declared = isObject(own) && typeof own.value === 'string' ? own.value.replace(/[\r\n]+/g, ' ') : '';
    leaves.push({
      mimeType,
      type: declared.toLowerCase().startsWith(mimeType) ? declared : `${mimeType}; charset=utf-8`,
      data,
    });
  }
  const parts = payload.parts;
  if (Array.isArray(parts)) for (const part of parts) if (isObject(part)) gmailLeaves(part, leaves, depth + 1);
}

/**
 * A Gmail API message resource as the RFC 822 message it came from, for the batch, which decides from a message's
 * headers whether it is a newsletter before it reads the body. `format=raw` carries the message itself (base64url).
 * `format=full` carries the headers and the decoded tree: rebuilt as a multipart/alternative of its text and HTML
 * leaves, each leaf's bytes kept as they were (base64 transfer encoding) under its own Content-Type. Null for any
 * other JSON: a flattened export has no header block to judge it by.
 */
export function gmailMessageAsMime(source: string): Uint8Array | null {
  const value = jsonObject(source);
  return value ? mimeOf(value) : null;
}

function mimeOf(value: { [key: string]: Json }): Uint8Array | null {
  if (typeof value.raw === 'string') return base64UrlBytes(value.raw);
  const payload = value.payload;
  if (!isObject(payload)) return null;
  const headers = headerLines(payload.headers);
  if (headers.length === 0) return null;
  const leaves: GmailLeaf[] = [];
  gmailLeaves(payload, leaves, 0);
  const boundary = 'sift-rebuilt-from-gmail-json';
  const lines = [...headers, 'MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`, ''];
  for (const leaf of leaves) {
    lines.push(`--${boundary}`, `Content-Type: ${leaf.type}`, 'Content-Transfer-Encoding: base64', '');
    // Base64 holds no `-`: the boundary can never occur inside a part.
    lines.push(...(base64FromUrl(leaf.data).match(/.{1,76}/g) ?? []));
  }
  lines.push(`--${boundary}--`, '');
  return new TextEncoder().encode(lines.join('\r\n'));
}

/**
 * What a `.json` file holds, read once: a Gmail API message as the email it came from (`gmailMessageAsMime`), a
 * flattened export with a body but no headers (`document`), or no message at all (null).
 */
export function readJsonMail(source: string): { kind: 'email'; bytes: Uint8Array } | { kind: 'document' } | null {
  const value = jsonObject(source);
  if (!value) return null;
  const email = mimeOf(value);
  if (email) return { kind: 'email', bytes: email };
  return messageOf(value) ? { kind: 'document' } : null;
}
