/**
 * A bounded memo over strings. A newsletter asks the same texts the same questions again and again (a link's anchor
 * by the knowledge pass, the features and the name guess; one sentence by every link in it), and the answers are
 * pure functions of the text: the answers for recent texts are kept, at most `max` of them (all dropped at once when
 * full, which keeps the cost constant per call).
 */
export function remembered<T>(read: (text: string) => T, max = 2_000): (text: string) => T {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    // One lookup for a remembered answer; only an undefined one needs the second.
    if (known !== undefined || answers.has(text)) return known as T;
    if (answers.size >= max) answers.clear();
    const answer = read(text);
    answers.set(text, answer);
    return answer;
  };
}

/**
 * A memo of the last answer only: for a text asked several times in a row (one link's sentence by the features and
 * the name guess), with no map to keep and no old answers held for the garbage collector to trace.
 */
export function rememberedLast<T>(read: (text: string) => T): (text: string) => T {
  let lastText: string | null = null;
  let lastAnswer: T;
  return (text: string): T => {
    if (text !== lastText) {
      lastAnswer = read(text);
      lastText = text;
    }
    return lastAnswer;
  };
}
