/**
 * The newsletter being prepared in the paste area. When an email client puts HTML on the clipboard,
 * the HTML is what Sift reads (it has the links; the plain text often does not) while the paste
 * area shows the readable text. Typing afterwards switches back to plain text, and says so first.
 */
import {
  InputRefusedError,
  MAX_SHOWN_PASTE_CHARS,
  formatBytes,
  readNewsletterFile,
  type NewsletterInput,
} from './newsletter-input.ts';
import { messageOf } from '../../core/text/error-message.ts';

export class NewsletterDraft {
  /** What the paste area shows. */
  text = $state('');
  /** What a run reads; null until there is something. */
  input = $state.raw<NewsletterInput | null>(null);
  /** A one-line note about the input ("Formatted paste: links kept"). */
  note = $state('');
  /** Why the last input was refused, in words. Nothing already entered is lost when this is set. */
  problem = $state('');
  /** True while a paste too large to show is held aside. */
  heldBack = $state(false);

  hasInput = $derived(this.input !== null && !(this.input.kind === 'text' && this.input.text.trim() === ''));

  /** The user typed or edited in the paste area. */
  typed(text: string): void {
    this.text = text;
    this.input = { kind: 'text', text };
    this.heldBack = false;
    this.problem = '';
    this.note = '';
  }

  /**
   * A paste with the clipboard's flavours. Returns true when the draft took it (the caller then
   * prevents the browser's own paste); false lets a small plain-text paste go into the textarea
   * as usual, so undo and cursor position behave as people expect.
   */
  pasted(html: string, plain: string): boolean {
    this.problem = '';
    if (html.trim() !== '' && /<a\s[^>]*href/i.test(html)) {
      const shown = plain.trim() !== '' ? plain : html.replace(/<[^>]+>/g, ' ');
      this.input = { kind: 'html', html, plain: shown };
      this.#show(shown);
      this.note = `Formatted paste (${formatBytes(html.length)}): Sift reads the HTML, so links behind words are kept. Editing the text switches to plain text.`;
      return true;
    }
    if (plain.length > MAX_SHOWN_PASTE_CHARS) {
      this.input = { kind: 'text', text: plain };
      this.#show(plain);
      this.note = `Large paste (${formatBytes(plain.length)}): kept in full, only the start is shown.`;
      return true;
    }
    return false;
  }

  async chooseFile(file: File): Promise<void> {
    this.problem = '';
    try {
      const input = await readNewsletterFile(file);
      this.input = input;
      this.text = '';
      this.heldBack = false;
      this.note = `${file.name} (${formatBytes(file.size)}) is ready to run.`;
    } catch (error) {
      this.problem =
        error instanceof InputRefusedError ? error.message : `“${file.name}” could not be read: ${messageOf(error)}`;
    }
  }

  useSample(html: string, title: string, plain: string): void {
    this.problem = '';
    this.input = { kind: 'html', html, plain };
    this.#show(plain);
    this.note = `${title}: a made-up newsletter with tracked links, to show how Sift works.`;
  }

  /** Text shared to Sift from another app (Android share target). */
  shared(parts: { title?: string | null; text?: string | null; url?: string | null }): void {
    const text = [parts.title, parts.text, parts.url]
      .filter((part): part is string => Boolean(part?.trim()))
      .join('\n');
    if (text === '') return;
    this.typed(text);
    this.note = 'Shared from another app.';
  }

  clear(): void {
    this.text = '';
    this.input = null;
    this.note = '';
    this.problem = '';
    this.heldBack = false;
  }

  #show(text: string): void {
    this.heldBack = text.length > MAX_SHOWN_PASTE_CHARS;
    this.text = this.heldBack ? `${text.slice(0, MAX_SHOWN_PASTE_CHARS)}\n…` : text;
  }
}

export const newsletterDraft = new NewsletterDraft();
