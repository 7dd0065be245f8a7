import { asWebUrl, percentDecode } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/**
 * Amazon SES click tracking: `tracking.tldrnewsletter.com/CL0/https:%2F%2Fdevin.ai%2F/2/0100…/<sig>=413` on a
 * custom domain, `*.awstrack.me/L0/…` by default. The destination sits percent-encoded between the marker and
 * `/<n>/0100…` (the SES message id, which always starts with 0100).
 */
const marker = /^\/C?L0\//;
const messageId = /\/\d+\/0100[0-9a-f]{12}/;

export const amazonSes: WrapperFamily = {
  tracker: 'amazon-ses',
  decode(url) {
    // pathname keeps the percent-encoding as written, which is what lets the inner URL's slashes survive.
    const path = url.pathname;
    const start = marker.exec(path);
    if (!start) return null;
    const rest = path.slice(start[0].length);
    const end = messageId.exec(rest);
    if (!end) return null;
    return asWebUrl(percentDecode(rest.slice(0, end.index)));
  },
};
