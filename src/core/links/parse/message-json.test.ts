import { describe, expect, it } from 'vitest';
import { readMessageJson } from './message-json.ts';

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
