import { asWebUrl, base64ToText, firstPathSegment, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * Sailthru, `link.theverge.com/click/<message>.<n>/<base64url URL>/<hash>` on each sender's own `link.` host
 * (Axios, Morning Brew, Bloomberg, The Verge): the third segment is the destination. The shape is distinctive
 * enough to accept on any host as long as the segment decodes to a web URL.
 */
const messageSegment = /^\d+\.\d+$/;

export const sailthru: WrapperFamily = {
  tracker: 'sailthru',
  decode(url) {
    if (firstPathSegment(url) !== 'click') return null;
    const [first, message, token] = pathSegments(url);
    if (first !== 'click' || !message || !messageSegment.test(message) || !token) return null;
    return asWebUrl(base64ToText(token));
  },
};
