/**
 * A sender that tracks clicks on its own site writes every link as a redirect that carries the reader's id:
 * `elixirweekly.net/i/<reader token>/3335`, `…/3354`, one per story. Read as they are, they are links to the
 * sender's site, and every story behind them is lost. The shape gives them away whatever the platform: several links
 * of one newsletter on one host share an opaque token (the reader's id) before the part that tells them apart.
 */

/** How many of one host's links must share a token: two are a pair of account pages, three are a pattern. */
const minShared = 3;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id, not words: long, letters and digits, and a dash only in a UUID (`state-of-elixir-2024` is a slug). */
function isOpaqueToken(segment: string): boolean {
  if (segment.length < 16 || !/\d/.test(segment) || !/[A-Za-z]/.test(segment)) return false;
  return /^[A-Za-z0-9_=]+$/.test(segment) || uuid.test(segment);
}

/** A segment of `isOpaqueToken`'s length with another after it, anywhere in the URL. */
const longInnerSegment = /\/[A-Za-z0-9_=-]{16,}\/[^/?#]/;

/** A file (an image, a PDF) is what it names, not a redirect. */
const fileName = /\.[A-Za-z0-9]{2,4}$/;

/** Which of a newsletter's direct links (absolute URLs) are redirects personalised this way. */
export function personalRedirects(urls: readonly string[]): Set<string> {
  const byHost = new Map<string, { url: string; tokens: string[] }[]>();
  for (const href of urls) {
    // Most links have no long segment followed by another: one test, and no parse.
    if (!longInnerSegment.test(href)) continue;
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    const segments = url.pathname.split('/').filter((segment) => segment !== '');
    const last = segments.at(-1) ?? '';
    if (segments.length < 2 || fileName.test(last)) continue;
    const tokens = [...new Set(segments.slice(0, -1).filter(isOpaqueToken))];
    if (tokens.length === 0) continue;
    const links = byHost.get(url.hostname);
    if (links) links.push({ url: href, tokens });
    else byHost.set(url.hostname, [{ url: href, tokens }]);
  }
  const redirects = new Set<string>();
  for (const links of byHost.values()) {
    if (links.length < minShared) continue;
    const counts = new Map<string, number>();
    for (const { tokens } of links) for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const { url, tokens } of links) {
      if (tokens.some((token) => counts.get(token)! >= minShared)) redirects.add(url);
    }
  }
  return redirects;
}
