/**
 * A raw email (`.eml`, MIME): postal-mime decodes the structure, transfer encodings and charsets; we keep the
 * HTML and text bodies (both: several senders put direct URLs only in the text part) and the headers that
 * name the sender's own domains.
 */
import PostalMime from 'postal-mime';
import type { Address, Email } from 'postal-mime';

export interface ParsedEmail {
  html: string;
  text: string;
  subject: string;
  /** Hosts the sender owns or mails from (From, Sender, Reply-To, List-* headers), lowercased, not yet reduced to domains. */
  senderHosts: string[];
  /** The From, Sender and Reply-To mailboxes, lowercased (`notboring@substack.com`). */
  senderMailboxes: string[];
}

/** List headers carry the newsletter's own URLs (`List-Unsubscribe: <https://…>, <mailto:…>`) and its list id. */
const LIST_HEADERS = new Set([
  'list-unsubscribe',
  'list-id',
  'list-post',
  'list-archive',
  'list-subscribe',
  'list-owner',
  'list-help',
]);

function mailboxesOf(addresses: Array<Address | undefined>): string[] {
  return addresses.flatMap((address) =>
    address ? (address.group ?? [address]).map((mailbox) => mailbox.address.toLowerCase()) : [],
  );
}

/** The hosts mailboxes are at (`substack.com` for `notboring@substack.com`); one without an `@` has none. */
export function mailboxHosts(mailboxes: readonly string[]): string[] {
  return mailboxes.flatMap((mailbox) => {
    const at = mailbox.lastIndexOf('@');
    return at >= 0 ? [mailbox.slice(at + 1)] : [];
  });
}

const MAILBOX_CHAR = /[\w.+-]/;
const MAIL_DOMAIN = /[\w-]+(?:\.[\w-]+)+/y;

/**
 * The domains of `[\w.+-]+@([\w-]+(?:\.[\w-]+)+)` matches in `value`, found from each `@` rather than by the
 * expression itself: it retries every start inside a long run of word characters (a List-Unsubscribe token), which
 * is quadratic in the run's length. Same matches: a mailbox is the run of mailbox characters just before an `@`,
 * starting no earlier than the previous match's end.
 */
export function mailDomains(value: string): string[] {
  const domains: string[] = [];
  let from = 0;
  for (let at = value.indexOf('@'); at >= 0; at = value.indexOf('@', Math.max(at + 1, from))) {
    if (at === from || !MAILBOX_CHAR.test(value.charAt(at - 1))) continue;
    MAIL_DOMAIN.lastIndex = at + 1;
    const domain = MAIL_DOMAIN.exec(value)?.[0];
    if (domain === undefined) continue;
    domains.push(domain.toLowerCase());
    from = MAIL_DOMAIN.lastIndex;
  }
  return domains;
}

/** Hosts inside a header value: URLs, mail addresses and a List-Id's `<name.example.com>`. */
function headerHosts(key: string, value: string): string[] {
  const hosts: string[] = [];
  for (const match of value.matchAll(/https?:\/\/([^/\s>:?#]+)/gi)) if (match[1]) hosts.push(match[1].toLowerCase());
  hosts.push(...mailDomains(value));
  if (key === 'list-id') {
    const id = /<([^<>\s]+)>/.exec(value)?.[1];
    if (id && id.includes('.')) hosts.push(id.toLowerCase());
  }
  return hosts;
}

export async function parseEmail(input: Uint8Array | string): Promise<ParsedEmail> {
  // postal-mime copies a view into a buffer of its own; a view over a whole buffer is handed over as that buffer,
  // which it reads as it is (it never writes to its input).
  const whole = typeof input !== 'string' && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength;
  const source = whole && input.buffer instanceof ArrayBuffer ? input.buffer : input;
  const email: Email = await PostalMime.parse(source, { attachmentEncoding: 'arraybuffer' });
  const senderMailboxes = mailboxesOf([email.from, email.sender, ...(email.replyTo ?? [])]);
  const senderHosts = mailboxHosts(senderMailboxes);
  for (const header of email.headers) {
    if (LIST_HEADERS.has(header.key)) senderHosts.push(...headerHosts(header.key, header.value));
  }
  return {
    html: email.html ?? '',
    text: email.text ?? '',
    subject: email.subject ?? '',
    senderHosts: [...new Set(senderHosts)],
    senderMailboxes: [...new Set(senderMailboxes)],
  };
}
