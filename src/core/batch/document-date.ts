/**
 * When a newsletter saved as a file (a web page, Markdown, a mail tool's JSON) was published, as the document itself
 * says. A folder of saved issues usually has one modification date for all of them (the day they were exported or
 * copied), which would put every issue on that day in the batch's "first seen" and "new since"; the document's own
 * date is the issue's.
 */

/** A document states its date near its top: this much is read, not the whole file. */
const HEAD_BYTES = 64 * 1024;
const EARLIEST = Date.UTC(1990, 0, 1);
/** A little ahead of the clock for time zones; any later is a typo or a placeholder, not a publication date. */
const SLACK_MS = 2 * 24 * 3_600_000;

/**
 * Where documents write their publication date, in the order they are trusted: the page's metadata for sharing
 * and search (Open Graph `article:published_time`, schema.org `datePublished`, Dublin Core), then the first
 * `<time datetime>` (Substack, Ghost and most blogs date a post so), then a Markdown front matter's or a pasted
 * email's `Date:` line near the top (further down, a `Date:` line is an event's), then a Gmail API message's
 * `internalDate` (milliseconds).
 */
const META_NAMES =
  /^(?:article:published_time|og:published_time|datepublished|date|dc\.date|dcterms\.created|dcterms\.date|pubdate|publish[-_]?date)$/i;
const metaTag = /<meta\s[^>]*>/gi;
const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((value) => value !== undefined);
const jsonLdDate = /"datePublished"\s*:\s*"([^"]{8,40})"/;
const timeTag = /<time\s[^>]*?datetime\s*=\s*["']([^"']{8,40})["']/i;
const dateLine = /^[ \t>*_]*date[*_]*:[*_ \t]*["']?([^\n"']{8,60})/im;
const HEADER_CHARS = 2_000;
const internalDate = /"internalDate"\s*:\s*"?(\d{12,13})"?/;

function asIso(value: string | undefined, now: number): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const time = /^\d{12,13}$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(time) || time < EARLIEST || time > now + SLACK_MS) return null;
  return new Date(time).toISOString();
}

/** The document's own publication date (ISO), or null when it states none that reads as a date. */
export function documentDate(bytes: Uint8Array, now = Date.now()): string | null {
  const head = new TextDecoder().decode(bytes.subarray(0, HEAD_BYTES));
  for (const tag of head.match(metaTag) ?? []) {
    const name = attribute(tag, 'property') ?? attribute(tag, 'name') ?? attribute(tag, 'itemprop');
    if (name === undefined || !META_NAMES.test(name)) continue;
    const date = asIso(attribute(tag, 'content'), now);
    if (date) return date;
  }
  const stated = [jsonLdDate.exec(head), timeTag.exec(head), dateLine.exec(head.slice(0, HEADER_CHARS))];
  for (const match of [...stated, internalDate.exec(head)]) {
    const date = asIso(match?.[1], now);
    if (date) return date;
  }
  return null;
}
