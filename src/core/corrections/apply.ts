/**
 * The person's corrections applied to one newsletter's ranked links (in the tools worker, after `extractLinks`):
 * 1. an exact verdict decides a link outright: its domain was marked, or (behind an opaque tracker) its name was
 *    marked in a newsletter from the same sender;
 * 2. otherwise the personal layer (personal-layer.ts) shifts the learned scorer's score for this sender's links;
 * 3. a rename gives the link the person's name for it.
 * Each link a correction changed says so in its reason and in `correctedBy`.
 */
import { startupThreshold, verdict } from '../links/classify.ts';
import { lookUpHost } from '../links/data/index.ts';
import { destinationDomain, type LinkCandidate, type LinkReport } from '../links/types.ts';
import { correctionNote, nameKey, targetKey } from './correction.ts';
import type { Correction, CorrectionBasis } from './correction.ts';
import { personalFeatures } from './personal-features.ts';
import { learnPersonalLayer, logOdds, sigmoid } from './personal-layer.ts';
import type { PersonalLayer } from './personal-layer.ts';

/**
 * The newsletter's own domains that identify it: a sending platform (hubspotemail.net, substack.com) or a mail
 * provider (gmail.com) serves thousands of newsletters, so corrections are never filed under one.
 */
export function ownSenders(report: Pick<LinkReport, 'senderDomains'>): string[] {
  return (report.senderDomains ?? []).filter((domain) => lookUpHost(domain) === null);
}

/** The sender a correction made on this report is filed under: its first own domain, '' when none was found. */
export function senderOf(report: Pick<LinkReport, 'senderDomains'>): string {
  return ownSenders(report)[0] ?? '';
}

/** What a row of this link carries so the person can correct it (see `CorrectionBasis`). */
export function correctionBasis(link: LinkCandidate, report: Pick<LinkReport, 'senderDomains'>): CorrectionBasis {
  return {
    domain: destinationDomain(link),
    name: link.name.slice(0, 200),
    sender: senderOf(report),
    // A link knowledge decided teaches the personal layer nothing: only its verdict counts.
    features: rankedByScorer(link) ? personalFeatures(link) : [],
    score: Math.min(1, Math.max(0, link.score)),
  };
}

/** The keys a correction of this link may have been filed under. */
function keysOf(link: LinkCandidate, senders: readonly string[]): string[] {
  if (!link.needsNetwork) return [targetKey({ domain: link.domain, name: link.name, sender: '' })];
  return senders.map((sender) => targetKey({ domain: null, name: link.name, sender }));
}

/**
 * Whether the learned scorer ranked the link (knowledge, such as a social network or the newsletter's own page,
 * decides the others outright and the personal layer leaves those alone). The scorer's reasons carry the score in
 * brackets ("Maybe a startup (0.35): …"); knowledge's reasons are one plain feature.
 */
export function rankedByScorer(link: Pick<LinkCandidate, 'reason' | 'score'>): boolean {
  return link.reason?.includes(`(${link.score.toFixed(2)}):`) ?? false;
}

function byVerdict(link: LinkCandidate, correction: Correction): LinkCandidate {
  const note = correctionNote(correction);
  const startup = correction.kind === 'is-startup';
  const score = startup ? 1 : 0;
  const kind = startup ? 'startup' : 'other';
  return {
    ...link,
    kind,
    score,
    features: [note, ...link.features],
    reason: `${verdict(score, kind)}: ${note}.`,
    correctedBy: note,
  };
}

function byLayer(link: LinkCandidate, layer: PersonalLayer, senders: readonly string[]): LinkCandidate {
  const shift = layer.shift(personalFeatures(link));
  if (shift === 0) return link;
  const score = Math.round(sigmoid(logOdds(link.score) + shift) * 100) / 100;
  if (score === link.score) return link;
  const kind =
    link.kind === 'sponsor'
      ? 'sponsor'
      : score >= startupThreshold
        ? 'startup'
        : link.kind === 'startup'
          ? 'other'
          : link.kind;
  const from = senders[0] ? `newsletters from ${senders[0]}` : 'newsletters like this one';
  const note = `your corrections on ${from} moved it from ${link.score.toFixed(2)}`;
  const crossed = link.score >= startupThreshold !== score >= startupThreshold;
  return {
    ...link,
    kind,
    score,
    features: [note, ...link.features],
    reason: `${verdict(score, kind)} (${score.toFixed(2)}): ${note}; ${link.features.slice(0, 2).join('; ') || 'no other signal'}.`,
    ...(crossed ? { correctedBy: note } : {}),
  };
}

/**
 * The report with the corrections applied; every link also carries what a correction of it would record (the page
 * never reads features itself: that takes the knowledge lists, which stay in the worker).
 */
export function applyCorrections(report: LinkReport, corrections: readonly Correction[]): LinkReport {
  const own = ownSenders(report);
  const senders = own.length > 0 ? own : [''];
  const verdicts = new Map<string, Correction>();
  const renames = new Map<string, Correction>();
  for (const correction of corrections) {
    const key = targetKey(correction);
    const into = correction.kind === 'rename' ? renames : verdicts;
    const known = into.get(key);
    if (!known || known.date < correction.date) into.set(key, correction);
  }
  const layer = learnPersonalLayer(corrections, senders);
  const links = report.links.map((original) => {
    const link = { ...original, correction: correctionBasis(original, report) };
    const keys = keysOf(link, senders);
    const decided = keys.map((key) => verdicts.get(key)).find((found) => found !== undefined);
    let next = decided ? byVerdict(link, decided) : rankedByScorer(link) ? byLayer(link, layer, senders) : link;
    const rename = keys.map((key) => renames.get(key)).find((found) => found !== undefined);
    if (rename?.newName && nameKey(rename.newName) !== nameKey(next.name)) {
      const note = correctionNote(rename);
      next = { ...next, name: rename.newName, features: [...next.features, note] };
    }
    return next;
  });
  return { ...report, links };
}
