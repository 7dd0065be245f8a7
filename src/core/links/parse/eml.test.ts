import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mailDomains, parseEmail } from './eml.ts';
import { fixtureBytes } from './fixtures/read.ts';

describe('parseEmail', () => {
  it('decodes both bodies of a quoted-printable multipart email', async () => {
    const email = await parseEmail(fixtureBytes('weekly.eml'));
    expect(email.subject).toBe('Example Weekly — issue 12');
    expect(email.html).toContain('<a href="https://link.mail.beehiiv.com/ss/c/u001.AbCdEf/4kd/xyz/h1/h001.sig">');
    expect(email.text).toContain('Quillmate [ https://quillmate.io/?utm_source=examplenews ]');
    expect(email.html).toContain('café story');
  });

  it('collects the sender hosts from From and the List headers', async () => {
    const email = await parseEmail(fixtureBytes('weekly.eml'));
    expect(email.senderHosts).toEqual(['examplenews.com', 'weekly.examplenews.com']);
    expect(email.senderMailboxes).toEqual(['hello@examplenews.com']);
  });

  it('reads a message without MIME structure as its text body', async () => {
    const email = await parseEmail('From: a@b.example\nSubject: hi\n\nplain https://x.example/\n');
    expect(email.text).toContain('https://x.example/');
    expect(email.html).toBe('');
  });
});

describe('mailDomains', () => {
  it('finds what the mail-address expression finds, in any header text', () => {
    const unit = fc.constantFrom('a', 'B', '1', '_', '.', '+', '-', '@', ' ', '<', '>', '/', ':', '=');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (value) => {
        const expected = [...value.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)].map((match) => match[1]!.toLowerCase());
        expect(mailDomains(value)).toEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads a 200 kB unsubscribe token, which the expression alone would take minutes over', () => {
    const token = 'x'.repeat(200_000);
    expect(mailDomains(`<https://example.com/u?t=${token}>, <mailto:u+${token}@List.Example.com?subject=u>`)).toEqual([
      'list.example.com',
    ]);
  });
});
