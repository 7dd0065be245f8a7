/**
 * The words the personal layer learns over, read from a link as the table knows it (not from the shipped scorer's
 * hashed vector): a correction stored today must still mean the same after `train:links` changes its features.
 * Each feature is a short string; a correction keeps them, so it can be learned from without the newsletter.
 */
import { eng as englishFunctionWords } from 'stopword';
import { genericAnchor } from '../links/signals.ts';
import type { LinkCandidate } from '../links/types.ts';

export type PersonalLink = Pick<
  LinkCandidate,
  'url' | 'host' | 'domain' | 'text' | 'context' | 'heading' | 'isImage' | 'needsNetwork' | 'tracker'
>;

/**
 * Features every link of a sender shares in large numbers: a correction may move them only a little, so a few
 * clicks cannot turn a whole newsletter into startups (see personal-layer.ts).
 */
export function isBroadFeature(feature: string): boolean {
  return feature === 'bias' || feature.startsWith('via:') || feature.startsWith('tld:');
}

/**
 * "The", "and", "on" sit in the headings and beside the anchors of startups and non-startups alike: learned from a
 * correction, they moved every link of a sender that shares them (eval:corrections turned real startups down that
 * way), so the words the layer learns over leave them out.
 */
const functionWords: ReadonlySet<string> = new Set(englishFunctionWords);

function words(text: string, limit: number): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}][\p{L}\p{N}&'’-]*/gu)) {
    const word = match[0].replace(/['’-]+$/, '');
    if (functionWords.has(word)) continue;
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}

/** The words right before and after the anchor in its sentence ("hiring at X", "X (sponsor)"). */
function neighbours(text: string, context: string): string[] {
  const anchor = text.trim();
  const at = anchor.length >= 2 ? context.indexOf(anchor) : -1;
  if (at < 0) return [];
  const left = words(context.slice(Math.max(0, at - 30), at), 40).at(-1);
  const right = words(context.slice(at + anchor.length, at + anchor.length + 30), 1)[0];
  return [...(left ? [`left:${left}`] : []), ...(right ? [`right:${right}`] : [])];
}

export function personalFeatures(link: PersonalLink): string[] {
  const features = new Set<string>(['bias']);
  features.add(link.needsNetwork ? `via:${link.tracker ?? 'tracker'}` : 'via:direct');
  if (!link.needsNetwork) {
    const tld = link.domain.slice(link.domain.lastIndexOf('.') + 1);
    if (tld) features.add(`tld:${tld}`);
    const sub = link.host.replace(/^www\./, '');
    if (sub !== link.domain && sub.endsWith(`.${link.domain}`)) {
      features.add(
        `sub:${sub
          .slice(0, -link.domain.length - 1)
          .split('.')
          .at(-1)}`,
      );
    }
    const segments = URL.canParse(link.url) ? new URL(link.url).pathname.split('/').filter(Boolean) : [];
    features.add(segments[0] ? `path:${segments[0].toLowerCase().slice(0, 24)}` : 'path:/');
    // A home page, a page of a site, or an article whose slug is a headline ("acme-raises-10-million").
    const slug = segments.at(-1) ?? '';
    features.add(segments.length === 0 ? 'page:home' : slug.split(/[-_]/).length >= 4 ? 'page:article' : 'page:inner');
  }

  const heading = words(link.heading, 6);
  if (heading.length > 0) features.add(`heading:${heading.join(' ')}`);
  for (const word of heading) features.add(`heading-word:${word}`);
  // "More here" says nothing about where it leads: its words would teach the layer about every such link.
  if (!genericAnchor.test(link.text.trim())) for (const word of words(link.text, 8)) features.add(`anchor:${word}`);
  for (const feature of neighbours(link.text, link.context)) features.add(feature);
  if (link.isImage) features.add('image');
  return [...features].map((feature) => feature.slice(0, 120)).slice(0, 64);
}
