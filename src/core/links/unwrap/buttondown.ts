import { asWebUrl, base64ToText, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * Buttondown click tracking (off by default), `buttondown.com/c/<base64>` on rotating hosts such as
 * `buttondown-0006.com`: the base64 holds `subscriber|email|URL|…`, so the destination is the field that is a URL.
 * Source: Buttondown blog "Granular tracking settings" (2022-02-06).
 */
const buttondownHost = /(^|\.)buttondown(-\d+)?\.(com|email)$/;

export const buttondown: WrapperFamily = {
  tracker: 'buttondown',
  decode(url) {
    if (!buttondownHost.test(url.hostname)) return null;
    const [first, token] = pathSegments(url);
    if (first !== 'c' || !token) return null;
    const fields = base64ToText(token)?.split('|') ?? [];
    for (const field of fields) {
      const destination = asWebUrl(field);
      if (destination) return destination;
    }
    return null;
  },
};
