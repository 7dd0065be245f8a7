import { describe, expect, it } from 'vitest';
import { parseEmail } from './eml.ts';
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
  });

  it('reads a message without MIME structure as its text body', async () => {
    const email = await parseEmail('From: a@b.example\nSubject: hi\n\nplain https://x.example/\n');
    expect(email.text).toContain('https://x.example/');
    expect(email.html).toBe('');
  });
});
