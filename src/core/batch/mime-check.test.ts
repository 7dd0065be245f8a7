import { describe, expect, it } from 'vitest';
import { mimeDamage } from './mime-check.ts';
import { bytesOf, email, newsletter } from './test-messages.ts';

describe('mimeDamage', () => {
  it('finds nothing wrong in a whole multipart or a single-part message', () => {
    expect(mimeDamage(bytesOf(newsletter()))).toBeNull();
    expect(mimeDamage(bytesOf(email()))).toBeNull();
  });

  it('names a nested multipart that never closes', () => {
    const broken = [
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/html',
      '',
      '<a href="https://quillmate.io">Quillmate</a>',
      '--outer--',
      '',
    ].join('\r\n');
    expect(mimeDamage(bytesOf(broken))).toBe(
      'Its MIME structure is damaged: the part marked "inner" never closes (a broken or cut-off export), so it was read as far as it goes and links may be missing.',
    );
  });
});

describe('mimeDamage on boundary spellings', () => {
  it.each([
    ['quoted', 'Content-Type: multipart/mixed; boundary="a b"', 'a b'],
    ['bare', 'Content-Type: multipart/mixed; Boundary=x-1;', 'x-1'],
    ['spaced', 'Content-Type: multipart/mixed;\r\n BOUNDARY = "y"', 'y'],
  ])('reads a %s boundary parameter', (_, header, boundary) => {
    const message = `${header}\r\n\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nhi\r\n`;
    expect(mimeDamage(bytesOf(message))).toContain(`"${boundary}" never closes`);
    expect(mimeDamage(bytesOf(`${message}--${boundary}--\r\n`))).toBeNull();
  });
});
