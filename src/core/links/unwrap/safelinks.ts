import { asWebUrl } from './encoding.ts';
import type { WrapperFamily } from './family.ts';

/** Microsoft Defender / Outlook SafeLinks, `eur03.safelinks.protection.outlook.com/?url=<enc>&data=…`. */
export const safelinks: WrapperFamily = {
  tracker: 'safelinks',
  decode(url) {
    if (!url.hostname.endsWith('.safelinks.protection.outlook.com')) return null;
    return asWebUrl(url.searchParams.get('url'));
  },
};
