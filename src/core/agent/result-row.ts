/**
 * The row the results table shows, defined once where it is produced: the newsletter job emits it,
 * and the table, the exports, Ask's updates and history carry it unchanged. Storage validates saved
 * runs against `ResultRowSchema` (src/storage/history.ts).
 *
 * Every browser that saved a run holds rows of this shape: DO NOT CHANGE it without a migration in
 * the history store (a new optional field reads old rows as they are; anything else needs one).
 */
import Type from 'typebox';
import { CorrectionBasisSchema } from '../corrections/correction.ts';
import { nameKey } from '../crm/names.ts';
import type { CrmStatus, MatchResult } from '../crm/types.ts';
import { destinationDomain, type LinkCandidate } from '../links/types.ts';

export const CrmStatusSchema = Type.Union([
  Type.Literal('in-crm'),
  Type.Literal('possible'),
  Type.Literal('not-in-crm'),
]);

export const ResultRowSchema = Type.Object({
  /** The link's id in its run (`L3`). */
  id: Type.String(),
  /** The company as the newsletter names it (the model's name when it judged the link). */
  name: Type.String(),
  url: Type.String(),
  host: Type.String(),
  /** Registrable domain (`acme.com`); what the CRM is matched on. Empty when a tracker hides the destination. */
  domain: Type.String(),
  /** The sentence the link appeared in. */
  sentence: Type.String(),
  status: CrmStatusSchema,
  /** The CRM match's evidence as shown (`domain acme.com`, `name ≈ 0.93 (Acme Robotics)`). */
  evidence: Type.Array(Type.String()),
  companyId: Type.Union([Type.String(), Type.Null()]),
  companyName: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  /** Who decided it is a startup, in words (`rules`, `model, confirmed by a second sample`...). */
  decidedBy: Type.String(),
  /** The ranking's features, for the confidence's tooltip. */
  reason: Type.String(),
  /** The person moved it from the "Maybe" group into the table (added later: absent in older rows). */
  promoted: Type.Optional(Type.Boolean()),
  /** The newsletter marks it as paid placement, a sponsor block (added later: absent in older rows). */
  sponsored: Type.Optional(Type.Boolean()),
  /** Its domain passes for another (an IDN look-alike): the readable form, the one the browser resolves, why. */
  lookAlike: Type.Optional(Type.Object({ unicode: Type.String(), punycode: Type.String(), why: Type.String() })),
  /** What a correction of this row records: the link's identity and how the ranking saw it (added later). */
  correction: Type.Optional(CorrectionBasisSchema),
});

export type ResultRow = Type.Static<typeof ResultRowSchema>;

/** The decision about one link: the name it goes by, and who decided it is a startup. */
export interface RowPick {
  name: string;
  decidedBy: string;
}

const confidenceOf = (score: number) => Math.min(1, Math.max(0, Math.round(score * 1000) / 1000));

/** What a row shows of its CRM match (none found: a new company). */
export function crmFields(
  match: MatchResult | undefined,
): Pick<ResultRow, 'status' | 'evidence' | 'companyId' | 'companyName'> {
  const status: CrmStatus = match?.status ?? 'not-in-crm';
  return {
    status,
    evidence: match?.evidence.map((evidence) => evidence.detail) ?? [],
    companyId: match?.company?.id ?? null,
    companyName: match?.company?.name ?? null,
  };
}

/** A startup link, the decision about it and its CRM match, as the table shows it. */
export function resultRow(link: LinkCandidate, pick: RowPick, match: MatchResult | undefined): ResultRow {
  return {
    id: link.id,
    name: pick.name || destinationDomain(link) || link.text.trim() || link.host,
    url: link.url,
    host: link.host,
    domain: destinationDomain(link) ?? '',
    sentence: link.context,
    ...crmFields(match),
    confidence: confidenceOf(link.score),
    decidedBy: pick.decidedBy,
    reason: [fallbackNote(pick.decidedBy), ...link.features].filter(Boolean).join('; '),
    ...(link.kind === 'sponsor' ? { sponsored: true } : {}),
    ...(link.lookAlike
      ? { lookAlike: { unicode: link.lookAlike.unicode, punycode: link.lookAlike.punycode, why: link.lookAlike.why } }
      : {}),
  };
}

/** A link the model was asked about but the rules decided says so first in its reason. */
function fallbackNote(decidedBy: string): string {
  return decidedBy.startsWith('rules') && decidedBy !== 'rules' ? `decided by the ${decidedBy}` : '';
}

/** An uncertain link that was turned down, for the "Maybe" group: its reason is the ranking's verdict in words. */
export function maybeRow(link: LinkCandidate, pick: RowPick, match: MatchResult | undefined): ResultRow {
  return { ...resultRow(link, { ...pick, name: link.name }, match), reason: link.reason ?? link.features.join('; ') };
}

/**
 * One row per company, the first in the newsletter's order: a second link to the same site (its home page, then its
 * pricing page) or a second wrapped link under the same name ("Vulcan Elements Secures…", then "Vulcan Elements")
 * is the same company. A row without a domain is known only by its name, so it joins any row of that name; rows
 * with different domains stay apart even when their names agree (acme.com and acme.io may be two companies).
 * `also` holds rows already shown elsewhere (the table, for the Maybe group): a company among them is left out.
 */
export function onePerCompany(rows: readonly ResultRow[], also: readonly ResultRow[] = []): ResultRow[] {
  const domains = new Set<string>();
  const names = new Set<string>();
  const seen = (row: ResultRow): boolean => {
    const name = nameKey(row.name);
    const known = row.domain ? domains.has(row.domain) : name !== '' && names.has(name);
    if (row.domain) domains.add(row.domain);
    if (name) names.add(name);
    return known;
  };
  for (const row of also) seen(row);
  return rows.filter((row) => !seen(row));
}

/** A "Maybe" row the person counts as a startup; exports say so. */
export function promotedRow(row: ResultRow): ResultRow {
  return { ...row, promoted: true, decidedBy: 'you (promoted from Maybe)' };
}
