import { describe, expect, it } from 'vitest';
import { dateOf, headerEnd, messageIdOf, multipartBoundary, readHeaderBlock, senderOf, subjectOf } from './headers.ts';
import { bytesOf, email, newsletter } from './test-messages.ts';

const block = (text: string) => readHeaderBlock(bytesOf(text));

describe('readHeaderBlock', () => {
  it('reads the fields up to the blank line, unfolded, names lower-case, never the body', () => {
    const parsed = block(
      'From: Ada <ada@example.org>\r\nList-Unsubscribe: <https://example.org/u>,\r\n\t<mailto:u@example.org>\r\nX-Two: 1\r\nX-Two: 2\r\n\r\nList-Id: in the body\r\n',
    );
    expect([...parsed.fields.keys()]).toEqual(['from', 'list-unsubscribe', 'x-two']);
    expect(parsed.fields.get('list-unsubscribe')).toEqual(['<https://example.org/u>, <mailto:u@example.org>']);
    expect(parsed.fields.get('x-two')).toEqual(['1', '2']);
    expect(parsed.bodyStart).toBeGreaterThan(0);
  });

  it('says when a header block never ends', () => {
    expect(block('From: a@example.org\nSubject: cut').bodyStart).toBe(-1);
    expect(headerEnd(bytesOf('A: 1\n\nbody'))).toBe(6);
    expect(headerEnd(bytesOf('A: 1\r\n\r\nbody'))).toBe(8);
  });

  it('ignores a damaged line inside the block instead of gluing it to a field', () => {
    const parsed = block('Subject: hi\nthis is not a header\nFrom: a@example.org\n\n');
    expect(parsed.fields.get('subject')).toEqual(['hi']);
    expect(parsed.fields.get('from')).toEqual(['a@example.org']);
  });
});

describe('the fields shown to the user', () => {
  it('decodes the sender and subject, and keys the sender by its lower-case address', () => {
    const parsed = block(
      'From: =?utf-8?Q?Enrique=20L=C3=B3pez?= <Enrique@48329721.MailchimpApp.com>\nSubject: =?utf-8?B?QnVpbHQgZm9yIE1hcnM=?= #72\n\n',
    );
    expect(senderOf(parsed)).toEqual({
      key: 'enrique@48329721.mailchimpapp.com',
      name: 'Enrique López',
      address: 'enrique@48329721.mailchimpapp.com',
      domain: 'mailchimpapp.com',
    });
    expect(subjectOf(parsed)).toBe('Built for Mars #72');
  });

  it('falls back to Sender, and to the address when there is no display name', () => {
    expect(senderOf(block('From: undisclosed-recipients:;\nSender: news@example-news.com\n\n'))).toMatchObject({
      key: 'news@example-news.com',
      name: 'news@example-news.com',
    });
    expect(senderOf(block('Subject: no author\n\n'))).toBeNull();
  });

  it('reads the Message-ID without brackets', () => {
    expect(messageIdOf(block('Message-ID: <abc.123@example.org>\n\n'))).toBe('abc.123@example.org');
    expect(messageIdOf(block('Message-Id:   bare@example.org  \n\n'))).toBe('bare@example.org');
    expect(messageIdOf(block('Subject: none\n\n'))).toBe('');
  });

  it('dates a message by its Date header, else its mbox separator, else the file', () => {
    expect(dateOf(block('Date: Fri, 04 Apr 2025 10:00:00 +0200 (CEST)\n\n'))).toBe('2025-04-04T08:00:00.000Z');
    expect(dateOf(block('Date: not a date\n\n'), 'From 1790000@xxx Mon Jan 06 09:00:00 +0000 2025')).toBe(
      '2025-01-06T09:00:00.000Z',
    );
    expect(dateOf(block('Subject: x\n\n'), 'From - Mon Jul 11 12:08:34 2011')).toMatch(/^2011-07-11T/);
    expect(dateOf(block('Subject: x\n\n'), '', Date.UTC(2024, 0, 2))).toBe('2024-01-02T00:00:00.000Z');
    expect(dateOf(block('Subject: x\n\n'))).toBeNull();
  });

  it('finds the top-level multipart boundary', () => {
    expect(multipartBoundary(readHeaderBlock(bytesOf(newsletter())))).toBe('b1');
    expect(multipartBoundary(readHeaderBlock(bytesOf(email())))).toBeNull();
    expect(multipartBoundary(block('Content-Type: multipart/mixed;\n boundary=plain-1\n\n'))).toBe('plain-1');
  });
});
