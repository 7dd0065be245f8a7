import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHeaderBlock, senderOf } from './headers.ts';
import { judgeMessage } from './newsletter-signals.ts';
import { bytesOf, email } from './test-messages.ts';

function judge(text: string) {
  const block = readHeaderBlock(bytesOf(text));
  return judgeMessage(block, senderOf(block));
}

const withHeaders = (...headers: string[]) => email({ headers });

describe('judgeMessage', () => {
  it.each([
    ['List-Unsubscribe', ['List-Unsubscribe: <https://example-news.com/u?id=1>'], 'List-Unsubscribe'],
    ['List-Id', ['List-Id: Weekly <weekly.example-news.com>'], 'List-Id'],
    ['Precedence: bulk', ['Precedence: Bulk'], 'Precedence: bulk'],
    ['Precedence: list', ['Precedence: list'], 'Precedence: list'],
  ])('takes a message with %s for a newsletter', (_, headers, signal) => {
    expect(judge(withHeaders(...headers))).toEqual({ newsletter: true, strength: 'list', signals: [signal] });
  });

  it.each([
    ['Mailchimp headers', ['X-MC-User: 47c1a9cec9749a8f8cbc83e78'], 'Mailchimp (x-mc-user header)'],
    ['a beehiiv header', ['x-beehiiv-type: newsletter'], 'beehiiv (x-beehiiv-type header)'],
    ['a Mailchimp X-Mailer', ['X-Mailer: Mailchimp Mailer - **CID123**'], 'Mailchimp (X-Mailer)'],
    ['a Substack Feedback-ID', ['Feedback-Id: post-1:cat-post:pub-2:substack'], 'Substack (Feedback-ID)'],
    [
      'a Mailchimp bounce address',
      ['Return-Path: <bounce-mc.us1_1.2-x=y@mail135.atl121.mcsv.net>'],
      'Mailchimp (bounce address)',
    ],
  ])('takes a message sent by a newsletter platform (%s) for a newsletter', (_, headers, signal) => {
    expect(judge(withHeaders(...headers))).toEqual({ newsletter: true, strength: 'platform', signals: [signal] });
  });

  it('takes mail from a newsletter platform domain (links/data/newsletter-platforms.json) for a newsletter', () => {
    const verdict = judge(email({ from: 'Vinay <jetpackcomposeapp@mail.beehiiv.com>' }));
    expect(verdict).toEqual({ newsletter: true, strength: 'platform', signals: ['beehiiv.com (sender domain)'] });
  });

  it('takes mail through a transactional relay only as a weak sign, and says which', () => {
    const verdict = judge(
      withHeaders('X-SES-Outgoing: 2020.04.19-54.240.4.14', 'Feedback-ID: 1.eu-west-1.x=:AmazonSES'),
    );
    expect(verdict).toEqual({
      newsletter: true,
      strength: 'relay',
      signals: ['Amazon SES (x-ses-outgoing header)', 'Amazon SES (Feedback-ID)'],
    });
  });

  it('skips personal mail: nothing in its headers says list or platform', () => {
    expect(judge(email({ from: 'Bo <bo@gmail.com>', headers: ['X-Mailer: Apple Mail (2.3731)'] }))).toEqual({
      newsletter: false,
      reason: 'personal',
    });
  });

  it.each([
    [
      'an out-of-office reply with Precedence: bulk',
      ['Auto-Submitted: auto-replied', 'Precedence: bulk'],
      'auto-reply',
    ],
    ['Precedence: auto_reply', ['Precedence: auto_reply'], 'auto-reply'],
    ['a delivery report', ['Content-Type: multipart/report; report-type=delivery-status'], 'bounce'],
    ['a Gmail chat transcript', ['X-Gmail-Labels: Chat,Archived'], 'chat'],
    [
      'a message in Gmail Spam, list headers or not',
      ['X-Gmail-Labels: Spam', 'List-Unsubscribe: <https://x.example/u>'],
      'spam',
    ],
    ['a message you sent', ['X-Gmail-Labels: Sent,Opened'], 'sent'],
    [
      'a message Thunderbird deleted but kept until compaction',
      ['X-Mozilla-Status: 0009', 'List-Id: <a.example.org>'],
      'deleted',
    ],
  ])('skips %s with its own reason', (_, headers, reason) => {
    expect(judge(withHeaders(...headers))).toEqual({ newsletter: false, reason });
  });

  it('reads a Thunderbird message that is merely read, not deleted', () => {
    expect(judge(withHeaders('X-Mozilla-Status: 0001', 'List-Id: <a.example.org>'))).toMatchObject({
      newsletter: true,
    });
  });

  it('takes a bounce from mailer-daemon for a bounce even with a list header', () => {
    expect(judge(email({ from: 'MAILER-DAEMON@mx.example.org', headers: ['List-Id: <x.example.org>'] }))).toEqual({
      newsletter: false,
      reason: 'bounce',
    });
  });

  it('skips a message with no headers at all', () => {
    expect(judge('\nJust a body.\n')).toEqual({ newsletter: false, reason: 'no-headers' });
  });
});

const corpusRaw = fileURLToPath(new URL('../../../../shared/corpus/raw', import.meta.url));
const corpusEmails = existsSync(corpusRaw)
  ? (function emailsUnder(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? emailsUnder(path) : path.endsWith('.eml') ? [path] : [];
      });
    })(corpusRaw)
  : [];

describe.skipIf(corpusEmails.length === 0)(
  'judgeMessage on the real issues of ../shared/corpus (skipped where it is absent)',
  () => {
    it('takes every real newsletter .eml for a newsletter, from its headers alone', () => {
      const misses = corpusEmails.filter((path) => {
        const bytes = new Uint8Array(readFileSync(path));
        const block = readHeaderBlock(bytes);
        return !judgeMessage(block, senderOf(block)).newsletter;
      });
      expect(misses).toEqual([]);
      expect(corpusEmails.length).toBeGreaterThanOrEqual(20);
    });
  },
);
