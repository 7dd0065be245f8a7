import { asWebUrl, base64ToText, percentDecode } from './encoding.ts';
import type { UrlParts, WrapperFamily } from './family.ts';

/**
 * Proofpoint URL Defense, after the rules of Proofpoint's own URLDefenseDecode.py (read, not copied).
 * v2: `urldefense.proofpoint.com/v2/url?u=https-3A__x.com_a&d=…` — `-` stands for `%` and `_` for `/`.
 * v3: `urldefense.com/v3/__https://x.com/a__;<base64>!!…$` — the URL sits between `__` and `__;`; each `*` in it is
 * one character taken in order from the base64 bytes, `**X` a run whose length X encodes (A=2, B=3, …).
 */
const runAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeV2(url: UrlParts): string | null {
  const encoded = url.searchParams.get('u');
  if (!encoded) return null;
  return asWebUrl(percentDecode(encoded.replace(/-/g, '%').replace(/_/g, '/')));
}

function decodeV3(href: string): string | null {
  const start = href.indexOf('/v3/__');
  if (start < 0) return null;
  const body = href.slice(start + '/v3/__'.length);
  const end = body.indexOf('__;');
  if (end < 0) return null;
  const wrapped = percentDecode(body.slice(0, end));
  const afterSemicolon = body.slice(end + 3);
  const bang = afterSemicolon.indexOf('!');
  const replacementsEncoded = bang < 0 ? afterSemicolon : afterSemicolon.slice(0, bang);
  const replacements = replacementsEncoded.length > 0 ? Array.from(base64ToText(replacementsEncoded) ?? '') : [];
  let cursor = 0;
  let out = '';
  for (let i = 0; i < wrapped.length; i++) {
    const char = wrapped[i];
    if (char !== '*') {
      out += char;
      continue;
    }
    if (wrapped[i + 1] === '*' && i + 2 < wrapped.length) {
      const runLength = runAlphabet.indexOf(wrapped[i + 2] ?? '') + 2;
      if (runLength < 2) return null;
      out += replacements.slice(cursor, cursor + runLength).join('');
      cursor += runLength;
      i += 2;
    } else {
      out += replacements[cursor] ?? '';
      cursor += 1;
    }
  }
  return asWebUrl(out);
}

export const proofpoint: WrapperFamily = {
  tracker: 'proofpoint',
  decode(url) {
    if (url.hostname === 'urldefense.proofpoint.com' && url.pathname === '/v2/url') return decodeV2(url);
    if (url.hostname === 'urldefense.com' && url.pathname.startsWith('/v3/__')) return decodeV3(url.href);
    return null;
  },
};
