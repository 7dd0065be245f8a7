import { asWebUrl, jwtPayload, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * Substack's signed redirect, `substack.com/redirect/2/<base64 JSON>.<signature>`: the JSON's `e` is the
 * destination. (The current `redirect/<uuid>?j=` form carries only the subscriber and is listed in opaque.ts.)
 */
export const substackSigned: WrapperFamily = {
  tracker: 'substack',
  decode(url) {
    if (url.hostname !== 'substack.com' && !url.hostname.endsWith('.substack.com')) return null;
    const [first, version, token] = pathSegments(url);
    if (first !== 'redirect' || version !== '2' || !token) return null;
    return asWebUrl(jwtPayload(token, 2)?.e);
  },
};
