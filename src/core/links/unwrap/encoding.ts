/** Decoding helpers shared by the wrapper families: base64 in its URL-safe and padded forms, and JSON payloads. */
import type { UrlParts } from './family.ts';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Each base64 and base64url character's six bits; -1 for every other character below 128. */
const sextets = new Int8Array(128).fill(-1);
for (const [index, char] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  sextets[char.charCodeAt(0)] = index;
}
sextets['-'.charCodeAt(0)] = 62;
sextets['_'.charCodeAt(0)] = 63;

/**
 * Base64 or base64url (padding optional, the two alphabets even mixed) to bytes; null when the text is not base64 at
 * all. Read here rather than by `atob`, which some engines (Node's among them) run as a slow loop over each
 * character, and every wrapper family decodes a payload of a few hundred characters per link.
 */
export function base64ToBytes(text: string): Uint8Array | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end === 0 || end % 4 === 1) return null;
  // Bits past the last whole byte are dropped, as atob drops them.
  const bytes = new Uint8Array((end * 3) >> 2);
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? sextets[code]! : -1;
    if (sextet < 0) return null;
    bits = (bits << 6) | sextet;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 0xff;
    }
  }
  return bytes;
}

export function base64ToText(text: string): string | null {
  const bytes = base64ToBytes(text);
  return bytes ? utf8.decode(bytes) : null;
}

/** A base64 JSON object, or null when the text is not one. */
export function base64ToJson(text: string): Record<string, unknown> | null {
  const decoded = base64ToText(text);
  if (!decoded || !decoded.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(decoded);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The payload (middle part) of a JWT-shaped `header.payload.signature` or `payload.signature` string. */
export function jwtPayload(token: string, parts: 2 | 3): Record<string, unknown> | null {
  const pieces = token.split('.');
  if (pieces.length !== parts) return null;
  return base64ToJson(parts === 3 ? (pieces[1] ?? '') : (pieces[0] ?? ''));
}

/** Only absolute web URLs count as a destination: a decoder that yields anything else found no wrapper. */
export function asWebUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return /^https?:\/\//i.test(trimmed) ? trimmed : null;
}

/**
 * `pathSegments(url)[0] ?? ''` without splitting the whole path: the families that accept any host run on every
 * link, and almost every link fails their first-segment check.
 */
export function firstPathSegment(url: UrlParts): string {
  const path = url.pathname;
  let start = 0;
  while (path.charCodeAt(start) === 47) start++;
  const end = path.indexOf('/', start);
  return path.slice(start, end < 0 ? path.length : end);
}

/** Path segments without the empty ones a leading or doubled slash leaves. */
export function pathSegments(url: UrlParts): string[] {
  // Every family asks for the same URL's segments in turn; remembering the last answer saves the repeated split.
  if (url === lastUrl && url.pathname === lastPath) return lastSegments;
  lastUrl = url;
  lastPath = url.pathname;
  lastSegments = lastPath.split('/').filter((segment) => segment.length > 0);
  return lastSegments;
}
let lastUrl: UrlParts | null = null;
let lastPath = '';
let lastSegments: string[] = [];

export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
