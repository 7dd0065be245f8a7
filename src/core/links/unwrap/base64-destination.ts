import { asWebUrl, base64ToText, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * A click tracker that writes its destination in base64 needs no family of its own: the address can be read from
 * the payload wherever it sits. Kit's custom click domains (`click.<publisher>.com/<id>/<id>/aHR0cHM6…`) are the
 * common case; any other platform that does the same is read too, where it would otherwise be taken for a link to
 * the platform's own site, and so is one that wraps the address in a record (`{"sid":7,"url":"https://…"}`,
 * `7|reader@…|https://…`) before encoding it.
 *
 * Base64 turns each 3 bytes into 4 characters, so `http` reads as one of three strings depending on where in the
 * payload it falls: `aHR0c` at offset 0 (mod 3), `odHRw` at 1, `h0dHA`/`h0dHB` at 2 (`http:`, `https`). A part that
 * holds none of them holds no address and is not decoded; almost no link carries one.
 */
const httpAtStart = 'aHR0c';
const httpInside = /aHR0c|odHRw|h0dH[AB]/;
/** Shorter parts are ids; a payload that spells an address is at least as long as `http://a.b`. */
const minimumPayload = 14;
const addressInText = /https?:\/\/[^\s"'<>|\\]+/i;

function addressIn(part: string): string | null {
  if (part.length < minimumPayload || !httpInside.test(part)) return null;
  const text = base64ToText(part);
  if (!text) return null;
  if (part.startsWith(httpAtStart)) {
    const whole = asWebUrl(text);
    if (whole) return whole;
  }
  // Decoded from its first character, a payload's address may sit after other fields; only text that is mostly
  // printable counts, so a random id that happens to hold one of the markers is not read as an address.
  const decoded = text.replaceAll('\\/', '/');
  if (!mostlyPrintable(decoded)) return null;
  const named = decoded.startsWith('{') ? destinationField(decoded) : null;
  if (named) return named;
  const found = addressInText.exec(decoded)?.[0];
  return found ? asWebUrl(found.replace(/[.,;)\]}]+$/, '')) : null;
}

/** A JSON record's own say on which of its addresses is the destination, before any other address it holds. */
function destinationField(json: string): string | null {
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return null;
  }
  if (!record || typeof record !== 'object') return null;
  for (const [key, value] of Object.entries(record)) {
    if (destinationKey.test(key)) {
      const address = asWebUrl(value);
      if (address) return address;
    }
  }
  return null;
}
const destinationKey = /^(url|href|link|target|dest(ination)?|redirect(_?url)?|u)$/i;

function mostlyPrintable(text: string): boolean {
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // U+FFFD is what the decoder puts for bytes that are not UTF-8: binary, not text.
    if ((code >= 0x20 && code < 0x7f) || (code > 0x9f && code !== 0xfffd)) printable++;
  }
  return printable >= text.length * 0.9;
}

export const base64Destination: WrapperFamily = {
  tracker: 'redirect',
  decode(url) {
    if (httpInside.test(url.pathname)) {
      for (const segment of pathSegments(url)) {
        const destination = addressIn(segment);
        if (destination) return destination;
      }
    }
    if (httpInside.test(url.search)) {
      for (const value of url.searchParams.values()) {
        const destination = addressIn(value);
        if (destination) return destination;
      }
    }
    return null;
  },
};
