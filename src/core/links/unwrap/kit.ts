import { asWebUrl, base64ToText, pathSegments } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/** Kit (formerly ConvertKit), `<hex>.click.kit-mail3.com/<t>/<t>/<base64 URL>`: the last segment is the URL. */
const kitHost = /(^|\.)(kit-mail\d*|convertkit-mail\d*)\.com$/;

export const kit: WrapperFamily = {
  tracker: 'kit',
  decode(url) {
    if (!kitHost.test(url.hostname)) return null;
    const last = pathSegments(url).at(-1);
    return last ? asWebUrl(base64ToText(last)) : null;
  },
};
