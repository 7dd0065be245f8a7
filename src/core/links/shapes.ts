/**
 * Sentence shapes the hand-set rules used to call a wrapped name a company: a TL;DR that opens with it, a price, a
 * business verb, a named ranking. Each was written for one labelled item; kept as one feature until the learned
 * scorer shows what removing them costs.
 */
import { rankingMaker } from './names.ts';

const tldr = /\bTL;?DR\s*:\s*/gi;

function summarisedAs(context: string, name: string): boolean {
  if (!context.includes('DR') && !context.includes('dr')) return false;
  tldr.lastIndex = 0;
  for (let match = tldr.exec(context); match; match = tldr.exec(context)) {
    if (context.startsWith(name, match.index + match[0].length)) return true;
  }
  return false;
}

const priced = /[$€£]\s?\d+|\b\d+\s?(€|\$|euros?|dollars?)(?!\p{L})/iu;
const businessVerb = /^\s+is\s+(attacking|building|making|selling|supplying|disrupting|bringing|helping|rebuilding)\b/;

function doingBusiness(context: string, name: string): boolean {
  let at = context.indexOf(name);
  while (at >= 0) {
    if (businessVerb.test(context.slice(at + name.length, at + name.length + 30))) return true;
    at = context.indexOf(name, at + name.length);
  }
  return false;
}

export function anchorShapes(context: string, name: string): boolean {
  return (
    summarisedAs(context, name) ||
    (context.startsWith(name) && priced.test(context)) ||
    doingBusiness(context, name) ||
    (rankingMaker.test(name) && /\brank|\blead/i.test(context))
  );
}
