import { describe, expect, it } from 'vitest';
import { parseEmail } from './eml.ts';
import { gmailMessageAsMime, readMessageJson } from './message-json.ts';

const base64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

describe('readMessageJson', () => {
  it('reads the flattened export shape (htmlBody, body, from)', () => {
    const message = readMessageJson(
      JSON.stringify({
        from: 'Example Weekly <hello@examplenews.com>',
        snippet: 'preview',
        body: 'Text https://a.example/',
        htmlBody: '<a href="https://a.example/">A</a>',
      }),
    );
    expect(message).toEqual({
      html: '<a href="https://a.example/">A</a>',
      text: 'Text https://a.example/',
      senderHosts: ['examplenews.com'],
      senderMailboxes: ['hello@examplenews.com'],
    });
  });

  it("walks the Gmail API's MIME tree and decodes base64url bodies", () => {
    const message = readMessageJson(
      JSON.stringify({
        id: 'x',
        snippet: 'preview',
        payload: {
          mimeType: 'multipart/alternative',
          headers: [{ name: 'From', value: 'News <n@news.example>' }],
          parts: [
            { mimeType: 'text/plain', body: { data: base64Url('Café https://b.example/') } },
            { mimeType: 'text/html', body: { data: base64Url('<p>Café <a href="https://b.example/">B</a></p>') } },
          ],
        },
      }),
    );
    expect(message).toEqual({
      html: '<p>Café <a href="https://b.example/">B</a></p>',
      text: 'Café https://b.example/',
      senderHosts: ['news.example'],
      senderMailboxes: ['n@news.example'],
    });
  });

  it('is null for text that is not a JSON message', () => {
    expect(readMessageJson('{ not json')).toBeNull();
    expect(readMessageJson('{"a": 1}')).toBeNull();
    expect(readMessageJson('{"snippet": "only a preview"}')).toBeNull();
    expect(readMessageJson('[1, 2]')).toBeNull();
    expect(readMessageJson('Hello {world}')).toBeNull();
  });
});

describe('gmailMessageAsMime', () => {
  const latin1Url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  it("rebuilds the message: the headers as written, each leaf's bytes under its own charset", async () => {
    const mime = gmailMessageAsMime(
      JSON.stringify({
        payload: {
          mimeType: 'multipart/mixed',
          headers: [
            { name: 'From', value: 'Café Hebdo <hebdo@cafe.example>' },
            { name: 'Subject', value: 'Numéro 3' },
            // A value with a line break must not end the header block early.
            { name: 'X-Note', value: 'one\r\n\r\nTwo: injected' },
            { name: 'Content-Type', value: 'multipart/mixed; boundary="gone"' },
          ],
          parts: [
            {
              mimeType: 'multipart/alternative',
              parts: [
                {
                  mimeType: 'text/html',
                  headers: [{ name: 'Content-Type', value: 'text/html; charset=iso-8859-1' }],
                  // "Café" in Latin-1: the byte E9, not UTF-8.
                  body: { data: latin1Url('<p>Caf\u00e9 <a href="https://b.example/">B</a></p>') },
                },
              ],
            },
          ],
        },
      }),
    );
    expect(mime).not.toBeNull();
    const email = await parseEmail(mime!);
    expect(email.subject).toBe('Numéro 3');
    expect(email.html).toBe('<p>Café <a href="https://b.example/">B</a></p>');
    expect(email.senderHosts).toEqual(['cafe.example']);
    const head = new TextDecoder().decode(mime!).split('\r\n\r\n')[0]!;
    expect(head).toContain('X-Note: one Two: injected');
    expect(head).not.toContain('boundary="gone"');
  });

  it('returns the raw message of format=raw as it is, and null for JSON with no header block', () => {
    const raw = 'From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n';
    expect(new TextDecoder().decode(gmailMessageAsMime(JSON.stringify({ raw: latin1Url(raw) }))!)).toBe(raw);
    expect(gmailMessageAsMime(JSON.stringify({ htmlBody: '<a href="https://x.io">X</a>' }))).toBeNull();
    expect(gmailMessageAsMime(JSON.stringify({ payload: { mimeType: 'text/plain', headers: [] } }))).toBeNull();
    expect(gmailMessageAsMime('{ not json')).toBeNull();
  });
});
