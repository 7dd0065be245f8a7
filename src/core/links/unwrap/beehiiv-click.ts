import { asWebUrl, jwtPayload, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * beehiiv's newer click links, `flight.beehiiv.net/v2/clicks/<JWT>`: the JWT payload's `url` is the destination.
 * (The older `/ss/c/u001.…` links are binary and listed in opaque.ts.)
 */
export const beehiivClick: WrapperFamily = {
  tracker: 'beehiiv',
  decode(url) {
    if (!url.hostname.endsWith('beehiiv.net') && !url.hostname.endsWith('beehiiv.com')) return null;
    const [version, clicks, token] = pathSegments(url);
    if (version !== 'v2' || clicks !== 'clicks' || !token) return null;
    return asWebUrl(jwtPayload(token, 3)?.url);
  },
};
