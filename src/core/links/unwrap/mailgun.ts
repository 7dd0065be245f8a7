import { unzlibSync } from 'fflate';
import { base64ToBytes, asWebUrl, firstPathSegment, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

const latin1 = new TextDecoder('latin1');

/**
 * Without an output buffer fflate allocates at least 128 kB per stream, which dominated unwrapping newsletters
 * full of Mailgun links; a payload is a query string of a few kB. Output that fills the scratch buffer may have
 * been cut (fflate drops what does not fit), so it is inflated again the allocating way.
 */
const scratch = new Uint8Array(32_768);

function inflate(compressed: Uint8Array): Uint8Array {
  const out = unzlibSync(compressed, { out: scratch });
  return out.length < scratch.length ? out : unzlibSync(compressed);
}

/**
 * Mailgun click tracking (`email.mg2.substack.com/c/eJx…`, branded hosts like `trk.gdiy.fr/c/eJ…`): the segment
 * after `/c/` is base64url of a zlib stream holding a query string whose `l` is the destination. `eJ` is how every
 * zlib stream with default settings starts in base64, so the path shape alone identifies the family on any host.
 */
export const mailgun: WrapperFamily = {
  tracker: 'mailgun',
  decode(url) {
    if (firstPathSegment(url) !== 'c') return null;
    const [first, token] = pathSegments(url);
    if (first !== 'c' || !token?.startsWith('eJ')) return null;
    const compressed = base64ToBytes(token);
    if (!compressed) return null;
    let query: string;
    try {
      query = latin1.decode(inflate(compressed));
    } catch {
      return null;
    }
    return asWebUrl(new URLSearchParams(query).get('l'));
  },
};
