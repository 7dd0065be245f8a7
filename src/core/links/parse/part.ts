import type { ExtractedLink } from '../types.ts';

/** What one parser found in one part of the input (an HTML body, a text part, a Markdown file). */
export interface ParsedPart {
  links: ExtractedLink[];
  /** Hrefs over MAX_HREF_LENGTH, left out. */
  skippedLongHrefs: number;
  /** The document's own title, '' when it has none: a heading for links above the first heading. */
  title: string;
}

/** Where a part's link positions start, so positions stay in document order across the parts of an email. */
export interface PartOptions {
  firstPosition: number;
  /** Resolves relative links (a web archive page's own address); null drops them. */
  base: string | null;
}

/**
 * One link as a parser found it. The sentence around it is worked out only when read: most occurrences are
 * duplicates whose context the pipeline never keeps, and the sentence is the costliest part of extraction.
 */
export class Occurrence implements ExtractedLink {
  href: string;
  text: string;
  heading: string;
  isImage: boolean;
  position: number;
  part: ExtractedLink['part'];
  recordedHref?: string;
  #context: string | null = null;
  #sentence: () => string;

  constructor(fields: Omit<ExtractedLink, 'context'>, sentence: () => string) {
    this.href = fields.href;
    this.text = fields.text;
    this.heading = fields.heading;
    this.isImage = fields.isImage;
    this.position = fields.position;
    this.part = fields.part;
    if (fields.recordedHref !== undefined) this.recordedHref = fields.recordedHref;
    this.#sentence = sentence;
  }

  get context(): string {
    this.#context ??= this.#sentence();
    return this.#context;
  }

  set context(value: string) {
    this.#context = value;
  }

  /** For parsers that know the surrounding text only after the link (HTML: when its block ends). */
  setSentence(sentence: () => string): void {
    this.#sentence = sentence;
    this.#context = null;
  }

  toJSON(): ExtractedLink {
    const { href, text, context, heading, isImage, position, part } = this;
    return { href, text, context, heading, isImage, position, part };
  }
}
