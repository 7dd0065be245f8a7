/** Input detection and the per-format link extractors; the pipeline (`../pipeline.ts`) is their one user. */
export { decodeInput, detectFormat } from './detect.ts';
export type { DecodedInput } from './detect.ts';
export { mailboxHosts, parseEmail } from './eml.ts';
export type { ParsedEmail } from './eml.ts';
export { extractFromHtml } from './html.ts';
export { MAX_INFERRED_WORDS, extractFromText } from './text.ts';
export { MAX_HREF_LENGTH } from './href.ts';
export type { ParsedPart, PartOptions } from './part.ts';
