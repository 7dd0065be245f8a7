/** A count and its noun as people read them: `1 link`, `1,204 links` (the reader's own digit grouping). */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
