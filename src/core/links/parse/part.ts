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
