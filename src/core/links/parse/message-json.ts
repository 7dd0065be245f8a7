/**
 * An email exported as JSON: the Gmail API's message resource (`payload.parts[].body.data`, base64url), and the
 * flattened shape mail tools and scripts write (`htmlBody`/`body`, `html`/`text`, `from`). Read like an `.eml`:
 * both bodies, and the sender's address.
 */

export interface MessageJson {
  html: string;
  text: string;
  senderHosts: string[];
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

function base64UrlText(data: string): string {
  try {
    const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''));
    // A loop, not Uint8Array.from with a mapping function: that calls back once per byte of a 100 kB body.
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}

/** The Gmail API's MIME tree: every text/html and text/plain leaf, depth-first (bounded, as nesting is hostile input). */
function gmailParts(payload: { [key: string]: Json }, found: { html: string[]; text: string[] }, depth: number): void {
  if (depth > 32) return;
  const mimeType = typeof payload.mimeType === 'string' ? payload.mimeType.toLowerCase() : '';
  const body = payload.body;
  const data = isObject(body) && typeof body.data === 'string' ? body.data : '';
  if (data && mimeType === 'text/html') found.html.push(base64UrlText(data));
  if (data && mimeType === 'text/plain') found.text.push(base64UrlText(data));
  const parts = payload.parts;
  if (Array.isArray(parts)) for (const part of parts) if (isObject(part)) gmailParts(part, found, depth + 1);
}

function hostsOf(address: string): string[] {
  return [...address.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)].flatMap((match) =>
    match[1] ? [match[1].toLowerCase()] : [],
  );
}

/** The message inside a JSON document, or null when the text is not JSON or holds no message body. */
export function readMessageJson(source: string): MessageJson | null {
  const trimmed = source.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return null;
  let value: Json;
  try {
    value = JSON.parse(trimmed) as Json;
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  let html = firstString(value, HTML_FIELDS);
  let text = firstString(value, TEXT_FIELDS);
  const senderHosts = hostsOf(firstString(value, FROM_FIELDS));
  const payload = value.payload;
  if (isObject(payload)) {
    const found = { html: [] as string[], text: [] as string[] };
    gmailParts(payload, found, 0);
    html ||= found.html.join('\n');
    text ||= found.text.join('\n');
    const headers = payload.headers;
    if (Array.isArray(headers)) {
      for (const header of headers) {
        if (isObject(header) && typeof header.name === 'string' && /^(from|list-unsubscribe)$/i.test(header.name)) {
          if (typeof header.value === 'string') senderHosts.push(...hostsOf(header.value));
        }
      }
    }
  }
  if (!html && !text) return null;
  return { html, text, senderHosts };
}
