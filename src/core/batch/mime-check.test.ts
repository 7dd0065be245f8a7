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
