import { asWebUrl, base64ToText, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * `aHR0c` is what base64 makes of `http`: a path segment or parameter that starts with it is a web address written
 * in base64, and a click tracker that writes its destination that way needs no family of its own. Kit's custom
 * click domains (`click.<publisher>.com/<id>/<id>/aHR0cHM6…`) are the common case; any other platform that does the
 * same is read too, where it would otherwise be taken for a link to the platform's own site.
 */
const base64Http = 'aHR0c';

export const base64Destination: WrapperFamily = {
  tracker: 'redirect',
  decode(url) {
    // One substring scan of each part first: almost no link carries one.
    if (url.pathname.includes(base64Http)) {
      for (const segment of pathSegments(url)) {
        if (!segment.startsWith(base64Http)) continue;
        const destination = asWebUrl(base64ToText(segment));
        if (destination) return destination;
      }
    }
    if (url.search.includes(base64Http)) {
      for (const value of url.searchParams.values()) {
        if (!value.startsWith(base64Http)) continue;
        const destination = asWebUrl(base64ToText(value));
        if (destination) return destination;
      }
    }
    return null;
  },
};
