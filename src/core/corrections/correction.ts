/**
 * A correction the person made to Sift's ranking, kept on this device (src/storage/corrections.ts) and applied to
 * every later run in the tools worker (apply.ts). The record carries what the link looked like when it was
 * corrected (its personal features and the shipped score), so the personal layer can learn from it later without
 * the newsletter it came from.
 *
 * Saved in IndexedDB and in exported files that teams share: DO NOT CHANGE the shape without a `format` bump and a
 * reader for the old one. A new optional field reads old records as they are.
 */
import Type from 'typebox';
import Value from 'typebox/value';

export const CorrectionKindSchema = Type.Union([
  Type.Literal('not-startup'),
  Type.Literal('is-startup'),
  Type.Literal('rename'),
]);

export const CorrectionSchema = Type.Object({
  /** One verdict and one rename per link target: a newer correction of the same target replaces the older. */
  id: Type.String({ minLength: 1, maxLength: 600 }),
  kind: CorrectionKindSchema,
  /** The registrable domain of a link whose destination is known; null for a link behind an opaque tracker. */
  domain: Type.Union([Type.String({ minLength: 1, maxLength: 253 }), Type.Null()]),
  /** The company's name as the row showed it (for a wrapped link, what identifies it again with `sender`). */
  name: Type.String({ maxLength: 200 }),
  /** The newsletter's own domain ('' when the run found none): scopes the personal layer and name verdicts. */
  sender: Type.String({ maxLength: 253 }),
  /** For `rename`: the name the person gave it. */
  newName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** The link's personal features when it was corrected (personal-features.ts); empty when unknown. */
  features: Type.Array(Type.String({ maxLength: 120 }), { maxItems: 64 }),
  /** The shipped ranking's score for the link then (0..1): where the personal layer's update starts from. */
  score: Type.Number({ minimum: 0, maximum: 1 }),
  /** When it was made, ISO 8601. */
  date: Type.String({ minLength: 10, maxLength: 40 }),
  /** Where it came from, in words ("results table: Weekly AI #12", "imported from team.json"). */
  source: Type.String({ maxLength: 300 }),
});

export type Correction = Type.Static<typeof CorrectionSchema>;
export type CorrectionKind = Type.Static<typeof CorrectionKindSchema>;

/**
 * What a row carries so the person can correct it: what identifies the link, and how it looked to the ranking.
 * Saved with the row in history (an optional field of src/core/agent/result-row.ts).
 */
export const CorrectionBasisSchema = Type.Object({
  domain: Type.Union([Type.String({ minLength: 1, maxLength: 253 }), Type.Null()]),
  name: Type.String({ maxLength: 200 }),
  sender: Type.String({ maxLength: 253 }),
  features: Type.Array(Type.String({ maxLength: 120 }), { maxItems: 64 }),
  score: Type.Number({ minimum: 0, maximum: 1 }),
});

export type CorrectionBasis = Type.Static<typeof CorrectionBasisSchema>;

/** Lower case, letters and digits only, single spaces: how a wrapped link's name is recognised in a later issue. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The link a correction is about: its domain when known (a domain verdict holds in every newsletter), else its
 * name within one sender (a name alone is too weak to hold everywhere).
 */
export function targetKey(basis: Pick<CorrectionBasis, 'domain' | 'name' | 'sender'>): string {
  return basis.domain ? `domain:${basis.domain.toLowerCase()}` : `name:${nameKey(basis.name)}@${basis.sender}`;
}

export function correctionId(kind: CorrectionKind, basis: Pick<CorrectionBasis, 'domain' | 'name' | 'sender'>): string {
  return `${kind === 'rename' ? 'rename' : 'verdict'}|${targetKey(basis)}`;
}

export function makeCorrection(
  kind: CorrectionKind,
  basis: CorrectionBasis,
  details: { date: Date | number; source: string; newName?: string },
): Correction {
  if (kind === 'rename' && !details.newName?.trim()) throw new Error('A new name is needed to rename a company.');
  if (!basis.domain && !nameKey(basis.name)) {
    throw new Error('This link has neither a domain nor a name, so Sift could not recognise it again.');
  }
  return {
    id: correctionId(kind, basis),
    kind,
    domain: basis.domain ? basis.domain.toLowerCase() : null,
    name: basis.name.slice(0, 200),
    sender: basis.sender,
    ...(kind === 'rename' ? { newName: details.newName!.trim().slice(0, 200) } : {}),
    features: basis.features.slice(0, 64),
    score: Math.min(1, Math.max(0, basis.score)),
    date: new Date(details.date).toISOString(),
    source: details.source.slice(0, 300),
  };
}

/** The record if `value` is one, else null (stored and imported data may be damaged or from elsewhere). */
export function parseCorrection(value: unknown): Correction | null {
  if (!Value.Check(CorrectionSchema, value)) return null;
  const correction = value as Correction;
  if (Number.isNaN(Date.parse(correction.date))) return null;
  if (correction.kind === 'rename' && !correction.newName) return null;
  if (correction.id !== correctionId(correction.kind, correction)) return null;
  return correction;
}

/** "3 Dec", in the person's calendar: the date a reason cites. */
export function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** How a correction names its link in a reason: the domain, or the name and the sender it holds for. */
function subject(correction: Correction): string {
  if (correction.domain) return correction.domain;
  return correction.sender ? `“${correction.name}” in newsletters from ${correction.sender}` : `“${correction.name}”`;
}

export function correctionNote(correction: Correction): string {
  const when = shortDate(correction.date);
  switch (correction.kind) {
    case 'not-startup':
      return `you marked ${subject(correction)} as not a startup on ${when}`;
    case 'is-startup':
      return `you marked ${subject(correction)} as a startup on ${when}`;
    case 'rename':
      return `you renamed ${subject(correction)} to “${correction.newName}” on ${when}`;
  }
}
