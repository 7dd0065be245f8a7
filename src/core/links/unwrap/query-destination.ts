import { asWebUrl, pathSegments } from './encoding.ts';
import type { UrlParts, WrapperFamily } from './family.ts';

/**
 * A redirect endpoint that writes its destination as a plain address in a query parameter: Facebook's
 * `l.facebook.com/l.php?u=…`, YouTube's `/redirect?q=…`, LinkedIn's `/redir/redirect?url=…`, Reddit's
 * `out.reddit.com/…?url=…`, and the many small click services built the same way. Any host is read, so the URL must
 * say it is a redirect twice: by a parameter name redirectors use, and by a host or a path segment that names a
 * redirect. Pages that take an address to act on it (share it, subscribe, sign in) are not redirects: their links
 * stay where they are.
 */
const destinationParameters = [
  'url',
  'u',
  'q',
  'to',
  'target',
  'dest',
  'destination',
  'redirect',
  'redirect_url',
  'redirecturl',
  'redirect_to',
  'goto',
  'link',
  'href',
  'out',
];

/** A host's first label that names a redirect service (`l.facebook.com`, `out.reddit.com`, `links.<sender>.dev`). */
const redirectLabel = /^(?:l|lm|out|click|clicks|link|links|go|r|redirect|redir|track|trk|exit)$/;
/** A path segment that names a redirect endpoint (`/redirect`, `/redir`, `/l.php`, `/out`, `/click`). */
const redirectSegment =
  /^(?:redirect|redir|r|l\.php|out|outbound|click|clicks|track|tracking|link|url|go|goto|away|exit|external|forward|jump|leave|visit)$/i;
/** What a page that acts on an address calls itself: the address is what it acts on, not where the link goes. */
const actionPage =
  /share|sharer|intent|submit|subscribe|sign-?in|sign-?up|log-?in|logout|oauth|auth|account|member|bookmark|translate|validat|embed/i;

function namesRedirect(url: UrlParts): boolean {
  const host = url.hostname;
  const dot = host.indexOf('.');
  if (dot > 0 && host.lastIndexOf('.') > dot && redirectLabel.test(host.slice(0, dot))) return true;
  return pathSegments(url).some((segment) => redirectSegment.test(segment));
}

/** The parameter's value as an address, percent-decoded once more when a redirector encoded it twice. */
function addressIn(value: string): string | null {
  const direct = asWebUrl(value);
  if (direct) return direct;
  if (!/^https?%3a/i.test(value)) return null;
  try {
    return asWebUrl(decodeURIComponent(value));
  } catch {
    return null;
  }
}

export const queryDestination: WrapperFamily = {
  tracker: 'redirect',
  decode(url) {
    // One scan of the query first: almost no link carries an address in it.
    const search = url.search;
    if (search.length < 8 || !/https?(?::|%3a|%253a)/i.test(search)) return null;
    if (actionPage.test(url.pathname) || !namesRedirect(url)) return null;
    for (const name of destinationParameters) {
      const value = url.searchParams.get(name);
      const destination = value === null ? null : addressIn(value);
      if (destination) return destination;
    }
    return null;
  },
};
