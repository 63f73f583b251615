// "Did you mean …?" for mistyped commands, options, choices and class names: near names by edit distance, case-insensitive.

/**
 * Up to `max` of `names` close to `typed`, nearest first: within an edit distance (insertions, deletions,
 * substitutions and swaps of neighbours, so `Sirne` is 1 from `Siren`) of a third of its length (at least 1),
 * from the whole name or from its start (`police car` → `Police car (siren)`); then names containing it.
 */
export function nearNames(typed: string, names: readonly string[], max = 3): string[] {
  const query = typed.toLowerCase().trim();
  if (query === '') return [];
  const within = Math.max(1, Math.floor(query.length / 3));
  const scored: { name: string; score: number; index: number }[] = [];
  names.forEach((name, index) => {
    const lower = name.toLowerCase();
    const whole = editDistance(query, lower);
    // A typed start of a long name counts, a little behind a whole-name match of the same distance.
    const start = lower.length > query.length ? editDistance(query, lower.slice(0, query.length)) + 0.5 : Infinity;
    const score = Math.min(whole, start);
    if (score <= within) scored.push({ name, score, index });
    else if (query.length >= 3 && lower.includes(query)) scored.push({ name, score: within + 1, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return [...new Set(scored.map((s) => s.name))].slice(0, max);
}

/** ` (did you mean "a" or "b"?)`-style text for the end of a message; empty when there is nothing near. */
export function didYouMean(typed: string, names: readonly string[], quote = (name: string) => `"${name}"`): string {
  const near = nearNames(typed, names);
  if (near.length === 0) return '';
  const listed = near.map(quote);
  return `did you mean ${listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`}?`;
}

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
