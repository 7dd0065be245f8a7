import { asWebUrl, base64ToJson, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/** Every, `every.to/emails/click/<hash>/<base64 JSON>`: the JSON's `url` is the destination. */
export const every: WrapperFamily = {
  tracker: 'every',
  decode(url) {
    if (url.hostname !== 'every.to' && url.hostname !== 'www.every.to') return null;
    const [first, second, , token] = pathSegments(url);
    if (first !== 'emails' || second !== 'click' || !token) return null;
    return asWebUrl(base64ToJson(token)?.url);
  },
};
