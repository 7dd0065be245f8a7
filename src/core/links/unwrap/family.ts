/**
 * What a family reads of a parsed URL (a `URL` has all of it). The unwrapper reads each part once per URL and shows
 * it to every family in turn: a `URL` getter slices its href again on every call.
 */
export interface UrlParts {
  readonly href: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly searchParams: URLSearchParams;
}

/**
 * The contract every wrapper family implements. A family looks at one parsed URL and either says "not mine"
 * (`null`) or gives the destination it wraps. Families never do IO: what cannot be decoded offline is listed in
 * `opaque.ts` instead.
 */
export interface WrapperFamily {
  /** Short lowercase name shown to the user and in `UnwrapResult.tracker` (`sailthru`, `kit`...). */
  readonly tracker: string;
  /** The wrapped destination as written inside the wrapper, or null when this URL is not this family's. */
  decode(url: UrlParts): string | null;
}
