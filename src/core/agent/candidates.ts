/**
 * Which links the rules settle and which the model is asked about. The link ranking's kind and
 * score decide: sure startups and sure others never reach the model; the uncertain middle does,
 * and where the model's answer does not stand, the rules' leaning decides it.
 */
import type { LinkCandidate, LinkKind } from '../links/types.ts';

/** At or above: a startup without asking the model. */
export const certainStartupScore = 0.8;
/** Below (or of an excluded kind): not a startup without asking the model. */
export const certainOtherScore = 0.2;
/** The rules' own answer for an uncertain link, used whenever the model's does not stand. */
export const leaningScore = 0.5;
/**
 * Kinds whose host serves many owners' links (a social network, a news site, a code host…): none is a company's own
 * site, and a verdict on one's domain would hold for every link there.
 */
export const sharedPlatformKinds: ReadonlySet<LinkKind> = new Set([
  'social',
  'media',
  'newsletter',
  'image',
  'appstore',
  'code',
]);
/** Kinds the deterministic classifier is sure are not a company's own site. */
const excludedKinds: ReadonlySet<LinkKind> = new Set([...sharedPlatformKinds, 'bigco']);

export interface CandidateSplit {
  certain: LinkCandidate[];
  uncertain: LinkCandidate[];
  excluded: LinkCandidate[];
}

export function splitCandidates(links: readonly LinkCandidate[]): CandidateSplit {
  const split: CandidateSplit = { certain: [], uncertain: [], excluded: [] };
  for (const link of links) {
    if (link.kind === 'startup' && link.score >= certainStartupScore) split.certain.push(link);
    else if (excludedKinds.has(link.kind) || link.score < certainOtherScore) split.excluded.push(link);
    else split.uncertain.push(link);
  }
  return split;
}

export const rulesSayStartup = (link: LinkCandidate): boolean => link.score >= leaningScore;

/**
 * A link behind an opaque tracker whose anchor holds no words (an image without alt text, a bare "→"): neither the
 * rules nor a person can tell what it is, and its only domain is the tracker's.
 */
export const nothingToJudgeBy = (link: LinkCandidate): boolean => link.needsNetwork && !/\p{L}/u.test(link.text);
