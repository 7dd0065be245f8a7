/**
 * Batches kept in this browser (store `batch`): what a batch of newsletters found, saved as it goes, so a cancel
 * or a closed tab loses nothing and dropping the same files again continues where it stopped.
 *
 * Layout: `batch:<id>` is the head (the checkpoint, counts, problems), `batch:<id>:part:<n>` holds the newsletters
 * and mentions of one crossing from the worker (and their links the rules were unsure of), `batch:<id>:judged:<n>`
 * the model's verdicts on one newsletter's unsure links with the calls they cost, and `index` lists the heads'
 * summaries newest first. A part and the head that counts it are written in one transaction, so the checkpoint
 * never names a newsletter whose mentions were not saved.
 *
 * Version 1 (before the model judged batches) had no unsure links in its parts and no `judgedParts`: it reads as
 * a batch with nothing left to judge.
 *
 * Stored records carry `schemaVersion`. DO NOT CHANGE what is stored without a new version here and a reader for
 * the old one, with a test. Whatever is read back is checked: a damaged record is skipped, never shown half-way.
 */
import { del, delMany, get, getMany, setMany, update } from 'idb-keyval';
import Type from 'typebox';
import Value from 'typebox/value';
import { BatchCheckpointSchema } from '../core/batch/checkpoint.ts';
import type { NewsletterVerdicts, UncertainLinks } from '../core/batch/batch-judge.ts';
import type { Mention } from '../core/batch/merge.ts';
import { store, withQuotaMessage } from './db.ts';

export const BATCH_SCHEMA_VERSION = 2;
/** Oldest batches beyond this are dropped when a new one starts. */
export const BATCH_HISTORY_LIMIT = 20;

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SavedMentionSchema = Type.Object({
  name: Type.String(),
  url: Type.String(),
  domain: Nullable(Type.String()),
  context: Type.String(),
  newsletterId: Type.String(),
  newsletterName: Type.String(),
  date: Nullable(Type.String()),
  decidedBy: Type.Optional(Type.String()),
  /** Added later: absent in older saved batches. */
  sponsored: Type.Optional(Type.Boolean()),
});

/** Every `LinkKind`: a kind added to the links and not here makes saving a part fail to compile. */
const LinkKindSchema = Type.Union([
  Type.Literal('startup'),
  Type.Literal('social'),
  Type.Literal('media'),
  Type.Literal('newsletter'),
  Type.Literal('sponsor'),
  Type.Literal('image'),
  Type.Literal('appstore'),
  Type.Literal('code'),
  Type.Literal('bigco'),
  Type.Literal('other'),
]);

/** A link the rules were unsure of, whole: the judge's prompt and its name check read most of it. */
export const SavedLinkSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  host: Type.String(),
  domain: Type.String(),
  kind: LinkKindSchema,
  score: Type.Number(),
  features: Type.Array(Type.String()),
  name: Type.String(),
  text: Type.String(),
  context: Type.String(),
  heading: Type.String(),
  isImage: Type.Boolean(),
  needsNetwork: Type.Boolean(),
  tracker: Nullable(Type.String()),
  occurrences: Type.Number(),
  firstPosition: Type.Number(),
  originalHref: Type.String(),
});

export const SavedUncertainSchema = Type.Object({
  newsletterId: Type.String(),
  newsletterName: Type.String(),
  date: Nullable(Type.String()),
  links: Type.Array(SavedLinkSchema),
});

const TraceEngineSchema = Type.Object({
  id: Type.String(),
  model: Type.String(),
  size: Type.Union([Type.Literal('small'), Type.Literal('large')]),
  location: Type.Union([
    Type.Literal('on-device'),
    Type.Literal('cloud'),
    Type.Literal('on-premises'),
    Type.Literal('test'),
  ]),
});

/** One newsletter's unsure links as the model (through the gates) or the rules decided them, and the calls spent. */
export const SavedVerdictsSchema = Type.Object({
  newsletterId: Type.String(),
  judgements: Type.Array(
    Type.Object({ id: Type.String(), startup: Type.Boolean(), name: Type.String(), decidedBy: Type.String() }),
  ),
  calls: Type.Array(
    Type.Object({
      engine: TraceEngineSchema,
      promptTokens: Type.Number(),
      outputTokens: Type.Number(),
      durationMs: Type.Number(),
    }),
  ),
});

export const JudgedPartSchema = Type.Object({ verdicts: Type.Array(SavedVerdictsSchema) });

/** One newsletter of the queue as it ended. */
export const SavedNewsletterSchema = Type.Object({
  key: Type.String(),
  sender: Type.String(),
  subject: Type.String(),
  date: Nullable(Type.String()),
  where: Type.String(),
  status: Type.Union([Type.Literal('done'), Type.Literal('failed')]),
  startups: Type.Number(),
  /** The failure or the input's own notes, in sentences. */
  notes: Type.Array(Type.String()),
});

export const SavedProblemSchema = Type.Object({ where: Type.String(), problem: Type.String(), fatal: Type.Boolean() });

export const BatchStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('cancelled'),
  Type.Literal('complete'),
]);

const SavedBatchFields = {
  id: Type.String({ minLength: 1 }),
  /** The files, for the user: `Inbox.mbox`, `3 files`. */
  title: Type.String(),
  /** `running` that is not this tab's own run means the tab closed mid-way. */
  status: BatchStatusSchema,
  checkpoint: BatchCheckpointSchema,
  parts: Type.Number({ minimum: 0 }),
  excludedSenders: Type.Array(Type.String()),
  expectedNewsletters: Nullable(Type.Number()),
  failed: Type.Number(),
  skippedSentences: Type.Array(Type.String()),
  problems: Type.Array(SavedProblemSchema),
  /** The merged table's keys once the batch is complete: "new since the last batch" compares with these. */
  tableKeys: Type.Array(Type.String()),
  /** What judging the links the rules were unsure of would cost the model (`core/batch/model-budget.ts`). */
  judgeWork: Type.Object({
    links: Type.Number(),
    calls: Type.Number(),
    promptTokens: Type.Number(),
    outputTokens: Type.Number(),
  }),
};

/**
 * What the History list says of a batch without reading its parts: the table as last shown. Optional on the head
 * and its list entry (added within version 2): a batch saved before it, or before its table was first shown, has
 * none, and the list says so instead of guessing.
 */
export const BatchTallySchema = Type.Object({
  /** Rows of the merged table. */
  startups: Type.Number({ minimum: 0 }),
  /** Rows the CRM did not know when the table was last checked; null when it could not be checked. */
  notInCrm: Nullable(Type.Number({ minimum: 0 })),
  /** Links the rules were unsure of, and how many of them a model has judged. */
  unsureLinks: Type.Number({ minimum: 0 }),
  judgedLinks: Type.Number({ minimum: 0 }),
});

export const SavedBatchSchema = Type.Object({
  schemaVersion: Type.Literal(BATCH_SCHEMA_VERSION),
  ...SavedBatchFields,
  /** Parts of the model's verdicts (`batch:<id>:judged:<n>`). */
  judgedParts: Type.Number({ minimum: 0 }),
  tally: Type.Optional(BatchTallySchema),
});

/** Before the model judged batches: no verdicts. */
const SavedBatchV1Schema = Type.Object({ schemaVersion: Type.Literal(1), ...SavedBatchFields });

export const BatchPartSchema = Type.Object({
  newsletters: Type.Array(SavedNewsletterSchema),
  mentions: Type.Array(SavedMentionSchema),
  /** Version 2: the newsletters' links the rules were unsure of (absent in version 1 parts). */
  uncertain: Type.Optional(Type.Array(SavedUncertainSchema)),
});

export const BatchSummarySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  title: Type.String(),
  status: BatchStatusSchema,
  updatedAt: Type.Number(),
  newsletters: Type.Number(),
  tally: Type.Optional(BatchTallySchema),
});

export type SavedBatch = Type.Static<typeof SavedBatchSchema>;
export type SavedNewsletter = Type.Static<typeof SavedNewsletterSchema>;
export type BatchPart = Type.Static<typeof BatchPartSchema>;
export type BatchListEntry = Type.Static<typeof BatchSummarySchema>;
export type JudgedPart = Type.Static<typeof JudgedPartSchema>;
export type BatchTally = Type.Static<typeof BatchTallySchema>;

/** A batch read back whole: its head and every part in order. */
export interface LoadedBatch {
  batch: SavedBatch;
  newsletters: SavedNewsletter[];
  mentions: Mention[];
  /** The newsletters' links the rules were unsure of. */
  uncertain: UncertainLinks[];
  /** The model's verdicts so far, one entry per judged newsletter. */
  verdicts: NewsletterVerdicts[];
}

const INDEX_KEY = 'index';
const headKey = (id: string) => `batch:${id}`;
const partKey = (id: string, n: number) => `batch:${id}:part:${n}`;
const judgedKey = (id: string, n: number) => `batch:${id}:judged:${n}`;

/** Every part a head counts: the rules' parts in order, then the model's verdicts (`loadBatch` reads them so). */
function storedPartKeys(batch: SavedBatch): string[] {
  return [
    ...Array.from({ length: batch.parts }, (_, n) => partKey(batch.id, n)),
    ...Array.from({ length: batch.judgedParts }, (_, n) => judgedKey(batch.id, n)),
  ];
}

export function summariseBatch(batch: SavedBatch): BatchListEntry {
  return {
    id: batch.id,
    title: batch.title,
    status: batch.status,
    updatedAt: batch.checkpoint.updatedAt,
    newsletters: batch.checkpoint.done.length,
    ...(batch.tally ? { tally: batch.tally } : {}),
  };
}

export function parseBatchIndex(stored: unknown): BatchListEntry[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const entries: BatchListEntry[] = [];
  for (const item of stored) {
    if (!Value.Check(BatchSummarySchema, item) || seen.has(item.id)) continue;
    seen.add(item.id);
    entries.push(item);
  }
  return entries.sort((a, b) => b.updatedAt - a.updatedAt);
}

export function readSavedBatch(stored: unknown): SavedBatch | undefined {
  if (Value.Check(SavedBatchSchema, stored)) return stored;
  if (Value.Check(SavedBatchV1Schema, stored))
    return { ...stored, schemaVersion: BATCH_SCHEMA_VERSION, judgedParts: 0 };
  return undefined;
}

function checked(batch: SavedBatch): void {
  if (!Value.Check(SavedBatchSchema, batch)) {
    const [first] = Value.Errors(SavedBatchSchema, batch);
    throw new Error(`This batch could not be saved: ${first?.instancePath ?? ''} ${first?.message ?? ''}`);
  }
}

async function writeIndex(batch: SavedBatch): Promise<string[]> {
  let dropped: string[] = [];
  await withQuotaMessage(() =>
    update(
      INDEX_KEY,
      (stored: unknown) => {
        const merged = [summariseBatch(batch), ...parseBatchIndex(stored).filter((entry) => entry.id !== batch.id)];
        merged.sort((a, b) => b.updatedAt - a.updatedAt);
        dropped = merged.slice(BATCH_HISTORY_LIMIT).map((entry) => entry.id);
        return merged.slice(0, BATCH_HISTORY_LIMIT);
      },
      store('batch'),
    ),
  );
  return dropped;
}

/** Saves a new batch's head (nothing done yet) and lists it; batches beyond the limit are deleted. */
export async function startBatch(batch: SavedBatch): Promise<void> {
  checked(batch);
  await withQuotaMessage(() => setMany([[headKey(batch.id), batch]], store('batch')));
  const dropped = await writeIndex(batch);
  await Promise.all(dropped.map((id) => deleteBatch(id)));
}

/**
 * Writes a part and the head that counts it in one transaction: `counter` names the head's count of such parts,
 * raised on `batch` once both are saved.
 */
async function appendPart(
  batch: SavedBatch,
  counter: 'parts' | 'judgedParts',
  key: (id: string, n: number) => string,
  part: BatchPart | JudgedPart,
): Promise<void> {
  const n = batch[counter];
  const next = { ...batch, [counter]: n + 1 };
  checked(next);
  await withQuotaMessage(() =>
    setMany(
      [
        [key(batch.id, n), part],
        [headKey(batch.id), next],
      ],
      store('batch'),
    ),
  );
  batch[counter] = n + 1;
}

/**
 * Saves one crossing's newsletters and mentions with the head that now counts them, in one transaction. `batch`
 * is the head after the caller marked the part's keys done; its `parts` is raised here.
 */
export function appendToBatch(batch: SavedBatch, part: BatchPart): Promise<void> {
  return appendPart(batch, 'parts', partKey, part);
}

/** Saves the model's verdicts on newsletters' unsure links with the head that counts them, in one transaction. */
export function appendVerdicts(batch: SavedBatch, part: JudgedPart): Promise<void> {
  return appendPart(batch, 'judgedParts', judgedKey, part);
}

/** Saves the head alone (the status, the summary's sentences, the table's keys) and updates the list. */
export async function saveBatchHead(batch: SavedBatch): Promise<void> {
  checked(batch);
  await withQuotaMessage(() => setMany([[headKey(batch.id), batch]], store('batch')));
  await writeIndex(batch);
}

/**
 * Sets the tally History lists on the stored head and its list entry, and nothing else: the page that shows a batch
 * may not be the one running it (another tab), so its copy of the head must not overwrite the checkpoint. A batch
 * deleted meanwhile stays deleted.
 */
export async function saveBatchTally(id: string, tally: BatchTally): Promise<void> {
  let saved: SavedBatch | undefined;
  await withQuotaMessage(() =>
    update(
      headKey(id),
      (stored: unknown) => {
        const head = readSavedBatch(stored);
        if (!head) return stored;
        saved = { ...head, tally };
        return saved;
      },
      store('batch'),
    ),
  );
  // idb-keyval's update writes whatever the updater returns: a deleted batch would be left an empty key.
  if (saved) await writeIndex(saved);
  else await del(headKey(id), store('batch'));
}

export async function listBatches(): Promise<BatchListEntry[]> {
  return parseBatchIndex(await get(INDEX_KEY, store('batch')));
}

/** A batch with its parts; undefined when it is gone or its head is damaged. A damaged part is left out. */
export async function loadBatch(id: string): Promise<LoadedBatch | undefined> {
  const batch = readSavedBatch(await get(headKey(id), store('batch')));
  if (!batch) return undefined;
  const keys = storedPartKeys(batch);
  const stored = keys.length > 0 ? await getMany(keys, store('batch')) : [];
  const newsletters: SavedNewsletter[] = [];
  const mentions: Mention[] = [];
  const uncertain: UncertainLinks[] = [];
  for (const part of stored.slice(0, batch.parts)) {
    if (!Value.Check(BatchPartSchema, part)) continue;
    newsletters.push(...part.newsletters);
    mentions.push(...part.mentions);
    uncertain.push(...(part.uncertain ?? []));
  }
  const verdicts: NewsletterVerdicts[] = [];
  for (const part of stored.slice(batch.parts)) {
    // A damaged part loses only its newsletters' verdicts: the rules' leaning stands for them and they can be judged again.
    if (Value.Check(JudgedPartSchema, part)) verdicts.push(...(part.verdicts as NewsletterVerdicts[]));
  }
  return { batch, newsletters, mentions, uncertain, verdicts };
}

/** The newest batch, if any. */
export async function latestBatch(): Promise<LoadedBatch | undefined> {
  for (const entry of await listBatches()) {
    const loaded = await loadBatch(entry.id);
    if (loaded) return loaded;
  }
  return undefined;
}

/** The table keys of the newest complete batch other than `exceptId`: what "new since the last batch" means. */
export async function lastCompleteTableKeys(exceptId: string): Promise<{ keys: string[]; at: number } | null> {
  for (const entry of await listBatches()) {
    if (entry.id === exceptId || entry.status !== 'complete') continue;
    const batch = readSavedBatch(await get(headKey(entry.id), store('batch')));
    if (batch) return { keys: batch.tableKeys, at: batch.checkpoint.updatedAt };
  }
  return null;
}

export async function deleteBatch(id: string): Promise<void> {
  // The list entry goes first: a batch the list no longer names is invisible even if a delete below fails.
  await update(
    INDEX_KEY,
    (stored: unknown) => parseBatchIndex(stored).filter((entry) => entry.id !== id),
    store('batch'),
  );
  const batch = readSavedBatch(await get(headKey(id), store('batch')));
  await delMany(batch ? storedPartKeys(batch) : [], store('batch'));
  await del(headKey(id), store('batch'));
}
