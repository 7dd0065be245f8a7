/**
 * One item in, a decision out: a newsletter (with what the table and the senders list need to know about it) or a
 * reason to skip it. Only the header block of an email is read here; the body is the pipeline's business, and only
 * for newsletters. The pre-scan and the run both screen through this, so their counts agree.
 */
import { documentDate } from './document-date.ts';
import { dateOf, messageIdOf, readHeaderBlock, type Sender, senderOf, subjectOf } from './headers.ts';
import { mimeDamage } from './mime-check.ts';
import { judgeMessage, type SignalStrength } from './newsletter-signals.ts';
import type { DocumentItem, EmailItem, ItemOrigin, SkipReason } from './types.ts';

/** Documents chosen as files have no sender: they are grouped under this one. */
export const CHOSEN_FILES: Sender = { key: 'files', name: 'Files you chose', address: '', domain: '' };
const UNKNOWN_SENDER: Sender = { key: 'unknown', name: 'Unknown sender', address: '', domain: '' };

/** What is known about a newsletter before its body is read. */
export interface NewsletterMeta {
  /** Stable across runs and exports: `mid:<Message-ID>`, else `sha256:<hash of the bytes>`. */
  key: string;
  sender: Sender;
  subject: string;
  /** When it was sent (ISO), or null. */
  date: string | null;
  origin: ItemOrigin;
  /** How it was recognised: its headers' evidence, or `chosen-file` for a document the user chose. */
  strength: SignalStrength | 'chosen-file';
  signals: string[];
  /** What is wrong with the input itself (cut off, a damaged MIME tree), in sentences; [] for most. */
  notes: string[];
}

export type Screened =
  | { kind: 'newsletter'; meta: NewsletterMeta; bytes: Uint8Array; fileName: string }
  | { kind: 'skipped'; reason: SkipReason; origin: ItemOrigin; sender: Sender | null };

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** A key for content without a Message-ID: the same bytes give the same key in every run. */
export async function contentKey(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `sha256:${hex(new Uint8Array(digest).subarray(0, 16))}`;
}

export async function screenItem(item: EmailItem | DocumentItem): Promise<Screened> {
  if (item.kind === 'document') {
    const title = item.fileName.replace(/\.[^.]+$/, '');
    return {
      kind: 'newsletter',
      bytes: item.bytes,
      fileName: item.fileName,
      meta: {
        key: await contentKey(item.bytes),
        sender: CHOSEN_FILES,
        subject: title,
        // A folder of saved issues often shares one modification date: the document's own date comes first.
        date:
          documentDate(item.bytes) ??
          (item.lastModified !== undefined ? new Date(item.lastModified).toISOString() : null),
        origin: item.origin,
        strength: 'chosen-file',
        signals: [],
        notes: [],
      },
    };
  }
  const block = readHeaderBlock(item.bytes);
  const sender = senderOf(block);
  const verdict = judgeMessage(block, sender);
  if (!verdict.newsletter) return { kind: 'skipped', reason: verdict.reason, origin: item.origin, sender };
  const messageId = messageIdOf(block);
  const meta: NewsletterMeta = {
    key: messageId ? `mid:${messageId}` : await contentKey(item.bytes),
    sender: sender ?? UNKNOWN_SENDER,
    subject: subjectOf(block),
    date: dateOf(block, item.envelope, item.lastModified),
    origin: item.origin,
    strength: verdict.strength,
    signals: verdict.signals,
    notes: [],
  };
  const damage = item.cutOff ?? mimeDamage(item.bytes);
  if (damage) meta.notes.push(damage);
  return { kind: 'newsletter', meta, bytes: item.bytes, fileName: 'message.eml' };
}
