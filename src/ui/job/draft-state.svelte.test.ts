import { describe, expect, it } from 'vitest';
import { NewsletterDraft } from './draft-state.svelte.ts';
import { MAX_SHOWN_PASTE_CHARS } from './newsletter-input.ts';

describe('NewsletterDraft', () => {
  it('keeps the HTML of a formatted paste (its links) while showing the plain text', () => {
    const draft = new NewsletterDraft();
    const html = '<p>Meet <a href="https://t.example/c?u=https%3A%2F%2Fquillmark.dev">Quillmark</a></p>';
    expect(draft.pasted(html, 'Meet Quillmark')).toBe(true);
    expect(draft.input).toEqual({ kind: 'html', html, plain: 'Meet Quillmark' });
    expect(draft.text).toBe('Meet Quillmark');
    expect(draft.note).toMatch(/links behind words are kept/);
    expect(draft.hasInput).toBe(true);
  });

  it('lets a small plain paste (or HTML without links) go into the textarea as usual', () => {
    const draft = new NewsletterDraft();
    expect(draft.pasted('', 'just text')).toBe(false);
    expect(draft.pasted('<b>bold</b>', 'bold')).toBe(false);
    expect(draft.input).toBeNull();
  });

  it('holds a huge paste in full but shows only its start, read-only', () => {
    const draft = new NewsletterDraft();
    const big = 'a'.repeat(MAX_SHOWN_PASTE_CHARS * 3);
    expect(draft.pasted('', big)).toBe(true);
    expect(draft.input).toEqual({ kind: 'text', text: big });
    expect(draft.heldBack).toBe(true);
    expect(draft.text.length).toBeLessThan(MAX_SHOWN_PASTE_CHARS + 5);
  });

  it('typing switches back to plain text', () => {
    const draft = new NewsletterDraft();
    draft.pasted('<a href="https://a.example">A</a>', 'A');
    draft.typed('A and B');
    expect(draft.input).toEqual({ kind: 'text', text: 'A and B' });
    expect(draft.note).toBe('');
  });

  it('a refused file leaves what was already entered untouched', async () => {
    const draft = new NewsletterDraft();
    draft.typed('my pasted newsletter');
    await draft.chooseFile(new File(['%PDF-1.4\u0000'], 'scan.html'));
    expect(draft.problem).toMatch(/looks like a PDF/);
    expect(draft.input).toEqual({ kind: 'text', text: 'my pasted newsletter' });
    expect(draft.text).toBe('my pasted newsletter');
  });

  it('takes text shared from another app, title, text and link on their own lines', () => {
    const draft = new NewsletterDraft();
    draft.shared({ title: 'Issue 42', text: null, url: 'https://frontier.example/42' });
    expect(draft.input).toEqual({ kind: 'text', text: 'Issue 42\nhttps://frontier.example/42' });
    draft.clear();
    draft.shared({ title: ' ', text: '', url: null });
    expect(draft.input).toBeNull();
  });
});
