import { asWebUrl } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/** Google's redirector (`www.google.com/url?q=…`, Gmail's `data-saferedirecturl`): `q` or `url` is the destination. */
const googleHost = /^(www\.)?google\.[a-z]{2,3}(\.[a-z]{2})?$/;

export const google: WrapperFamily = {
  tracker: 'google',
  decode(url) {
    if (url.pathname !== '/url' || !googleHost.test(url.hostname)) return null;
    return asWebUrl(url.searchParams.get('q')) ?? asWebUrl(url.searchParams.get('url'));
  },
};
