/**
 * An error as the sentence the user reads: thrown values in the app are Errors with a message
 * written for people, and anything else (a string a library rejected with) is shown as it is.
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
