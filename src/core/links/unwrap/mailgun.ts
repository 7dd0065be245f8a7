import { unzlibSync } from 'fflate';
import { base64ToBytes, asWebUrl, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

const latin1 = new TextDecoder('latin1');

/**
 * Mailgun click tracking (`email.mg2.substack.com/c/eJx…`, branded hosts like `trk.gdiy.fr/c/eJ…`): the segment
 * after `/c/` is base64url of a zlib stream holding a query string whose `l` is the destination. `eJ` is how every
 * zlib stream with default settings starts in base64, so the path shape alone identifies the family on any host.
 */
export const mailgun: WrapperFamily = {
  tracker: 'mailgun',
  decode(url) {
    const [first, token] = pathSegments(url);
    if (first !== 'c' || !token?.startsWith('eJ')) return null;
    const compressed = base64ToBytes(token);
    if (!compressed) return null;
    let query: string;
    try {
      query = latin1.decode(unzlibSync(compressed));
    } catch {
      return null;
    }
    return asWebUrl(new URLSearchParams(query).get('l'));
  },
};
