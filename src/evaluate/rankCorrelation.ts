// Spearman rank correlation, for the model randomisation test (DESIGN.md §8): does the attribution change with the model?
import { OptionError, ShapeError } from '../errors/index.js';

/**
 * Ranks 1 … n of `values` in ascending order, tied values sharing the mean of the ranks they span (fractional ranks:
 * [10, 20, 20, 30] → [1, 2.5, 2.5, 4]). Entries must be finite.
 */
export function fractionalRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j] || i - j);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start + 1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's ρ of `a` and `b`: the Pearson correlation of their fractional ranks (ties take average ranks), in
 * [−1, 1]; without ties it equals 1 − 6 Σ d² / (n (n² − 1)). Returns null when ρ is undefined: fewer than two
 * entries, or either input constant (e.g. an all-zero attribution), where every rank is tied and the rank variance
 * is 0. Null, not 0: "no ranking" is not "unrelated ranking", so a caller counts such cases apart instead of
 * averaging them. -0 and 0 tie. Throws ShapeError for unequal lengths, OptionError for a non-finite entry.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  if (a.length !== b.length) throw new ShapeError('the second ranking', [a.length], [b.length]);
  for (const [name, values] of [['a', a], ['b', b]] as const) {
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new OptionError(name, 'finite numbers only', values[i]);
  }
  const n = a.length;
  if (n < 2) return null;
  const [ra, rb] = [fractionalRanks(a), fractionalRanks(b)];
  const mean = (n + 1) / 2; // ranks always average (n + 1) / 2, ties or not
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < n; i++) {
    const [da, db] = [ra[i] - mean, rb[i] - mean];
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  if (varianceA === 0 || varianceB === 0) return null;
  // Clamped: rounding may put a perfect correlation a hair outside [−1, 1].
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceA * varianceB)));
}

/** One step of the model randomisation test: the original attribution against one randomised model's. */
export interface RandomisationCorrelation {
  /** Spearman ρ of the signed attributions (null when undefined, see {@link spearman}). */
  readonly signed: number | null;
  /** Spearman ρ of their absolute values, as Adebayo et al. (2018) also report: sign flips do not count as change. */
  readonly absolute: number | null;
}

/**
 * Spearman ρ between `original` and each of `randomised` (e.g. the attribution of the same patch and class after the
 * top 1, 2, … layers are re-initialised), signed and of absolute values, in the order given. A method that depends on
 * the model should fall towards 0 as more layers are randomised.
 */
export function randomisationCorrelation(original: ArrayLike<number>, randomised: readonly ArrayLike<number>[]): RandomisationCorrelation[] {
  const absoluteOriginal = Float64Array.from(original, Math.abs);
  return randomised.map((other) => ({ signed: spearman(original, other), absolute: spearman(absoluteOriginal, Float64Array.from(other, Math.abs)) }));
}
