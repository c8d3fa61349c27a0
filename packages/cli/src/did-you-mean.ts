import { distance } from 'fastest-levenshtein';

/**
 * The candidates closest to a mistyped word (`lss` → `ls`, `fiel` → `file`), by edit distance
 * (fastest-levenshtein): one edit for words of up to three letters, else two (a swap of two
 * letters, `fiel`, is two edits) or a third of the word; best first, at most three.
 */
export function closestMatches(word: string, candidates: Iterable<string>): string[] {
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of new Set(candidates)) {
    const score = distance(word.toLowerCase(), candidate.toLowerCase());
    if (score <= limit) scored.push([candidate, score]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([candidate]) => candidate);
}

/** `; did you mean "ls"?` (or `"a" or "b"`), or '' when nothing is close. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  format = (c: string) => `"${c}"`,
): string {
  const close = closestMatches(word, candidates);
  return close.length === 0 ? '' : `; did you mean ${close.map(format).join(' or ')}?`;
}
