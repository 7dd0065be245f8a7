import { asWebUrl, base64ToJson, firstPathSegment, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/** Customer.io, `e.customeriomail.com/e/c/<base64 JSON>/<sig>`: the JSON's `href` is the destination. */
export const customerIo: WrapperFamily = {
  tracker: 'customer.io',
  decode(url) {
    if (firstPathSegment(url) !== 'e') return null;
    const [first, second, token] = pathSegments(url);
    if (first !== 'e' || second !== 'c' || !token) return null;
    return asWebUrl(base64ToJson(token)?.href);
  },
};
