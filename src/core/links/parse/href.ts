/** What every parser does to an href before handing it on: trim, repair, and refuse what is not a web link. */

/** Longer hrefs are not links a person clicks (real tracking links stay under ~4 kB); they are skipped with a warning. */
export const MAX_HREF_LENGTH = 16_384;

const SCHEMELESS_WEB = /^www\.[a-z0-9-]/i;
const WEB_SCHEME = /^https?:/i;
/** Mail-merge placeholders (Mailchimp `*|UNSUB|*`, Liquid `{{ }}`, `%%view_online%%`) are not destinations yet. */
const PLACEHOLDER = /^(?:\*\||\{\{|%%|\[\[)/;

export type HrefVerdict = { href: string } | { skipped: 'too-long' | 'not-web' };

/**
 * Turn an attribute or markup value into an absolute http(s) href, or say why it is skipped.
 * `base` resolves relative links when the document names one (`<base href>` or a web archive's own URL).
 */
export function cleanHref(raw: string, base: string | null): HrefVerdict {
  if (raw.length > MAX_HREF_LENGTH) return { skipped: 'too-long' };
  // Quoted-printable soft breaks and line-wrapped markup leave whitespace inside URLs; no real URL contains it.
  let href = raw.trim();
  if (/\s/.test(href)) href = href.replace(/\s+/g, '');
  if (href === '' || PLACEHOLDER.test(href)) return { skipped: 'not-web' };
  if (WEB_SCHEME.test(href)) return { href };
  if (href.startsWith('//')) return { href: `https:${href}` };
  if (SCHEMELESS_WEB.test(href)) return { href: `https://${href}` };
  // Any other scheme (mailto:, tel:, javascript:, cid:, data:) is not a web destination.
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return { skipped: 'not-web' };
  if (base === null) return { skipped: 'not-web' };
  try {
    return { href: new URL(href, base).href };
  } catch {
    return { skipped: 'not-web' };
  }
}
