/** "Did you mean …?": the known word a typo most likely meant (hosts.toml keys, configuration keys, rule names). */

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The option nearest to `word` (by `distance`, case-insensitive edit distance unless given), when it is near enough
 * to be the one meant: at most two edits, or a third of the word's length. Null otherwise.
 */
export function closest(
  word: string,
  options: readonly string[],
  distance: (option: string) => number = (o) => editDistance(word.toLowerCase(), o.toLowerCase()),
): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(o);
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}
